"""Quizzes, their imported versions, attempts and saved answers."""

import enum
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base, enum_column, utcnow


class ShowAnswers(enum.Enum):
    """When a trainee may see the correct answers."""

    AFTER_ATTEMPT = "after_attempt"
    AFTER_PASS = "after_pass"
    NEVER = "never"


class Layout(enum.Enum):
    """One page per group of questions, or every question on one page."""

    PAGED = "paged"
    SINGLE_PAGE = "single_page"


class AttemptState(enum.Enum):
    """Open, submitted by the trainee, or closed when time ran out."""

    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    TIMED_OUT = "timed_out"


class Quiz(Base):
    """A quiz as imported from ``quizzes/<slug>.yaml``; its content lives in versions."""

    __tablename__ = "quizzes"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    version: Mapped[int] = mapped_column(default=1)
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    is_active: Mapped[bool] = mapped_column(default=True)
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)

    versions: Mapped[list["QuizVersion"]] = relationship(
        back_populates="quiz", order_by="QuizVersion.version"
    )

    @property
    def current(self) -> "QuizVersion":
        return self.versions[-1]

    def __repr__(self) -> str:
        return f"<Quiz {self.slug} v{self.version}>"


class QuizVersion(Base):
    """The bank and settings of a quiz as they were at one import; attempts point here."""

    __tablename__ = "quiz_versions"
    __table_args__ = (
        sa.UniqueConstraint("quiz_id", "version", name="uq_quiz_versions_quiz_version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(sa.ForeignKey("quizzes.id"))
    version: Mapped[int]
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    #: pass_mark, draw, draw_per_tag, shuffle_*, attempt_limit, wait_minutes,
    #: time_limit_minutes, show_answers, layout, per_page.
    settings: Mapped[dict] = mapped_column(sa.JSON)
    #: The question definitions, as in the bank file.
    questions: Mapped[list] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    quiz: Mapped[Quiz] = relationship(back_populates="versions")

    def setting(self, name: str):
        return self.settings.get(name)

    @property
    def pass_mark(self) -> int:
        return self.settings["pass_mark"]

    @property
    def show_answers(self) -> ShowAnswers:
        return ShowAnswers(self.settings["show_answers"])

    @property
    def layout(self) -> Layout:
        return Layout(self.settings["layout"])

    @property
    def by_id(self) -> dict:
        return {q["id"]: q for q in self.questions}

    def __repr__(self) -> str:
        return f"<QuizVersion {self.quiz_id} v{self.version}>"


@dataclass(frozen=True)
class Bank:
    """A read-only copy of one quiz version, shared by every request in this process."""

    settings: dict
    questions: list
    by_id: dict = field(repr=False)

    @property
    def pass_mark(self) -> int:
        return self.settings["pass_mark"]

    @property
    def show_answers(self) -> ShowAnswers:
        return ShowAnswers(self.settings["show_answers"])


# Quiz versions never change once imported (a new import makes a new version), so each
# process keeps the parsed bank of every version it has served instead of reloading it.
_BANKS: dict[int, Bank] = {}
_BANKS_MAX = 256


def forget_banks() -> None:
    """Drop the cached banks (needed only when version ids are reused, as in tests)."""
    _BANKS.clear()


class Attempt(Base):
    """One sitting of a quiz: what was drawn and shown, and the score it earned."""

    __tablename__ = "attempts"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "quiz_id", "number", name="uq_attempts_user_quiz_number"),
        sa.Index("ix_attempts_quiz_state", "quiz_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    quiz_id: Mapped[int] = mapped_column(sa.ForeignKey("quizzes.id"))
    quiz_version_id: Mapped[int] = mapped_column(sa.ForeignKey("quiz_versions.id"))
    #: 1 for the user's first attempt at this quiz, 2 for the second, ...
    number: Mapped[int]
    state: Mapped[AttemptState] = enum_column(AttemptState, default=AttemptState.IN_PROGRESS)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    deadline_at: Mapped[datetime | None]
    submitted_at: Mapped[datetime | None]
    #: Question ids in the order shown.
    question_ids: Mapped[list] = mapped_column(sa.JSON)
    #: Per question, the order its choices, items or right-hand matches were shown in.
    orders: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    #: Snapshot of the rules this attempt was taken under.
    pass_mark: Mapped[int]
    max_score: Mapped[int]
    score: Mapped[float | None]
    percent: Mapped[float | None]
    is_passed: Mapped[bool | None]
    #: The page the trainee was last on, to resume there.
    current_page: Mapped[int] = mapped_column(default=1)

    user: Mapped["User"] = relationship()  # noqa: F821
    quiz: Mapped[Quiz] = relationship()
    quiz_version: Mapped[QuizVersion] = relationship()
    answers: Mapped[list["Answer"]] = relationship(
        back_populates="attempt", cascade="all, delete-orphan"
    )

    @property
    def is_open(self) -> bool:
        return self.state == AttemptState.IN_PROGRESS

    @property
    def bank(self) -> Bank:
        """Return the questions and settings of the version this attempt was drawn from."""
        bank = _BANKS.get(self.quiz_version_id)
        if bank is None:
            version = self.quiz_version
            bank = Bank(version.settings, version.questions, version.by_id)
            if len(_BANKS) >= _BANKS_MAX:
                _BANKS.clear()
            _BANKS[self.quiz_version_id] = bank
        return bank

    @property
    def responses(self) -> dict:
        return {a.question_id: a.response for a in self.answers}

    def __repr__(self) -> str:
        return f"<Attempt {self.id} user={self.user_id} quiz={self.quiz_id} {self.state.value}>"


class Answer(Base):
    """The latest saved response to one question (or case sub-question) of an attempt."""

    __tablename__ = "answers"
    __table_args__ = (
        sa.UniqueConstraint("attempt_id", "question_id", name="uq_answers_attempt_question"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(sa.ForeignKey("attempts.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(sa.String(80))
    response: Mapped[object | None] = mapped_column(sa.JSON)
    saved_at: Mapped[datetime] = mapped_column(default=utcnow)

    attempt: Mapped[Attempt] = relationship(back_populates="answers")

    def __repr__(self) -> str:
        return f"<Answer attempt={self.attempt_id} {self.question_id}>"

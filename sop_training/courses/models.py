"""Courses and lessons imported from content files; enrolments and lesson progress."""

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base, TimestampMixin, enum_column, utcnow


class CompletionRule(enum.Enum):
    """What completes a course: the online part, attending a regional session, or both."""

    ONLINE = "online"
    SESSION = "session"
    BOTH = "both"


class Course(TimestampMixin, Base):
    """A course as last imported from ``courses/<slug>/``."""

    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    #: Agency-type codes the course is written for.
    audience: Mapped[list] = mapped_column(sa.JSON, default=list)
    sop_edition: Mapped[str] = mapped_column(sa.String(200), default="")
    #: Locales with a full translation, English first.
    languages: Mapped[list] = mapped_column(sa.JSON, default=list)
    completion: Mapped[CompletionRule] = enum_column(CompletionRule, default=CompletionRule.ONLINE)
    certificate_validity_months: Mapped[int] = mapped_column(default=24)
    quiz_slug: Mapped[str | None] = mapped_column(sa.String(80))
    #: ``{"sq": {"title": ..., "summary": ...}, ...}``
    translations: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    #: SHA-256 of the course folder as imported; ``version`` counts changes of it.
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    version: Mapped[int] = mapped_column(default=1)
    is_active: Mapped[bool] = mapped_column(default=True)
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)

    lessons: Mapped[list["Lesson"]] = relationship(
        back_populates="course", order_by="Lesson.position", cascade="all, delete-orphan"
    )

    @property
    def active_lessons(self) -> list["Lesson"]:
        return [lesson for lesson in self.lessons if lesson.is_active]

    @property
    def reading_minutes(self) -> int:
        return sum(lesson.reading_minutes for lesson in self.active_lessons)

    def text(self, field: str, locale: str) -> str:
        """Return ``title`` or ``summary`` in ``locale``, falling back to English."""
        return (self.translations.get(locale) or {}).get(field) or getattr(self, field)

    def __repr__(self) -> str:
        return f"<Course {self.slug} v{self.version}>"


class Lesson(Base):
    """One lesson of a course, rendered to sanitised HTML at import."""

    __tablename__ = "lessons"
    __table_args__ = (sa.UniqueConstraint("course_id", "slug", name="uq_lessons_course_id_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("courses.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(sa.String(80))
    position: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(200))
    objectives: Mapped[list] = mapped_column(sa.JSON, default=list)
    sources: Mapped[list] = mapped_column(sa.JSON, default=list)
    reading_minutes: Mapped[int] = mapped_column(default=5)
    body_html: Mapped[str] = mapped_column(sa.Text)
    #: ``{"sq": {"title", "objectives", "sources", "body_html"}, ...}``
    translations: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    #: False once the lesson is removed from the course files; progress on it is kept.
    is_active: Mapped[bool] = mapped_column(default=True)

    course: Mapped[Course] = relationship(back_populates="lessons")

    def localized(self, locale: str) -> dict:
        """Return title, objectives, sources and body in ``locale``, falling back to English."""
        english = {
            "title": self.title,
            "objectives": self.objectives,
            "sources": self.sources,
            "body_html": self.body_html,
            "locale": "en",
        }
        translated = self.translations.get(locale)
        return {**english, **translated, "locale": locale} if translated else english

    def __repr__(self) -> str:
        return f"<Lesson {self.course_id}/{self.slug}>"


class Enrolment(Base):
    """A user taking a course."""

    __tablename__ = "enrolments"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "course_id", name="uq_enrolments_user_course"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("courses.id"), index=True)
    enrolled_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None]
    #: When the course's quiz was passed in the current cycle.
    quiz_passed_at: Mapped[datetime | None]
    #: When the person attended a regional session of the course in the current cycle.
    attended_at: Mapped[datetime | None]
    #: Start of the current cycle: set when a trainee takes the course again to renew.
    cycle_started_at: Mapped[datetime | None]
    #: The lesson opened last, for "Continue".
    last_lesson_id: Mapped[int | None] = mapped_column(sa.ForeignKey("lessons.id"))

    user: Mapped["User"] = relationship()  # noqa: F821
    course: Mapped[Course] = relationship()
    progress: Mapped[list["LessonProgress"]] = relationship(
        back_populates="enrolment", cascade="all, delete-orphan"
    )

    @property
    def done_lesson_ids(self) -> set[int]:
        return {p.lesson_id for p in self.progress}

    def __repr__(self) -> str:
        return f"<Enrolment user={self.user_id} course={self.course_id}>"


class LessonProgress(Base):
    """A lesson an enrolled user has finished."""

    __tablename__ = "lesson_progress"
    __table_args__ = (
        sa.UniqueConstraint(
            "enrolment_id", "lesson_id", name="uq_lesson_progress_enrolment_lesson"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(sa.ForeignKey("enrolments.id", ondelete="CASCADE"))
    lesson_id: Mapped[int] = mapped_column(sa.ForeignKey("lessons.id"))
    completed_at: Mapped[datetime] = mapped_column(default=utcnow)

    enrolment: Mapped[Enrolment] = relationship(back_populates="progress")

    def __repr__(self) -> str:
        return f"<LessonProgress enrolment={self.enrolment_id} lesson={self.lesson_id}>"

"""Quiz services: starting, saving, submitting and closing attempts."""

import logging
import random
from datetime import datetime, timedelta

import sqlalchemy as sa
from blinker import Namespace
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from ..accounts.models import User
from ..db import utcnow
from ..errors import DomainError
from ..extensions import db
from .models import Answer, Attempt, AttemptState, Quiz, ShowAnswers
from .question_types import QUESTION_TYPES, InvalidAnswer
from .scoring import draw_questions, paginate, score_attempt

logger = logging.getLogger(__name__)

#: Sent with the attempt once it is scored (submitted, or closed when time ran out).
attempt_finished = Namespace().signal("attempt-finished")

#: INSERT ... ON CONFLICT DO UPDATE, per supported database.
UPSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def deadline_grace() -> timedelta:
    """Return how long after the deadline saves sent just before it are still accepted."""
    return timedelta(seconds=current_app.config["QUIZ_DEADLINE_GRACE_SECONDS"])


class QuizError(DomainError):
    """A quiz action was refused; nothing was changed."""


def get_quiz(slug: str) -> Quiz | None:
    """Return the active quiz with this slug."""
    return db.session.scalar(sa.select(Quiz).where(Quiz.slug == slug, Quiz.is_active))


def user_attempts(user: User, quiz: Quiz) -> list[Attempt]:
    """Return the user's attempts at a quiz, first to last."""
    return list(
        db.session.scalars(
            sa.select(Attempt)
            .where(Attempt.user_id == user.id, Attempt.quiz_id == quiz.id)
            .order_by(Attempt.number)
        )
    )


def best_attempt(attempts: list[Attempt]) -> Attempt | None:
    """Return the highest-scoring finished attempt."""
    finished = [a for a in attempts if a.percent is not None]
    return max(finished, key=lambda a: (a.percent, -a.number), default=None)


def has_passed(user: User, quiz: Quiz) -> bool:
    """Return whether the user passed any attempt at the quiz."""
    return bool(
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Attempt)
            .where(Attempt.user_id == user.id, Attempt.quiz_id == quiz.id, Attempt.is_passed)
        )
    )


def lock_attempt(attempt_id: int) -> Attempt | None:
    """Load an attempt and lock its row until commit, so saves and submits run one at a time."""
    return db.session.scalar(
        sa.select(Attempt)
        .where(Attempt.id == attempt_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def pages_of(attempt: Attempt) -> list[list[str]]:
    """Return the attempt's pages of question ids."""
    settings = attempt.bank.settings
    single = settings["layout"] == "single_page"
    return paginate(attempt.question_ids, settings["per_page"], single)


def remaining_seconds(attempt: Attempt, now: datetime | None = None) -> int | None:
    """Return the seconds left before the deadline, or None without a time limit."""
    if attempt.deadline_at is None:
        return None
    return max(0, int((attempt.deadline_at - (now or utcnow())).total_seconds()))


def start_refusal(attempts: list[Attempt], settings: dict, now: datetime) -> str | None:
    """Return why a new attempt cannot start now, or None if it can."""
    limit = settings.get("attempt_limit")
    if limit and len(attempts) >= limit:
        return _("You have used all %(n)d attempts at this quiz.", n=limit)
    wait = settings.get("wait_minutes") or 0
    finished = [a.submitted_at for a in attempts if a.submitted_at]
    if wait and finished:
        ready = max(finished) + timedelta(minutes=wait)
        if now < ready:
            minutes = int((ready - now).total_seconds() // 60) + 1
            return _("You can start a new attempt in %(n)d minutes.", n=minutes)
    return None


def in_cycle(attempts: list[Attempt], since: datetime | None) -> list[Attempt]:
    """Return the attempts started in the current cycle (all of them without a cycle start)."""
    return [a for a in attempts if since is None or a.started_at >= since]


def start_attempt(
    user: User, quiz: Quiz, now: datetime | None = None, rng=None, since: datetime | None = None
) -> Attempt:
    """Resume the open attempt, or start a new one if the quiz's rules allow it.

    Attempt limits and waiting times count only attempts started ``since`` (a renewal cycle).
    """
    now = now or utcnow()
    attempts = user_attempts(user, quiz)
    for attempt in attempts:
        close_if_expired(attempt, now)
    current = next((a for a in attempts if a.is_open), None)
    if current is not None:
        return current
    version = quiz.current
    refusal = start_refusal(in_cycle(attempts, since), version.settings, now)
    if refusal:
        raise QuizError(refusal)
    question_ids, orders = draw_questions(
        version.questions, version.settings, rng or random.Random()
    )
    limit = version.settings.get("time_limit_minutes")
    attempt = Attempt(
        user_id=user.id,
        quiz=quiz,
        quiz_version=version,
        number=len(attempts) + 1,
        started_at=now,
        deadline_at=now + timedelta(minutes=limit) if limit else None,
        question_ids=question_ids,
        orders=orders,
        pass_mark=version.pass_mark,
        max_score=len(question_ids),
    )
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
    except IntegrityError:
        # Another tab started the same attempt a moment earlier: use that one.
        db.session.expire_all()
        return next(a for a in user_attempts(user, quiz) if a.is_open)
    logger.info("User %s started attempt %s at quiz %s", user.id, attempt.number, quiz.slug)
    return attempt


def _finish(attempt: Attempt, state: AttemptState, now: datetime) -> bool:
    """Close an open attempt and score it; return False if it was closed already."""
    claimed = db.session.execute(
        sa.update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.state == AttemptState.IN_PROGRESS)
        .values(state=state, submitted_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        db.session.refresh(attempt)
        return False
    db.session.refresh(attempt)
    result = score_attempt(attempt.bank.by_id, attempt.question_ids, attempt.responses)
    attempt.score = result.points
    attempt.percent = result.percent
    attempt.is_passed = result.passed(attempt.pass_mark)
    db.session.flush()
    attempt_finished.send(attempt)
    logger.info(
        "Attempt %s closed as %s: %s%% (%s)",
        attempt.id,
        state.value,
        result.percent,
        attempt.is_passed,
    )
    return True


def close_if_expired(attempt: Attempt, now: datetime | None = None) -> bool:
    """Close and score an open attempt whose deadline has passed; return True if it did."""
    now = now or utcnow()
    if attempt.is_open and attempt.deadline_at and now > attempt.deadline_at + deadline_grace():
        return _finish(attempt, AttemptState.TIMED_OUT, now)
    return False


def submit_attempt(attempt: Attempt, now: datetime | None = None) -> None:
    """Submit and score an attempt exactly once."""
    now = now or utcnow()
    if close_if_expired(attempt, now):
        raise QuizError(_("Time ran out before you submitted; your saved answers were scored."))
    if not attempt.is_open or not _finish(attempt, AttemptState.SUBMITTED, now):
        raise QuizError(_("This attempt has already been submitted; nothing was changed."))


def _leaves(attempt: Attempt) -> dict[str, dict]:
    by_id = attempt.bank.by_id
    leaves = {}
    for qid in attempt.question_ids:
        question = by_id[qid]
        for leaf in QUESTION_TYPES[question["type"]].leaves(question):
            leaves[leaf["id"]] = leaf
    return leaves


def _leaf_of_field(name: str, leaves: dict) -> str | None:
    body = name[2:]
    if body in leaves:
        return body
    return next((lid for lid in leaves if body.startswith(lid + "-")), None)


def save_responses(
    attempt: Attempt, form: dict, question_ids: list[str], now: datetime | None = None
) -> list[str]:
    """Save the responses in ``form`` for ``question_ids`` (answerable ids); all or nothing.

    A listed question without fields in the form is saved as unanswered.
    """
    now = now or utcnow()
    if close_if_expired(attempt, now):
        raise QuizError(
            _("Time is up: this attempt was closed and scored with your saved answers.")
        )
    if not attempt.is_open:
        raise QuizError(_("This attempt is closed; nothing was changed."))
    leaves = _leaves(attempt)
    unknown = [q for q in question_ids if q not in leaves]
    unknown += [k for k in form if k.startswith("q-") and _leaf_of_field(k, leaves) is None]
    if unknown:
        raise QuizError(
            _("The answers name a question that is not in this attempt; nothing was saved.")
        )
    parsed = {}
    try:
        for qid in question_ids:
            parsed[qid] = QUESTION_TYPES[leaves[qid]["type"]].parse(leaves[qid], form)
    except InvalidAnswer:
        raise QuizError(
            _("An answer names a choice that does not exist; nothing was saved.")
        ) from None
    if parsed:
        _upsert_answers(attempt, parsed, now)
    return list(parsed)


def _upsert_answers(attempt: Attempt, parsed: dict, now: datetime) -> None:
    """Insert or overwrite the answers in one statement (the attempt row is locked)."""
    db.session.flush()
    insert = UPSERTS[db.session.get_bind().dialect.name]
    rows = [
        {"attempt_id": attempt.id, "question_id": qid, "response": response, "saved_at": now}
        for qid, response in parsed.items()
    ]
    statement = insert(Answer).values(rows)
    statement = statement.on_conflict_do_update(
        index_elements=[Answer.attempt_id, Answer.question_id],
        set_={"response": statement.excluded.response, "saved_at": statement.excluded.saved_at},
    )
    db.session.execute(statement)
    # The loaded collection (if any) no longer matches the table.
    db.session.expire(attempt, ["answers"])


def leaf_ids(attempt: Attempt, question_ids: list[str]) -> list[str]:
    """Return the answerable ids of the given shown questions (case sub-questions expanded)."""
    by_id = attempt.bank.by_id
    return [
        leaf["id"]
        for qid in question_ids
        for leaf in QUESTION_TYPES[by_id[qid]["type"]].leaves(by_id[qid])
    ]


def may_see_answers(attempt: Attempt, passed_ever: bool) -> bool:
    """Apply the quiz's policy on showing correct answers after an attempt."""
    if attempt.is_open:
        return False
    policy = attempt.bank.show_answers
    if policy == ShowAnswers.AFTER_ATTEMPT:
        return True
    if policy == ShowAnswers.AFTER_PASS:
        return passed_ever
    return False

"""Catalogue, enrolment and progress services."""

import logging
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from blinker import Namespace
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..accounts.models import User
from ..db import utcnow
from ..errors import DomainError
from ..extensions import db
from .models import CompletionRule, Course, Enrolment, Lesson, LessonProgress
from .progress import Progress, lesson_progress

logger = logging.getLogger(__name__)

_signals = Namespace()
#: Sent with the enrolment when a course's completion rule is first met in a cycle.
course_completed = _signals.signal("course-completed")
#: Sent with the enrolment when its last online lesson is finished.
lessons_finished = _signals.signal("lessons-finished")


class CourseError(DomainError):
    """A course action was refused."""


def list_courses(audience: str | None = None) -> list[Course]:
    """Return the active courses, optionally only those written for an agency type."""
    courses = db.session.scalars(
        sa.select(Course).where(Course.is_active).order_by(Course.id)
    ).all()
    if audience:
        courses = [c for c in courses if audience in (c.audience or [])]
    return list(courses)


def get_course(slug: str) -> Course | None:
    """Return the active course with this slug."""
    return db.session.scalar(sa.select(Course).where(Course.slug == slug, Course.is_active))


def get_enrolment(user: User, course: Course) -> Enrolment | None:
    """Return the user's enrolment in the course, if any."""
    if not user.is_authenticated:
        return None
    return db.session.scalar(
        sa.select(Enrolment).where(Enrolment.user_id == user.id, Enrolment.course_id == course.id)
    )


def enroll(user: User, course: Course) -> Enrolment:
    """Enrol a user in a course; enrolling twice returns the existing enrolment."""
    if not course.is_active:
        raise CourseError(_("This course is not open for enrolment."))
    existing = get_enrolment(user, course)
    if existing is not None:
        return existing
    enrolment = Enrolment(user=user, course=course)
    try:
        with db.session.begin_nested():
            db.session.add(enrolment)
    except IntegrityError:
        # A parallel request enrolled the same user first.
        return get_enrolment(user, course)
    logger.info("User %s enrolled in %s", user.id, course.slug)
    return enrolment


def progress_of(enrolment: Enrolment | None, course: Course) -> Progress:
    """Return lesson progress for an enrolment (zero when not enrolled)."""
    ids = [lesson.id for lesson in course.active_lessons]
    return lesson_progress(ids, enrolment.done_lesson_ids if enrolment else set())


def next_lesson(enrolment: Enrolment) -> Lesson | None:
    """Return the first unfinished lesson, or None when all are done."""
    done = enrolment.done_lesson_ids
    for lesson in enrolment.course.active_lessons:
        if lesson.id not in done:
            return lesson
    return None


def open_lesson(enrolment: Enrolment, lesson: Lesson) -> None:
    """Remember the lesson the trainee is reading."""
    if lesson.course_id != enrolment.course_id:
        raise CourseError(_("This lesson belongs to another course."))
    enrolment.last_lesson_id = lesson.id


def mark_lesson_done(enrolment: Enrolment, lesson: Lesson) -> bool:
    """Record a finished lesson; return False if it was already done."""
    if lesson.course_id != enrolment.course_id or not lesson.is_active:
        raise CourseError(_("This lesson is not part of your course."))
    if lesson.id in enrolment.done_lesson_ids:
        return False
    try:
        with db.session.begin_nested():
            enrolment.progress.append(LessonProgress(lesson_id=lesson.id))
    except IntegrityError:
        db.session.refresh(enrolment)
        return False
    logger.info("Enrolment %s finished lesson %s", enrolment.id, lesson.slug)
    if progress_of(enrolment, enrolment.course).is_complete:
        lessons_finished.send(enrolment)
    refresh_completion(enrolment)
    return True


def record_quiz_pass(enrolment: Enrolment, passed_at: datetime) -> None:
    """Note that the course's quiz is passed in this cycle, then check completion."""
    if enrolment.quiz_passed_at is None:
        enrolment.quiz_passed_at = passed_at
    refresh_completion(enrolment)


def refresh_completion(enrolment: Enrolment) -> None:
    """Mark the enrolment complete once its course's completion rule is met.

    Listeners of ``course_completed`` (certificates) run in the same transaction.
    """
    course = enrolment.course
    lessons_done = progress_of(enrolment, course).is_complete
    quiz_done = course.quiz_slug is None or enrolment.quiz_passed_at is not None
    online_done = lessons_done and quiz_done
    attended = enrolment.attended_at is not None
    met = {
        CompletionRule.ONLINE: online_done,
        CompletionRule.SESSION: attended,
        CompletionRule.BOTH: online_done and attended,
    }[course.completion]
    if met and enrolment.completed_at is None:
        enrolment.completed_at = utcnow()
        db.session.flush()
        logger.info("Enrolment %s completed", enrolment.id)
        course_completed.send(enrolment)


def record_attendance(user: User, course: Course, attended_at: datetime) -> Enrolment:
    """Count a regional session the user attended towards the course (enrolling them)."""
    enrolment = get_enrolment(user, course) or enroll(user, course)
    if enrolment.attended_at is None:
        enrolment.attended_at = attended_at
    refresh_completion(enrolment)
    return enrolment


def withdraw_attendance(user: User, course: Course) -> None:
    """Undo a recorded attendance (a trainer corrected the roster) if not yet completed."""
    enrolment = get_enrolment(user, course)
    if enrolment is not None and enrolment.completed_at is None:
        enrolment.attended_at = None
        db.session.flush()


def start_new_cycle(enrolment: Enrolment, now: datetime | None = None) -> None:
    """Open the course again for renewal: lessons stay read, the quiz must be passed again."""
    enrolment.cycle_started_at = now or utcnow()
    enrolment.completed_at = None
    enrolment.quiz_passed_at = None
    enrolment.attended_at = None
    db.session.flush()
    logger.info("Enrolment %s started a new cycle", enrolment.id)


@dataclass
class LearningItem:
    """One row of "My learning"."""

    enrolment: Enrolment
    progress: Progress
    next_lesson: Lesson | None


def my_learning(user: User) -> list[LearningItem]:
    """Return the user's enrolments with progress and the next thing to do."""
    enrolments = db.session.scalars(
        sa.select(Enrolment)
        .join(Course)
        .where(Enrolment.user_id == user.id, Course.is_active)
        .order_by(Enrolment.completed_at.is_not(None), Enrolment.enrolled_at.desc())
    ).all()
    return [LearningItem(e, progress_of(e, e.course), next_lesson(e)) for e in enrolments]


def courses_with_quiz(quiz_slug: str) -> list[Course]:
    """Return the active courses closed by this quiz."""
    return list(
        db.session.scalars(sa.select(Course).where(Course.quiz_slug == quiz_slug, Course.is_active))
    )

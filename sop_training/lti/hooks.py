"""Grade passback hooks: queue scores when quizzes are scored or courses completed."""

from flask import g

from ..courses.services import course_completed
from ..quizzes.services import attempt_finished
from . import grades
from .blueprint import bp


@attempt_finished.connect
def _queue_score(attempt) -> None:
    grades.queue_attempt(attempt)


@course_completed.connect
def _queue_completion(enrolment) -> None:
    from ..quizzes import services as quizzes

    quiz = quizzes.get_quiz(enrolment.course.quiz_slug) if enrolment.course.quiz_slug else None
    if quiz is None:
        return
    attempts = quizzes.in_cycle(
        quizzes.user_attempts(enrolment.user, quiz), enrolment.cycle_started_at
    )
    passed = [a for a in attempts if a.is_passed]
    best = max(passed, key=lambda a: (a.percent or 0, a.id), default=None)
    grades.queue_completion(enrolment, best)


@bp.after_app_request
def _send_queued_scores(response):
    """Post the scores this request queued, once its transaction has committed."""
    ids = g.pop("lti_scores", None)
    if ids:
        grades.deliver(grades.pending(ids=ids))
    return response

"""Taking a quiz: overview, pages with autosave, review, submit, result."""

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..accounts.models import Role
from ..auth import has_role
from ..courses import services as courses
from ..extensions import db
from . import services
from .question_types import QUESTION_TYPES
from .scoring import is_answered, response_for

bp = Blueprint("quizzes", __name__)


def _quiz_or_404(slug):
    return services.get_quiz(slug) or abort(404)


def _own_attempt(attempt_id: int, lock: bool = False):
    attempt = (
        services.lock_attempt(attempt_id) if lock else db.session.get(services.Attempt, attempt_id)
    )
    if attempt is None:
        abort(404)
    if attempt.user_id != current_user.id:
        abort(403)
    return attempt


def _enrolments(quiz):
    """Return the current user's enrolments in the courses this quiz closes."""
    found = (courses.get_enrolment(current_user, c) for c in courses.courses_with_quiz(quiz.slug))
    return [e for e in found if e is not None]


def _cycle_start(quiz):
    """Return when the current user's present cycle for this quiz began (None: first cycle)."""
    starts = [e.cycle_started_at for e in _enrolments(quiz) if e.cycle_started_at]
    return max(starts, default=None)


def _record_completion(attempt) -> None:
    """Tell the courses this quiz closes that it was passed (in their current cycle)."""
    if not attempt.is_passed:
        return
    for enrolment in _enrolments(attempt.quiz):
        since = enrolment.cycle_started_at
        if since is None or attempt.started_at >= since:
            courses.record_quiz_pass(enrolment, attempt.submitted_at)


@bp.route("/quizzes/<slug>")
@login_required
def overview(slug):
    quiz = _quiz_or_404(slug)
    attempts = services.user_attempts(current_user, quiz)
    closed = [a for a in attempts if services.close_if_expired(a)]
    if closed:
        _record_completion(closed[0])
        db.session.commit()
    settings = quiz.current.settings
    return render_template(
        "quizzes/overview.html",
        quiz=quiz,
        settings=settings,
        attempts=attempts,
        best=services.best_attempt(attempts),
        open_attempt=next((a for a in attempts if a.is_open), None),
        refusal=services.start_refusal(
            services.in_cycle(attempts, _cycle_start(quiz)), settings, services.utcnow()
        ),
    )


@bp.route("/quizzes/<slug>/start", methods=["POST"])
@login_required
def start(slug):
    quiz = _quiz_or_404(slug)
    try:
        attempt = services.start_attempt(current_user, quiz, since=_cycle_start(quiz))
    except services.QuizError as exc:
        db.session.commit()
        flash(str(exc), "error")
        return redirect(url_for("quizzes.overview", slug=slug))
    db.session.commit()
    return redirect(url_for("quizzes.page", attempt_id=attempt.id, number=attempt.current_page))


def _closed_redirect(attempt, message=None):
    _record_completion(attempt)
    db.session.commit()
    flash(message or _("Time is up: your saved answers were scored."), "info")
    return redirect(url_for("quizzes.result", attempt_id=attempt.id))


def _page_items(attempt, question_ids):
    version = attempt.bank
    responses = attempt.responses
    items = []
    for qid in question_ids:
        question = version.by_id[qid]
        kind = QUESTION_TYPES[question["type"]]
        item = kind.public(question, attempt.orders.get(qid))
        item["response"] = response_for(question, responses)
        item["subs"] = [
            {
                **QUESTION_TYPES[s["type"]].public(s, attempt.orders.get(s["id"])),
                "response": responses.get(s["id"]),
            }
            for s in (kind.leaves(question) if question["type"] == "case" else [])
        ]
        item["number"] = attempt.question_ids.index(qid) + 1
        items.append(item)
    return items


@bp.route("/attempts/<int:attempt_id>/page/<int:number>", methods=["GET", "POST"])
@login_required
def page(attempt_id, number):
    attempt = _own_attempt(attempt_id, lock=request.method == "POST")
    if services.close_if_expired(attempt) or not attempt.is_open:
        return _closed_redirect(
            attempt, None if attempt.state.value == "timed_out" else _("This attempt is closed.")
        )
    pages = services.pages_of(attempt)
    if not 1 <= number <= len(pages):
        abort(404)
    if request.method == "POST":
        form = request.form.to_dict(flat=False)
        try:
            services.save_responses(attempt, form, services.leaf_ids(attempt, pages[number - 1]))
        except services.QuizError as exc:
            db.session.rollback()
            flash(str(exc), "error")
            return redirect(url_for("quizzes.page", attempt_id=attempt_id, number=number))
        target = _navigation_target(request.form.get("go", "next"), number, len(pages))
        attempt.current_page = target if isinstance(target, int) else number
        db.session.commit()
        if target == "review":
            return redirect(url_for("quizzes.review", attempt_id=attempt_id))
        return redirect(url_for("quizzes.page", attempt_id=attempt_id, number=target))
    html = render_template(
        "quizzes/page.html",
        attempt=attempt,
        items=_page_items(attempt, pages[number - 1]),
        number=number,
        pages=len(pages),
        remaining=services.remaining_seconds(attempt),
    )
    if attempt.current_page != number:
        attempt.current_page = number
        db.session.commit()
    return html


def _navigation_target(go: str, number: int, pages: int):
    if go == "prev":
        return max(1, number - 1)
    if go.isdigit() and 1 <= int(go) <= pages:
        return int(go)
    if go == "review" or number >= pages:
        return "review"
    return number + 1


@bp.route("/attempts/<int:attempt_id>/autosave", methods=["POST"])
@login_required
def autosave(attempt_id):
    attempt = _own_attempt(attempt_id, lock=True)
    payload = request.get_json(silent=True) or {}
    fields = payload.get("fields") if isinstance(payload.get("fields"), dict) else {}
    questions = [str(q) for q in payload.get("questions") or []]
    try:
        saved = services.save_responses(attempt, fields, questions)
    except services.QuizError as exc:
        if not attempt.is_open:
            _record_completion(attempt)
        db.session.commit()
        return jsonify(ok=False, error=str(exc), closed=not attempt.is_open), 409
    remaining = services.remaining_seconds(attempt)
    db.session.commit()
    return jsonify(ok=True, saved=saved, remaining=remaining)


@bp.route("/attempts/<int:attempt_id>/review")
@login_required
def review(attempt_id):
    attempt = _own_attempt(attempt_id)
    if services.close_if_expired(attempt) or not attempt.is_open:
        return _closed_redirect(attempt)
    version, responses = attempt.bank, attempt.responses
    pages = services.pages_of(attempt)
    rows = [
        {
            "number": index,
            "page": next(p for p, ids in enumerate(pages, 1) if qid in ids),
            "answered": is_answered(version.by_id[qid], responses),
        }
        for index, qid in enumerate(attempt.question_ids, 1)
    ]
    return render_template(
        "quizzes/review.html",
        attempt=attempt,
        rows=rows,
        remaining=services.remaining_seconds(attempt),
    )


@bp.route("/attempts/<int:attempt_id>/submit", methods=["POST"])
@login_required
def submit(attempt_id):
    attempt = _own_attempt(attempt_id, lock=True)
    try:
        services.submit_attempt(attempt)
    except services.QuizError as exc:
        flash(str(exc), "info")
    _record_completion(attempt)
    db.session.commit()
    return redirect(url_for("quizzes.result", attempt_id=attempt_id))


@bp.route("/attempts/<int:attempt_id>")
@login_required
def result(attempt_id):
    attempt = db.session.get(services.Attempt, attempt_id) or abort(404)
    is_owner = attempt.user_id == current_user.id
    if not is_owner and not has_role(Role.TRAINER):
        abort(403)
    if services.close_if_expired(attempt):
        _record_completion(attempt) if is_owner else None
        db.session.commit()
    if attempt.is_open:
        if is_owner:
            return redirect(
                url_for("quizzes.page", attempt_id=attempt.id, number=attempt.current_page)
            )
        abort(404)
    passed_ever = services.has_passed(attempt.user, attempt.quiz)
    reveal = (not is_owner) or services.may_see_answers(attempt, passed_ever)
    return render_template(
        "quizzes/result.html",
        attempt=attempt,
        is_owner=is_owner,
        reveal=reveal,
        details=_result_details(attempt) if reveal else [],
    )


def _describe_part(leaf, response):
    kind = QUESTION_TYPES[leaf["type"]]
    return {
        "q": leaf,
        "given": kind.describe(leaf, response),
        "correct": kind.describe(leaf, kind.correct(leaf)),
        "is_right": kind.score(leaf, response) == 1.0,
        "feedback": kind.feedback(leaf, response),
    }


def _result_details(attempt):
    version, responses = attempt.bank, attempt.responses
    from .scoring import score_attempt

    scores = score_attempt(version.by_id, attempt.question_ids, responses).per_question
    details = []
    for qid in attempt.question_ids:
        question = version.by_id[qid]
        kind = QUESTION_TYPES[question["type"]]
        leaves = kind.leaves(question)
        details.append(
            {
                "question": question,
                "score": scores[qid],
                "parts": [_describe_part(leaf, responses.get(leaf["id"])) for leaf in leaves],
            }
        )
    return details


@bp.app_context_processor
def quiz_helpers():
    """Let course pages show the quiz that closes them, without courses importing quizzes."""

    def quiz_status(course):
        quiz = services.get_quiz(course.quiz_slug) if course.quiz_slug else None
        if quiz is None:
            return None
        attempts = (
            services.user_attempts(current_user, quiz) if current_user.is_authenticated else []
        )
        return {"quiz": quiz, "attempts": attempts, "best": services.best_attempt(attempts)}

    return {"quiz_status": quiz_status}

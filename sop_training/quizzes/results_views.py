"""For trainers: results of a quiz, item analysis and CSV export."""

import sqlalchemy as sa
from flask import Blueprint, Response, abort, render_template

from ..accounts.models import Role
from ..auth import role_required
from ..extensions import db
from . import services
from .analysis import ScoredAttempt, item_analysis, items_csv
from .models import Attempt
from .question_types import QUESTION_TYPES
from .scoring import score_attempt

bp = Blueprint("quiz_results", __name__, url_prefix="/quizzes")


def _analyse(quiz):
    attempts = db.session.scalars(
        sa.select(Attempt)
        .where(Attempt.quiz_id == quiz.id, Attempt.percent.is_not(None))
        .order_by(Attempt.submitted_at.desc())
        .options(sa.orm.selectinload(Attempt.answers), sa.orm.joinedload(Attempt.user))
    ).all()
    questions = quiz.current.by_id
    scored = []
    for attempt in attempts:
        version = attempt.bank
        per_question = score_attempt(
            version.by_id, attempt.question_ids, attempt.responses
        ).per_question
        scored.append(ScoredAttempt(attempt.percent, per_question, attempt.responses))
    leaves_of = {
        qid: [leaf["id"] for leaf in QUESTION_TYPES[q["type"]].leaves(q)]
        for qid, q in questions.items()
    }
    prompts = {qid: q.get("prompt") or q.get("case", "")[:120] for qid, q in questions.items()}
    return attempts, item_analysis(scored, leaves_of), prompts


@bp.route("/<slug>/results")
@role_required(Role.TRAINER)
def results(slug):
    quiz = services.get_quiz(slug) or abort(404)
    attempts, stats, prompts = _analyse(quiz)
    trainees = {a.user_id for a in attempts}
    passed = {a.user_id for a in attempts if a.is_passed}
    return render_template(
        "quizzes/results.html",
        quiz=quiz,
        attempts=attempts,
        stats=stats,
        prompts=prompts,
        trainees=len(trainees),
        pass_rate=round(100 * len(passed) / len(trainees)) if trainees else None,
    )


@bp.route("/<slug>/results/items.csv")
@role_required(Role.TRAINER)
def results_csv(slug):
    quiz = services.get_quiz(slug) or abort(404)
    _attempts, stats, prompts = _analyse(quiz)
    return Response(
        items_csv(stats, prompts),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{slug}-item-analysis.csv"'},
    )

"""Two tabs submitting the same attempt at the same moment: exactly one scored result."""

from functools import partial

import sqlalchemy as sa

from sop_training.accounts.services import create_user
from sop_training.extensions import db
from sop_training.quizzes.models import Answer, Attempt, AttemptState, Quiz, QuizVersion

from . import quiz_bank
from .conftest import PASSWORD
from .web import WebUser, in_parallel


def _setup(live_app):
    with live_app.app_context():
        create_user(email="tabs@example.org", full_name="Two Tabs", password=PASSWORD)
        quiz = Quiz(slug="race", title="Race", version=1, content_hash="r" * 64)
        quiz.versions.append(
            QuizVersion(
                version=1,
                content_hash="r" * 64,
                settings=quiz_bank.SETTINGS,
                questions=quiz_bank.QUESTIONS,
            )
        )
        db.session.add(quiz)
        db.session.commit()


def test_parallel_submits_score_once(live_app, live_server):
    _setup(live_app)
    tab = WebUser(live_server).login("tabs@example.org", PASSWORD)
    started = tab.post("/quizzes/race/start")
    attempt_path = started.url.split("/page/")[0].removeprefix(live_server)
    tab.post(f"{attempt_path}/page/1", {"q-q-single": "a", "q-q-multi": ["a", "c"], "go": "next"})

    for round_number in range(3):
        tabs = [tab.clone() for _ in range(4)]
        calls = [partial(t.post, f"{attempt_path}/submit", token=t.token()) for t in tabs]
        pages = [response.text for response in in_parallel(calls)]
        refused = sum("already been submitted" in page for page in pages)
        expected = len(tabs) - 1 if round_number == 0 else len(tabs)
        assert refused == expected, [p[:200] for p in pages]
        assert all("Score: 2.0 of 6" in page for page in pages)

    with live_app.app_context():
        attempt = db.session.scalar(sa.select(Attempt))
        assert attempt.state == AttemptState.SUBMITTED and attempt.score == 2.0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Answer)) == 2

"""Item analysis: worked by hand on four attempts, and the trainer's results page."""

import csv
import io

import pytest

from sop_training.accounts.models import Role
from sop_training.quizzes.analysis import ScoredAttempt, item_analysis, items_csv


def test_item_analysis_by_hand():
    attempts = [
        ScoredAttempt(100, {"q1": 1, "q2": 0}, {"q1": "a", "q2": False}),
        ScoredAttempt(50, {"q1": 1, "q2": 0}, {"q1": "a", "q2": False}),
        ScoredAttempt(50, {"q1": 0, "q2": 1}, {"q1": "b", "q2": True}),
        ScoredAttempt(0, {"q1": 0, "q2": 0}, {"q1": "c", "q2": False}),
    ]
    q1, q2 = item_analysis(attempts, {"q1": ["q1"], "q2": ["q2"]})
    # Groups of round(4 * 0.27) = 1: the 100 % attempt above, the 0 % attempt below.
    assert (q1.shown, q1.share_correct, q1.discrimination) == (4, 0.5, 1.0)
    assert q1.choices == {"q1": {"a": 0.5, "b": 0.25, "c": 0.25}}
    assert (q2.share_correct, q2.discrimination) == (0.25, 0.0)
    assert q2.choices == {"q2": {"false": 0.75, "true": 0.25}}
    rows = list(csv.DictReader(io.StringIO(items_csv([q1, q2], {"q1": "First?", "q2": "Second?"}))))
    assert rows[0]["share_correct"] == "0.5000" and rows[0]["discrimination"] == "1.0000"
    assert rows[0]["choices"] == "q1:a=0.50; q1:b=0.25; q1:c=0.25"


def test_single_attempt_has_no_discrimination():
    [item] = item_analysis([ScoredAttempt(80, {"q1": 1}, {"q1": "a"})], {"q1": ["q1"]})
    assert item.share_correct == 1 and item.discrimination is None


def _take(client, quiz, data):
    client.post(f"/quizzes/{quiz.slug}/start")
    import sqlalchemy as sa

    from sop_training.extensions import db
    from sop_training.quizzes.models import Attempt

    attempt = db.session.scalar(sa.select(Attempt).order_by(Attempt.id.desc()))
    client.post(f"/attempts/{attempt.id}/page/1", data={**data, "go": "next"})
    client.post(f"/attempts/{attempt.id}/submit")


def test_results_page_and_csv_for_trainers_only(client, login, make_quiz):
    quiz = make_quiz()
    login()
    _take(client, quiz, {"q-q-single": "a", "q-q-multi": ["a", "c"]})
    client.post("/accounts/logout")
    login()
    _take(client, quiz, {"q-q-single": "b"})
    assert client.get(f"/quizzes/{quiz.slug}/results").status_code == 403
    assert client.get(f"/quizzes/{quiz.slug}/results/items.csv").status_code == 403
    client.post("/accounts/logout")
    login(role=Role.TRAINER)
    page = client.get(f"/quizzes/{quiz.slug}/results").get_data(as_text=True)
    assert "Pass rate" in page and "0%" in page and "Test User" in page
    response = client.get(f"/quizzes/{quiz.slug}/results/items.csv")
    assert response.mimetype == "text/csv"
    rows = {
        r["question_id"]: r for r in csv.DictReader(io.StringIO(response.get_data(as_text=True)))
    }
    assert rows["q-single"]["shown"] == "2" and rows["q-single"]["share_correct"] == "0.5000"
    assert rows["q-single"]["choices"] == "q-single:a=0.50; q-single:b=0.50"
    assert rows["q-multi"]["share_correct"] == "0.5000"


@pytest.mark.parametrize("role", [Role.TRAINER, Role.ADMIN])
def test_results_link_on_overview_for_staff(client, login, make_quiz, role):
    quiz = make_quiz()
    login(role=role)
    assert "See results" in client.get(f"/quizzes/{quiz.slug}").get_data(as_text=True)

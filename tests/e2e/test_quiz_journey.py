"""Taking a quiz in Chromium: autosave survives a reload; a short time limit runs out."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from sop_training.accounts.services import create_user
from sop_training.db import utcnow
from sop_training.extensions import db
from sop_training.quizzes.models import Attempt, Quiz, QuizVersion

from .. import quiz_bank
from ..conftest import PASSWORD


@pytest.fixture
def app_with_quizzes(live_app):
    live_app.config["QUIZ_DEADLINE_GRACE_SECONDS"] = 1
    with live_app.app_context():
        create_user(email="quiz@example.org", full_name="Quiz Taker", password=PASSWORD)
        for slug, limit in (("journey", None), ("short", 10)):
            quiz = Quiz(slug=slug, title=f"Quiz {slug}", version=1, content_hash=slug * 8)
            settings = {**quiz_bank.SETTINGS, "time_limit_minutes": limit}
            quiz.versions.append(
                QuizVersion(
                    version=1,
                    content_hash=slug * 8,
                    settings=settings,
                    questions=quiz_bank.QUESTIONS,
                )
            )
            db.session.add(quiz)
        db.session.commit()
    return live_app


def log_in(page, base):
    page.goto(f"{base}/accounts/login")
    page.get_by_label("Email").fill("quiz@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="My learning")).to_be_visible()


def test_take_quiz_reload_and_see_result(app_with_quizzes, live_server, page):
    log_in(page, live_server)
    page.goto(f"{live_server}/quizzes/journey")
    page.get_by_role("button", name="Start the quiz").click()
    expect(page.get_by_text("Page 1 of 3")).to_be_visible()

    page.get_by_label("Means").check()
    expect(page.locator('[data-question="q-single"] [data-save-state]')).to_have_text("Saved")
    page.get_by_label("No control of ID").check()
    page.get_by_label("Debt to the employer").check()
    expect(page.locator('[data-question="q-multi"] [data-save-state]')).to_have_text("Saved")

    # A reload (or a dropped connection and a return) finds every answer.
    page.reload()
    expect(page.get_by_label("Means")).to_be_checked()
    expect(page.get_by_label("No control of ID")).to_be_checked()
    expect(page.get_by_label("Debt to the employer")).to_be_checked()

    page.get_by_role("button", name="Save and next").click()
    page.get_by_label("True", exact=True).check()
    page.get_by_role("button", name="Save and next").click()
    page.get_by_role("button", name="Save and review").click()
    expect(page.get_by_text("questions are not answered yet")).to_be_visible()
    page.get_by_role("button", name="Submit all and finish").click()
    expect(page.get_by_text("Score: 3.0 of 6 (50.0%)")).to_be_visible()
    expect(page.get_by_text("Not passed", exact=True)).to_be_visible()
    expect(page.get_by_text("Right: Art. 3(c).")).to_be_visible()


def test_time_runs_out(app_with_quizzes, live_server, page):
    log_in(page, live_server)
    page.goto(f"{live_server}/quizzes/short")
    page.get_by_role("button", name="Start the quiz").click()
    expect(page.get_by_text("Time left:")).to_be_visible()
    page.get_by_label("Means").check()
    expect(page.locator('[data-question="q-single"] [data-save-state]')).to_have_text("Saved")
    with app_with_quizzes.app_context():
        attempt = db.session.scalar(sa.select(Attempt))
        attempt.deadline_at = utcnow() + timedelta(seconds=3)
        db.session.commit()
    page.reload()
    # The countdown reaches zero and the page moves to the scored result by itself.
    expect(
        page.get_by_text("Time ran out; the answers saved before the deadline were scored.")
    ).to_be_visible(timeout=20000)
    expect(page.get_by_text("Score: 1.0 of 6")).to_be_visible()

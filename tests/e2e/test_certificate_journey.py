"""In Chromium: complete a course, download the certificate, verify it from the printed code."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from sop_training.accounts.services import create_user
from sop_training.courses.models import Course, Lesson
from sop_training.extensions import db
from sop_training.quizzes.models import Quiz, QuizVersion

from .. import quiz_bank
from ..certificate_helpers import pdf_text
from ..conftest import PASSWORD

NAME = "Đurđa Šćepanović-Çelë"


@pytest.fixture
def app_with_short_course(live_app):
    with live_app.app_context():
        create_user(email="holder@example.org", full_name=NAME, password=PASSWORD)
        quiz = Quiz(slug="short-quiz", title="Short quiz", version=1, content_hash="s" * 64)
        quiz.versions.append(
            QuizVersion(
                version=1,
                content_hash="s" * 64,
                settings={**quiz_bank.SETTINGS, "per_page": 1},
                questions=[quiz_bank.QUESTIONS[0]],
            )
        )
        course = Course(
            slug="short-course",
            title="A short course",
            summary="One lesson and one question.",
            audience=["police"],
            languages=["en"],
            quiz_slug="short-quiz",
            content_hash="s" * 64,
        )
        course.lessons.append(
            Lesson(slug="only", position=1, title="The only lesson", body_html="<p>Read me.</p>")
        )
        db.session.add_all([quiz, course])
        db.session.commit()
    return live_app


def test_complete_download_and_verify(app_with_short_course, live_server, page, tmp_path):
    page.goto(f"{live_server}/accounts/login")
    page.get_by_label("Email").fill("holder@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.goto(f"{live_server}/courses/short-course")
    page.get_by_role("button", name="Enrol").click()
    # Enrolling opens the first lesson; reading to its end marks it done.
    expect(page.get_by_role("heading", name="The only lesson")).to_be_visible()
    expect(page.get_by_text("Lesson done")).to_be_visible()
    page.goto(f"{live_server}/courses/short-course")
    expect(page.get_by_text("1 of 1 lessons done")).to_be_visible()
    page.goto(f"{live_server}/quizzes/short-quiz")
    page.get_by_role("button", name="Start the quiz").click()
    page.get_by_label("Means").check()
    page.get_by_role("button", name="Save and review").click()
    page.get_by_role("button", name="Submit all and finish").click()
    expect(page.get_by_text("Passed", exact=True)).to_be_visible()

    page.goto(f"{live_server}/courses/short-course")
    expect(page.get_by_text("Your certificate")).to_be_visible()
    with page.expect_download() as info:
        page.get_by_role("link", name="Download PDF").click()
    data = Path(info.value.path()).read_bytes()
    text = " ".join(pdf_text(data, tmp_path).split())
    assert NAME in text and "A short course" in text
    code = re.search(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", text).group(0)

    # A stranger, not logged in, checks the code printed on the paper.
    page.get_by_role("button", name="Log out").click()
    page.goto(f"{live_server}/verify")
    page.get_by_label("Verification code").fill(code.lower())
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", name="Valid certificate")).to_be_visible()
    expect(page.get_by_text(NAME)).to_be_visible()

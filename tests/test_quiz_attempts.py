"""Taking a quiz through the web pages: saving, resuming, submitting, tampering, time limits."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from sop_training.accounts.models import Role
from sop_training.courses.models import Enrolment, LessonProgress
from sop_training.db import utcnow
from sop_training.extensions import db
from sop_training.quizzes.models import Answer, Attempt, AttemptState

from .quiz_bank import ALL_RIGHT


def start(client, quiz):
    response = client.post(f"/quizzes/{quiz.slug}/start")
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.scalar(sa.select(Attempt).order_by(Attempt.id.desc())), response.headers[
        "Location"
    ]


def page_fields(page_number):
    pages = [
        ["q-q-single", "q-q-multi"],
        ["q-q-tf", "q-q-order-a", "q-q-order-b", "q-q-order-c"],
        ["q-q-match-a", "q-q-match-b", "q-q-match-c", "q-q-case-a", "q-q-case-b"],
    ]
    return {n: ALL_RIGHT[n] for n in pages[page_number - 1]}


def answer_everything(client, attempt):
    for number in (1, 2, 3):
        response = client.post(
            f"/attempts/{attempt.id}/page/{number}", data={**page_fields(number), "go": "next"}
        )
        assert response.status_code == 302


def test_overview_start_and_first_page(client, login, make_quiz):
    quiz = make_quiz()
    login()
    overview = client.get(f"/quizzes/{quiz.slug}").get_data(as_text=True)
    assert "Start the quiz" in overview and "70%" in overview
    attempt, location = start(client, quiz)
    assert location.endswith(f"/attempts/{attempt.id}/page/1")
    assert attempt.number == 1 and attempt.pass_mark == 70 and attempt.max_score == 6
    assert attempt.quiz_version.version == 1 and len(attempt.question_ids) == 6
    page = client.get(location).get_data(as_text=True)
    assert "Which element is never needed" in page and "Page 1 of 3" in page


def test_correct_answers_never_reach_the_browser_before_submission(client, login, make_quiz):
    quiz = make_quiz()
    login()
    attempt, _ = start(client, quiz)
    for number in (1, 2, 3):
        page = client.get(f"/attempts/{attempt.id}/page/{number}").get_data(as_text=True)
        assert (
            "Right: Art. 3(c)." not in page
            and "Because of" not in page
            and "AI 01/2014." not in page
        )
    autosave = client.post(
        f"/attempts/{attempt.id}/autosave",
        json={"questions": ["q-single"], "fields": {"q-q-single": ["b"]}},
    )
    assert autosave.json["ok"] and "answer" not in autosave.get_data(as_text=True)


def test_answers_are_saved_and_shown_again_on_reload(client, login, make_quiz):
    quiz = make_quiz()
    login()
    attempt, _ = start(client, quiz)
    client.post(
        f"/attempts/{attempt.id}/page/1",
        data={"q-q-single": "a", "q-q-multi": ["a", "c"], "go": "next"},
    )
    page = client.get(f"/attempts/{attempt.id}/page/1").get_data(as_text=True)
    assert (
        'name="q-q-single" value="a"\n          checked' in page
        or 'value="a"\n          checked' in page
    )
    saved = {a.question_id: a.response for a in db.session.scalars(sa.select(Answer))}
    assert saved == {"q-single": "a", "q-multi": ["a", "c"]}
    # Coming back to the quiz resumes the same attempt on the page last visited.
    client.post(f"/attempts/{attempt.id}/page/1", data={"q-q-single": "a", "go": "next"})
    again = client.post(f"/quizzes/{quiz.slug}/start")
    assert again.headers["Location"].endswith(f"/attempts/{attempt.id}/page/2")


def test_autosave_saves_one_question_and_can_clear_it(client, login, make_quiz):
    quiz = make_quiz()
    login()
    attempt, _ = start(client, quiz)
    url = f"/attempts/{attempt.id}/autosave"
    assert client.post(url, json={"questions": ["q-multi"], "fields": {"q-q-multi": ["a"]}}).json[
        "saved"
    ] == ["q-multi"]
    assert (
        client.post(url, json={"questions": ["q-multi"], "fields": {"q-q-multi": []}}).status_code
        == 200
    )
    answer = db.session.scalar(sa.select(Answer))
    db.session.refresh(answer)
    assert answer.response is None


@pytest.mark.parametrize(
    "payload",
    [
        {"questions": ["not-in-attempt"], "fields": {"q-not-in-attempt": ["a"]}},
        {"questions": ["q-single"], "fields": {"q-q-single": ["z"]}},
        {"questions": ["q-single"], "fields": {"q-q-single": ["a"], "q-q-other": ["b"]}},
    ],
)
def test_tampered_answers_change_nothing(client, login, make_quiz, payload):
    quiz = make_quiz()
    login()
    attempt, _ = start(client, quiz)
    client.post(
        f"/attempts/{attempt.id}/autosave",
        json={"questions": ["q-single"], "fields": {"q-q-single": ["b"]}},
    )
    response = client.post(f"/attempts/{attempt.id}/autosave", json=payload)
    assert response.status_code == 409 and "nothing was saved" in response.json["error"]
    assert [(a.question_id, a.response) for a in db.session.scalars(sa.select(Answer))] == [
        ("q-single", "b")
    ]


def test_tampered_page_submit_shows_message_and_keeps_answers(client, login, make_quiz):
    quiz = make_quiz()
    login()
    attempt, _ = start(client, quiz)
    client.post(f"/attempts/{attempt.id}/page/1", data={"q-q-single": "a", "go": "next"})
    bad = client.post(
        f"/attempts/{attempt.id}/page/1",
        data={"q-q-single": "zzz", "go": "next"},
        follow_redirects=True,
    )
    assert "does not exist" in bad.get_data(as_text=True)
    assert db.session.scalar(sa.select(Answer.response)) == "a"


def test_another_users_attempt_is_forbidden(client, login, make_user, make_quiz):
    quiz = make_quiz()
    owner = login()
    attempt, _ = start(client, quiz)
    client.post("/accounts/logout")
    login()
    assert client.get(f"/attempts/{attempt.id}/page/1").status_code == 403
    assert (
        client.post(
            f"/attempts/{attempt.id}/autosave", json={"questions": [], "fields": {}}
        ).status_code
        == 403
    )
    assert client.post(f"/attempts/{attempt.id}/submit").status_code == 403
    assert client.get(f"/attempts/{attempt.id}").status_code == 403
    assert db.session.get(Attempt, attempt.id).user_id == owner.id


def test_full_attempt_scores_and_shows_feedback(client, login, make_quiz):
    quiz = make_quiz()
    login()
    attempt, _ = start(client, quiz)
    answer_everything(client, attempt)
    review = client.get(f"/attempts/{attempt.id}/review").get_data(as_text=True)
    assert "Every question has an answer." in review
    response = client.post(f"/attempts/{attempt.id}/submit")
    assert response.headers["Location"].endswith(f"/attempts/{attempt.id}")
    result = client.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    assert "Score: 6.0 of 6 (100.0%)" in result and "Passed" in result
    assert "Right: Art. 3(c)." in result and "Because of q-single." in result
    db.session.refresh(attempt)
    assert (
        attempt.state == AttemptState.SUBMITTED and attempt.is_passed and attempt.percent == 100.0
    )


def test_submitting_twice_scores_once(client, login, make_quiz):
    quiz = make_quiz()
    login()
    attempt, _ = start(client, quiz)
    client.post(f"/attempts/{attempt.id}/page/1", data={"q-q-single": "a", "go": "next"})
    client.post(f"/attempts/{attempt.id}/submit")
    db.session.refresh(attempt)
    first = (attempt.score, attempt.submitted_at)
    again = client.post(f"/attempts/{attempt.id}/submit", follow_redirects=True)
    assert "already been submitted" in again.get_data(as_text=True)
    late = client.post(
        f"/attempts/{attempt.id}/autosave",
        json={"questions": ["q-multi"], "fields": {"q-q-multi": ["a", "c"]}},
    )
    assert late.status_code == 409
    db.session.refresh(attempt)
    assert (attempt.score, attempt.submitted_at) == first
    responses = {a.question_id: a.response for a in db.session.scalars(sa.select(Answer))}
    assert responses == {"q-single": "a", "q-multi": None}


def test_deadline_closes_attempt_with_saved_answers(client, login, make_quiz):
    quiz = make_quiz(time_limit_minutes=5)
    login()
    attempt, _ = start(client, quiz)
    page = client.get(f"/attempts/{attempt.id}/page/1").get_data(as_text=True)
    assert "Time left:" in page and "5:00" in page or "4:59" in page
    client.post(f"/attempts/{attempt.id}/page/1", data={"q-q-single": "a", "go": "next"})
    attempt.deadline_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    late = client.post(
        f"/attempts/{attempt.id}/autosave",
        json={"questions": ["q-tf"], "fields": {"q-q-tf": ["true"]}},
    )
    assert late.status_code == 409 and late.json["closed"]
    db.session.refresh(attempt)
    assert attempt.state == AttemptState.TIMED_OUT and attempt.score == 1.0
    result = client.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    assert "Time ran out" in result


def test_attempt_limit_and_waiting_time(client, login, make_quiz):
    quiz = make_quiz(attempt_limit=2, wait_minutes=30)
    login()
    attempt, _ = start(client, quiz)
    client.post(f"/attempts/{attempt.id}/submit")
    refused = client.post(f"/quizzes/{quiz.slug}/start", follow_redirects=True).get_data(
        as_text=True
    )
    assert "You can start a new attempt in 30 minutes." in refused
    attempt.submitted_at = utcnow() - timedelta(minutes=31)
    db.session.commit()
    second, _ = start(client, quiz)
    assert second.number == 2
    client.post(f"/attempts/{second.id}/submit")
    db.session.get(Attempt, second.id).submitted_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    page = client.post(f"/quizzes/{quiz.slug}/start", follow_redirects=True).get_data(as_text=True)
    assert "You have used all 2 attempts at this quiz." in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attempt)) == 2


@pytest.mark.parametrize(
    ("policy", "shown"), [("never", False), ("after_pass", False), ("after_attempt", True)]
)
def test_answer_policy_after_a_failed_attempt(client, login, make_quiz, policy, shown):
    quiz = make_quiz(show_answers=policy)
    login()
    attempt, _ = start(client, quiz)
    client.post(f"/attempts/{attempt.id}/submit")
    page = client.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    assert "Not passed" in page
    assert ("Because of q-single." in page) is shown


def test_passing_the_quiz_completes_the_course(client, login, make_quiz, make_course):
    quiz = make_quiz()
    course = make_course(lessons=1, quiz_slug=quiz.slug)
    user = login()
    client.post(f"/courses/{course.slug}/enrol")
    client.post(f"/courses/{course.slug}/lessons/lesson-1/done")
    attempt, _ = start(client, quiz)
    answer_everything(client, attempt)
    client.post(f"/attempts/{attempt.id}/submit")
    enrolment = db.session.scalar(sa.select(Enrolment).where(Enrolment.user_id == user.id))
    db.session.refresh(enrolment)
    assert enrolment.completed_at is not None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LessonProgress)) == 1
    page = client.get(f"/courses/{course.slug}").get_data(as_text=True)
    assert "Best result: 100%" in page


def test_trainer_sees_attempt_detail_trainee_does_not(client, login, make_user, make_quiz):
    quiz = make_quiz()
    trainee = login()
    attempt, _ = start(client, quiz)
    client.post(f"/attempts/{attempt.id}/submit")
    client.post("/accounts/logout")
    login(role=Role.TRAINER)
    page = client.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    assert trainee.full_name in page and "Correct answer" in page

"""Scores flow back to the platform's gradebook, survive its outages, and go once."""

import pytest
import sqlalchemy as sa

from sop_training.extensions import db
from sop_training.lti import keys
from sop_training.lti.models import LtiPlatform, LtiScore

from .lti_platform import LEARNER, GradebookServer, LmsPlatform
from .test_lti import TOOL, start
from .test_quiz_attempts import answer_everything
from .test_quiz_attempts import start as start_quiz


@pytest.fixture
def gradebook(app):
    with app.test_request_context():
        lms = LmsPlatform(TOOL, keys.published_keys())
    with GradebookServer(lms) as server:
        with app.test_request_context():
            lms.register_with_tool(token_url=f"{server.base}/token")
            db.session.commit()
        yield lms, server


def launch_quiz(client, lms, server, quiz, user_id="learner-7"):
    params = start(client, lms, user_id)
    lineitem = f"{server.base}/lineitems/42/lineitem"
    form = lms.launch(params, user_id, LEARNER, custom={"quiz": quiz.slug}, lineitem=lineitem)
    response = client.post("/lti/launch", data=form)
    assert response.status_code == 302
    return response


def take_quiz(client, quiz, answer=True):
    attempt, _location = start_quiz(client, quiz)
    if answer:
        answer_everything(client, attempt)
    client.post(f"/attempts/{attempt.id}/submit")
    return attempt


def test_submitted_quiz_score_reaches_the_platform(client, gradebook, make_quiz):
    lms, server = gradebook
    quiz = make_quiz()
    launch_quiz(client, lms, server, quiz)
    take_quiz(client, quiz)
    assert len(server.scores) == 1
    score = server.scores[0]
    assert score["item"] == "42" and score["userId"] == "learner-7"
    assert (score["scoreGiven"], score["scoreMaximum"]) == (6.0, 6.0)
    assert score["activityProgress"] == "Completed"
    assert score["gradingProgress"] == "FullyGraded"
    assert db.session.scalar(sa.select(LtiScore)).sent_at is not None


def test_platform_outage_queues_the_score_and_sync_sends_it_once(
    client, runner, gradebook, make_quiz
):
    lms, server = gradebook
    quiz = make_quiz(attempt_limit=None)
    launch_quiz(client, lms, server, quiz)
    server.failing = True
    take_quiz(client, quiz, answer=False)
    queued = db.session.scalar(sa.select(LtiScore))
    assert queued.sent_at is None and "503" in queued.last_error and server.scores == []
    server.failing = False
    assert "Sent 1 score(s); 0 still waiting." in runner.invoke(args=["lti-sync"]).output
    assert "Sent 0 score(s); 0 still waiting." in runner.invoke(args=["lti-sync"]).output
    assert len(server.scores) == 1 and server.scores[0]["scoreGiven"] == 0.0


def test_next_launch_sends_what_was_waiting(client, gradebook, make_quiz):
    lms, server = gradebook
    quiz = make_quiz(attempt_limit=None)
    launch_quiz(client, lms, server, quiz)
    server.failing = True
    take_quiz(client, quiz)
    server.failing = False
    launch_quiz(client, lms, server, quiz)
    assert len(server.scores) == 1


def test_no_grade_without_a_line_item(client, gradebook, make_quiz):
    lms, _server = gradebook
    quiz = make_quiz()
    params = start(client, lms, "no-ags")
    form = lms.launch(params, "no-ags", LEARNER, custom={"quiz": quiz.slug})
    client.post("/lti/launch", data=form)
    take_quiz(client, quiz)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LtiScore)) == 0
    assert db.session.scalar(sa.select(LtiPlatform)).is_active


def test_course_link_gets_progress_then_completion(client, gradebook, make_quiz, make_course):
    lms, server = gradebook
    quiz = make_quiz()
    course = make_course(lessons=1, quiz_slug=quiz.slug)
    params = start(client, lms, "learner-8")
    lineitem = f"{server.base}/lineitems/7/lineitem"
    form = lms.launch(
        params, "learner-8", LEARNER, custom={"course": course.slug}, lineitem=lineitem
    )
    client.post("/lti/launch", data=form)
    client.post(f"/courses/{course.slug}/enrol")
    take_quiz(client, quiz)
    assert [s["activityProgress"] for s in server.scores] == ["InProgress"]
    client.post(f"/courses/{course.slug}/lessons/lesson-1/done")
    assert [s["activityProgress"] for s in server.scores] == ["InProgress", "Completed"]
    assert server.scores[-1]["scoreGiven"] == 6.0
    assert server.scores[-1]["timestamp"] >= server.scores[0]["timestamp"]


def test_sync_forgets_expired_launch_data_and_old_nonces(app, runner):
    from datetime import timedelta

    from sop_training.db import utcnow
    from sop_training.lti.models import LtiCacheEntry, LtiUsedNonce

    now = utcnow()
    db.session.add_all(
        [
            LtiCacheEntry(key="old", value=True, expires_at=now - timedelta(minutes=1)),
            LtiCacheEntry(key="fresh", value=True, expires_at=now + timedelta(hours=1)),
            LtiUsedNonce(issuer="i", nonce="old", used_at=now - timedelta(days=3)),
            LtiUsedNonce(issuer="i", nonce="recent", used_at=now - timedelta(hours=1)),
        ]
    )
    db.session.commit()
    assert "Removed 2 expired entries." in runner.invoke(args=["lti-sync"]).output
    assert db.session.scalars(sa.select(LtiCacheEntry.key)).all() == ["fresh"]
    assert db.session.scalars(sa.select(LtiUsedNonce.nonce)).all() == ["recent"]

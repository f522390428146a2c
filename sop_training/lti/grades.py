"""Assignment and Grade Services: scores queued in the database, then posted to the platform.

A score is queued in the same transaction that finished the quiz attempt, so it cannot be
lost; it is posted once the request has committed, again by ``flask lti-sync`` and on the
person's next launch while the platform has not accepted it. One row per attempt and line
item, marked sent once accepted, so nothing is sent twice on purpose; a repeat after a crash
carries the same timestamp, which the platform treats as the same score.
"""

import json
import logging
from datetime import datetime

import sqlalchemy as sa
from flask import g
from pylti1p3.exception import LtiServiceException
from pylti1p3.service_connector import ServiceConnector
from requests import RequestException

from ..courses.models import Course
from ..db import utcnow
from ..extensions import db
from ..quizzes.models import Attempt
from .launches import registration_of
from .models import LtiLaunchContext, LtiPlatform, LtiScore

logger = logging.getLogger(__name__)

SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
AGS_CLAIM = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NRPS_CLAIM = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"


def record_context(platform: LtiPlatform, user_id: int, launch) -> LtiLaunchContext:
    """Remember the resource link a person launched, with its line item (if any)."""
    claims = launch.claims
    link = (claims.get("https://purl.imsglobal.org/spec/lti/claim/resource_link") or {}).get("id")
    ags = claims.get(AGS_CLAIM) or {}
    context = db.session.scalar(
        sa.select(LtiLaunchContext).where(
            LtiLaunchContext.platform_id == platform.id,
            LtiLaunchContext.user_id == user_id,
            LtiLaunchContext.resource_link_id == (link or ""),
        )
    )
    if context is None:
        context = LtiLaunchContext(
            platform_id=platform.id, user_id=user_id, resource_link_id=link or ""
        )
        db.session.add(context)
    context.subject = launch.subject
    context.deployment_id = claims.get("https://purl.imsglobal.org/spec/lti/claim/deployment_id")
    context.course_slug = launch.custom.get("course")
    context.quiz_slug = launch.custom.get("quiz")
    context.lineitem_url = ags.get("lineitem")
    lms_course = claims.get("https://purl.imsglobal.org/spec/lti/claim/context") or {}
    context.context_title = lms_course.get("title") or lms_course.get("label")
    nrps = claims.get(NRPS_CLAIM) or {}
    context.memberships_url = nrps.get("context_memberships_url")
    context.ags_scopes = list(ags.get("scope") or [])
    context.launched_at = utcnow()
    db.session.flush()
    return context


def _contexts(user_id: int, quiz_slug: str | None, course_slugs: list[str]) -> list:
    conditions = [LtiLaunchContext.course_slug.in_(course_slugs)]
    if quiz_slug:
        conditions.append(LtiLaunchContext.quiz_slug == quiz_slug)
    return list(
        db.session.scalars(
            sa.select(LtiLaunchContext).where(
                LtiLaunchContext.user_id == user_id,
                LtiLaunchContext.lineitem_url.is_not(None),
                sa.or_(*conditions),
            )
        )
    )


def _queue(context, attempt: Attempt, event: str, progress: str, at: datetime) -> LtiScore | None:
    if SCORE_SCOPE not in context.ags_scopes:
        return None
    score = LtiScore(
        context_id=context.id,
        attempt_id=attempt.id,
        event=event,
        score_given=float(attempt.score or 0),
        score_maximum=float(attempt.max_score),
        activity_progress=progress,
        grading_progress="FullyGraded",
        scored_at=at,
    )
    db.session.add(score)
    return score


def _remember(queued: list[LtiScore]) -> list[LtiScore]:
    if queued:
        db.session.flush()
        g.setdefault("lti_scores", []).extend(s.id for s in queued)
    return queued


def queue_attempt(attempt: Attempt) -> list[LtiScore]:
    """Queue the attempt's score for every line item it belongs to.

    A quiz link gets it as the activity's result; a course link as progress (the course is
    complete only when its lessons are done too).
    """
    slug = attempt.quiz.slug
    courses = db.session.scalars(sa.select(Course.slug).where(Course.quiz_slug == slug)).all()
    at = attempt.submitted_at or utcnow()
    queued = []
    for context in _contexts(attempt.user_id, slug, list(courses)):
        progress = "Completed" if context.quiz_slug == slug else "InProgress"
        queued.append(_queue(context, attempt, f"attempt:{attempt.id}", progress, at))
    return _remember([s for s in queued if s])


def queue_completion(enrolment, best: Attempt | None) -> list[LtiScore]:
    """Queue a completed course's result (its best quiz score) for the course's line items."""
    if best is None:
        return []
    at = enrolment.completed_at or utcnow()
    event = f"completed:{enrolment.id}:{at:%Y%m%dT%H%M%S}"
    queued = [
        _queue(context, best, event, "Completed", at)
        for context in _contexts(enrolment.user_id, None, [enrolment.course.slug])
    ]
    return _remember([s for s in queued if s])


def _scores_url(lineitem_url: str) -> str:
    base, _, query = lineitem_url.partition("?")
    return f"{base.rstrip('/')}/scores" + (f"?{query}" if query else "")


def _timestamp(moment: datetime) -> str:
    return moment.astimezone().isoformat(timespec="milliseconds")


def send(score: LtiScore, connectors: dict | None = None) -> bool:
    """Post one queued score; record the outcome; return whether the platform accepted it.

    ``connectors`` keeps one service connector per platform across calls, so a batch asks
    each platform for an access token once.
    """
    context = db.session.get(LtiLaunchContext, score.context_id)
    platform = db.session.get(LtiPlatform, context.platform_id)
    connectors = {} if connectors is None else connectors
    if platform.id not in connectors:
        connectors[platform.id] = ServiceConnector(registration_of(platform))
    body = {
        "userId": context.subject,
        "scoreGiven": score.score_given,
        "scoreMaximum": score.score_maximum,
        "activityProgress": score.activity_progress,
        "gradingProgress": score.grading_progress,
        "timestamp": _timestamp(score.scored_at),
    }
    score.tries += 1
    try:
        connectors[platform.id].make_service_request(
            [SCORE_SCOPE],
            _scores_url(context.lineitem_url),
            is_post=True,
            data=json.dumps(body),
            content_type="application/vnd.ims.lis.v1.score+json",
        )
    except (LtiServiceException, RequestException, AssertionError) as exc:
        score.last_error = str(exc)[:500]
        logger.warning("Score %s not accepted by %s: %s", score.id, platform.issuer, exc)
        return False
    score.sent_at = utcnow()
    score.last_error = ""
    logger.info("Score %s sent to %s", score.id, platform.issuer)
    return True


def pending(user_id: int | None = None, ids: list[int] | None = None) -> list[LtiScore]:
    """Return queued scores not yet accepted, oldest first."""
    query = sa.select(LtiScore).where(LtiScore.sent_at.is_(None)).order_by(LtiScore.id)
    if ids is not None:
        query = query.where(LtiScore.id.in_(ids))
    if user_id is not None:
        query = query.join(LtiLaunchContext).where(LtiLaunchContext.user_id == user_id)
    return list(db.session.scalars(query))


def deliver(scores: list[LtiScore]) -> tuple[int, int]:
    """Send each score, committing after each; return (sent, still waiting)."""
    sent, connectors = 0, {}
    for score in scores:
        # Lock the row so two deliveries (cron and a launch) never post the same score.
        locked = db.session.scalar(
            sa.select(LtiScore)
            .where(LtiScore.id == score.id, LtiScore.sent_at.is_(None))
            .with_for_update(skip_locked=True)
        )
        if locked is not None and send(locked, connectors):
            sent += 1
        db.session.commit()
    return sent, len(scores) - sent

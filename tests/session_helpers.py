"""Factories for session tests."""

from datetime import timedelta

import sqlalchemy as sa

from sop_training.accounts.models import Agency, Region
from sop_training.db import utcnow
from sop_training.extensions import db
from sop_training.scheduling.models import TrainingSession


def first_region() -> Region:
    return db.session.scalar(sa.select(Region).order_by(Region.id))


def agency_of_type(kind: str) -> Agency:
    return db.session.scalar(
        sa.select(Agency).where(Agency.type == kind).order_by(Agency.id).limit(1)
    )


def make_session(course, capacity=2, trainers=(), days_ahead=10, **fields) -> TrainingSession:
    start = (utcnow() + timedelta(days=days_ahead)).replace(microsecond=0)
    session = TrainingSession(
        course_id=course.id,
        region_id=fields.pop("region_id", None) or first_region().id,
        venue=fields.pop("venue", "Municipal hall"),
        address="Rruga e Dëshmorëve 1",
        starts_at=start,
        ends_at=start + timedelta(hours=6),
        registration_deadline=fields.pop("registration_deadline", start - timedelta(days=1)),
        capacity=capacity,
        language="sq",
        **fields,
    )
    session.trainers = list(trainers)
    if trainers:
        session.created_by_id = trainers[0].id
    db.session.add(session)
    db.session.commit()
    return session

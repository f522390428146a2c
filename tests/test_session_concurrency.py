"""People taking the last seat at the same moment: exactly one gets it, the others wait."""

from functools import partial

import sqlalchemy as sa

from sop_training.accounts.services import create_user
from sop_training.courses.models import Course
from sop_training.extensions import db
from sop_training.scheduling.models import Registration, RegistrationStatus

from .conftest import PASSWORD
from .session_helpers import make_session
from .web import WebUser, in_parallel

ROUNDS, PEOPLE = 3, 4


def test_last_seat_goes_to_exactly_one(live_app, live_server):
    with live_app.app_context():
        course = Course(slug="race", title="Race", content_hash="r" * 64)
        db.session.add(course)
        db.session.commit()
        sessions = [make_session(course, capacity=1).id for _ in range(ROUNDS)]
        for n in range(PEOPLE):
            create_user(email=f"p{n}@example.org", full_name=f"Person {n}", password=PASSWORD)
        db.session.commit()
    people = [WebUser(live_server).login(f"p{n}@example.org", PASSWORD) for n in range(PEOPLE)]

    for session_id in sessions:
        calls = [
            partial(p.post, f"/sessions/{session_id}/register", token=p.token()) for p in people
        ]
        pages = [response.text for response in in_parallel(calls)]
        assert sum("Your seat is confirmed" in page for page in pages) == 1, pages
        assert sum("waiting list" in page for page in pages) == PEOPLE - 1

    with live_app.app_context():
        for session_id in sessions:
            statuses = db.session.scalars(
                sa.select(Registration.status).where(Registration.session_id == session_id)
            ).all()
            assert sorted(s.value for s in statuses) == sorted(
                [RegistrationStatus.CONFIRMED.value] + [RegistrationStatus.WAITLISTED.value] * 3
            )

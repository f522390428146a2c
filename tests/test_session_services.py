"""Seats, waitlist promotion, eligibility, prerequisites, and attendance towards completion."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from sop_training.accounts.models import Role
from sop_training.certificates.models import Certificate
from sop_training.courses.models import CompletionRule, Enrolment
from sop_training.courses.services import enroll, mark_lesson_done
from sop_training.db import utcnow
from sop_training.extensions import db
from sop_training.scheduling import services
from sop_training.scheduling.attendance_csv import parse_attendance
from sop_training.scheduling.models import Attendance, RegistrationStatus

from .session_helpers import agency_of_type, make_session


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


def test_seats_then_waitlist_then_promotion_in_order(ctx, make_user, make_course):
    session = make_session(make_course(), capacity=2)
    people = [make_user() for _ in range(4)]
    statuses = [services.register(session, p).status for p in people]
    assert statuses == [RegistrationStatus.CONFIRMED] * 2 + [RegistrationStatus.WAITLISTED] * 2
    assert session.seats_taken == 2 and session.seats_left == 0

    first = services.registration_of(session, people[0])
    change = services.withdraw(first)
    assert [r.user_id for r in change.promoted] == [people[2].id]
    assert services.registration_of(session, people[2]).status == RegistrationStatus.CONFIRMED
    assert services.registration_of(session, people[3]).status == RegistrationStatus.WAITLISTED
    assert session.seats_taken == 2
    # Registering again after withdrawing joins the end of the queue.
    assert services.register(session, people[0]).status == RegistrationStatus.WAITLISTED


def test_registering_twice_keeps_one_registration(ctx, make_user, make_course):
    session = make_session(make_course(), capacity=5)
    user = make_user()
    services.register(session, user)
    services.register(session, user)
    assert len(session.registrations) == 1 and session.seats_taken == 1


def test_refusals_deadline_agency_cancelled(ctx, make_user, make_course):
    police, ngo = agency_of_type("police"), agency_of_type("ngo")
    course = make_course()
    late = make_session(course, registration_deadline=utcnow() - timedelta(hours=1))
    police_only = make_session(course, eligible_agency_types=["police"])
    cancelled = make_session(course)
    services.cancel_session(cancelled, "Venue unavailable")
    officer, volunteer = make_user(agency_id=police.id), make_user(agency_id=ngo.id)
    for session, user, message in (
        (late, officer, "closed on the deadline"),
        (police_only, volunteer, "reserved for other agencies"),
        (cancelled, officer, "was cancelled"),
    ):
        with pytest.raises(services.SchedulingError, match=message):
            services.register(session, user)
        assert services.registration_of(session, user) is None
    assert services.register(police_only, officer).status == RegistrationStatus.CONFIRMED
    # A trainer may still add someone after the deadline.
    added = services.register(late, volunteer, by_trainer=True)
    assert added.status == RegistrationStatus.CONFIRMED


def test_prerequisite_holds_the_seat_until_lessons_are_done(ctx, make_user, make_course):
    course = make_course(lessons=2)
    session = make_session(course, capacity=1, requires_online_lessons=True)
    user = make_user()
    registration = services.register(session, user)
    assert registration.status == RegistrationStatus.AWAITING_PREREQUISITE
    assert session.seats_taken == 0
    enrolment = enroll(user, course)
    for lesson in course.lessons:
        mark_lesson_done(enrolment, lesson)
    db.session.refresh(registration)
    assert registration.status == RegistrationStatus.CONFIRMED


@pytest.mark.parametrize(
    ("rule", "certified_after_attendance"),
    [(CompletionRule.SESSION, True), (CompletionRule.BOTH, False), (CompletionRule.ONLINE, False)],
)
def test_attendance_counts_as_the_course_rule_says(
    ctx, make_user, make_course, rule, certified_after_attendance
):
    course = make_course(lessons=1, completion=rule)
    trainer = make_user(role=Role.TRAINER, full_name="Lulzim Trainer")
    session = make_session(course, trainers=[trainer])
    user = make_user()
    registration = services.register(session, user)
    services.mark_attendance(registration, Attendance.ABSENT)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Certificate)) == 0
    services.mark_attendance(registration, Attendance.LATE)
    count = db.session.scalar(sa.select(sa.func.count()).select_from(Certificate))
    assert count == (1 if certified_after_attendance else 0)
    if certified_after_attendance:
        assert db.session.scalar(sa.select(Certificate)).signed_by == "Lulzim Trainer"
    if rule == CompletionRule.BOTH:
        enrolment = db.session.scalar(sa.select(Enrolment))
        mark_lesson_done(enrolment, course.lessons[0])
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Certificate)) == 1


def test_capacity_cannot_drop_below_seats_taken_and_raising_it_promotes(
    ctx, make_user, make_course
):
    trainer = make_user(role=Role.TRAINER)
    session = make_session(make_course(), capacity=1, trainers=[trainer])
    first, second = make_user(), make_user()
    services.register(session, first)
    services.register(session, second)
    db.session.commit()
    session.capacity = 0
    with pytest.raises(services.SchedulingError, match="cannot be lower"):
        services.save_session(session, [trainer], trainer)
    db.session.rollback()
    session.capacity = 2
    services.save_session(session, [trainer], trainer)
    assert services.registration_of(session, second).status == RegistrationStatus.CONFIRMED


def test_duplicate_copies_a_week_later_without_people(ctx, make_user, make_course):
    trainer = make_user(role=Role.TRAINER)
    session = make_session(make_course(), trainers=[trainer])
    services.register(session, make_user())
    copy = services.duplicate_session(session, trainer)
    assert copy.starts_at - session.starts_at == timedelta(days=7)
    assert copy.registrations == [] and copy.trainers == [trainer] and copy.venue == session.venue


def test_attendance_csv_rows_and_errors(ctx, make_user, make_course):
    session = make_session(make_course(), capacity=3)
    on_roster, stranger = make_user(email="here@example.org"), make_user(email="x@example.org")
    services.register(session, on_roster)
    data = b"email;attendance\nhere@example.org;Late\nx@example.org;present\nnobody;maybe\n"
    rows, errors = parse_attendance(data)
    assert [(e.line, "maybe" in e.reason) for e in errors] == [(4, True)]
    missing = services.import_attendance(session, rows)
    assert [e.line for e in missing] == [3] and stranger.email in missing[0].reason
    assert services.registration_of(session, on_roster).attendance == Attendance.LATE


def test_reminders_two_days_before(ctx, runner, outbox, make_user, make_course):
    soon = make_session(
        make_course(), days_ahead=1, registration_deadline=utcnow() + timedelta(hours=1)
    )
    later = make_session(make_course(), days_ahead=5)
    user = make_user()
    services.register(soon, user)
    services.register(later, user)
    db.session.commit()
    assert "Sent 1 reminder(s)." in runner.invoke(args=["send-reminders"]).output
    assert "Sent 0 reminder(s)." in runner.invoke(args=["send-reminders"]).output
    [message] = outbox()
    assert message["To"] == user.email
    assert any(p.get_content_type() == "text/calendar" for p in message.iter_attachments())

"""Sessions: scheduling, eligibility, seats and waitlist, attendance."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from ..accounts.csv_import import RowError
from ..accounts.models import Role, User
from ..courses import services as courses
from ..courses.models import Course, Enrolment
from ..db import utcnow
from ..errors import DomainError
from ..extensions import db
from .models import (
    Attendance,
    Registration,
    RegistrationStatus,
    SessionState,
    TrainingSession,
)

logger = logging.getLogger(__name__)

#: Registrants are reminded this long before their session starts.
REMINDER_BEFORE = timedelta(days=2)


class SchedulingError(DomainError):
    """A scheduling action was refused."""


@dataclass
class Change:
    """What a seat operation did, so the caller can tell the people concerned."""

    registration: Registration
    promoted: list[Registration]


def may_manage(user: User, session: TrainingSession) -> bool:
    """Return whether ``user`` may edit the session and see its roster."""
    if user.role == Role.ADMIN:
        return True
    if user.role != Role.TRAINER:
        return False
    return session.created_by_id == user.id or any(t.id == user.id for t in session.trainers)


def upcoming_sessions(
    region_id: int | None = None,
    course_id: int | None = None,
    month: tuple[int, int] | None = None,
    now: datetime | None = None,
) -> list[TrainingSession]:
    """Return scheduled sessions that have not ended, filtered, soonest first."""
    now = now or utcnow()
    query = sa.select(TrainingSession).where(TrainingSession.ends_at >= now)
    return _filtered(query, region_id, course_id, month)


def sessions_between(
    start: datetime, end: datetime, region_id: int | None = None, course_id: int | None = None
) -> list[TrainingSession]:
    """Return the sessions (cancelled ones included) starting in ``[start, end)``."""
    query = sa.select(TrainingSession).where(
        TrainingSession.starts_at >= start, TrainingSession.starts_at < end
    )
    return _filtered(query, region_id, course_id, None)


def _filtered(query, region_id, course_id, month) -> list[TrainingSession]:
    if region_id:
        query = query.where(TrainingSession.region_id == region_id)
    if course_id:
        query = query.where(TrainingSession.course_id == course_id)
    if month:
        first = datetime(month[0], month[1], 1, tzinfo=utcnow().tzinfo)
        following = datetime(month[0] + month[1] // 12, month[1] % 12 + 1, 1, tzinfo=first.tzinfo)
        query = query.where(
            TrainingSession.starts_at >= first, TrainingSession.starts_at < following
        )
    return list(db.session.scalars(query.order_by(TrainingSession.starts_at, TrainingSession.id)))


def check_times(starts_at: datetime, ends_at: datetime, deadline: datetime) -> None:
    """Refuse a session whose end or registration deadline makes no sense."""
    if ends_at <= starts_at:
        raise SchedulingError(_("The session must end after it starts."))
    if deadline > starts_at:
        raise SchedulingError(_("The registration deadline must be before the session starts."))


def save_session(session: TrainingSession, trainers: list[User], by: User) -> TrainingSession:
    """Validate and store a new or edited session."""
    check_times(session.starts_at, session.ends_at, session.registration_deadline)
    session.seats_taken = session.seats_taken or 0
    if session.capacity < session.seats_taken:
        raise SchedulingError(
            _(
                "%(n)d people already hold seats; the capacity cannot be lower.",
                n=session.seats_taken,
            )
        )
    session.trainers = list(trainers)
    if session.id is None:
        session.created_by_id = by.id
        db.session.add(session)
    else:
        session.revision += 1
    db.session.flush()
    _fill_free_seats(session)
    logger.info("Session %s saved by user %s", session.id, by.id)
    return session


def duplicate_session(session: TrainingSession, by: User) -> TrainingSession:
    """Copy a session one week later, without its registrations."""
    week = timedelta(days=7)
    copy = TrainingSession(
        course_id=session.course_id,
        region_id=session.region_id,
        venue=session.venue,
        address=session.address,
        starts_at=session.starts_at + week,
        ends_at=session.ends_at + week,
        registration_deadline=session.registration_deadline + week,
        capacity=session.capacity,
        eligible_agency_types=list(session.eligible_agency_types),
        eligible_agency_ids=list(session.eligible_agency_ids),
        language=session.language,
        notes=session.notes,
        requires_online_lessons=session.requires_online_lessons,
    )
    return save_session(copy, session.trainers, by)


def cancel_session(session: TrainingSession, reason: str, now: datetime | None = None):
    """Cancel the session; return the registrations whose people must be told."""
    if session.is_cancelled:
        raise SchedulingError(_("This session is already cancelled."))
    session.state = SessionState.CANCELLED
    session.revision += 1
    session.cancelled_at = now or utcnow()
    session.cancel_reason = reason.strip()
    db.session.flush()
    logger.info("Session %s cancelled", session.id)
    return [r for r in session.registrations if r.is_active]


def refusal(session: TrainingSession, user: User, now: datetime | None = None) -> str | None:
    """Return why ``user`` may not register for the session now, or None."""
    now = now or utcnow()
    if session.is_cancelled:
        return _("This session was cancelled.")
    if now > session.registration_deadline:
        return _("Registration for this session closed on the deadline.")
    if not is_eligible(session, user):
        return _("This session is reserved for other agencies.")
    return None


def is_eligible(session: TrainingSession, user: User) -> bool:
    """Return whether the user's agency may attend the session."""
    types, ids = session.eligible_agency_types, session.eligible_agency_ids
    if not types and not ids:
        return True
    agency = user.agency
    if agency is None:
        return False
    return agency.id in ids or agency.type.value in types


def registration_of(session: TrainingSession, user: User) -> Registration | None:
    """Return the user's registration for the session, if any."""
    return db.session.scalar(
        sa.select(Registration).where(
            Registration.session_id == session.id, Registration.user_id == user.id
        )
    )


def _take_seat(session: TrainingSession) -> bool:
    """Take one seat if one is free; atomic on every database."""
    taken = db.session.execute(
        sa.update(TrainingSession)
        .where(
            TrainingSession.id == session.id,
            TrainingSession.seats_taken < TrainingSession.capacity,
        )
        .values(seats_taken=TrainingSession.seats_taken + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(session, ["seats_taken"])
    return taken.rowcount == 1


def _release_seat(session: TrainingSession) -> None:
    db.session.execute(
        sa.update(TrainingSession)
        .where(TrainingSession.id == session.id, TrainingSession.seats_taken > 0)
        .values(seats_taken=TrainingSession.seats_taken - 1)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(session, ["seats_taken"])


def _lessons_finished(user: User, course: Course) -> bool:
    enrolment = courses.get_enrolment(user, course)
    return enrolment is not None and courses.progress_of(enrolment, course).is_complete


def _seat_or_wait(registration: Registration) -> None:
    session = registration.session
    needs_lessons = session.requires_online_lessons and not _lessons_finished(
        registration.user, session.course
    )
    if needs_lessons:
        registration.status = RegistrationStatus.AWAITING_PREREQUISITE
    elif _take_seat(session):
        registration.status = RegistrationStatus.CONFIRMED
    else:
        registration.status = RegistrationStatus.WAITLISTED


def register(
    session: TrainingSession, user: User, now: datetime | None = None, by_trainer: bool = False
) -> Registration:
    """Register ``user``: a seat if one is free, else the waitlist.

    Trainers adding people directly are not bound by the deadline or eligibility.
    """
    now = now or utcnow()
    reason = refusal(session, user, now)
    if reason and not (by_trainer and not session.is_cancelled):
        raise SchedulingError(reason)
    registration = registration_of(session, user)
    if registration is not None and registration.is_active:
        return registration
    if registration is None:
        registration = Registration(
            session_id=session.id, user_id=user.id, status=RegistrationStatus.WAITLISTED
        )
        try:
            with db.session.begin_nested():
                db.session.add(registration)
        except sa.exc.IntegrityError:
            # The same person registered in another tab a moment earlier.
            return registration_of(session, user)
        db.session.expire(session, ["registrations"])
    registration.registered_at = now
    registration.attendance = None
    _seat_or_wait(registration)
    db.session.flush()
    logger.info("User %s registered for session %s: %s", user.id, session.id, registration.status)
    return registration


def _promote(session: TrainingSession) -> list[Registration]:
    """Give free seats to the waitlist, first come first served; return who got one."""
    promoted = []
    waiting = db.session.scalars(
        sa.select(Registration)
        .where(
            Registration.session_id == session.id,
            Registration.status == RegistrationStatus.WAITLISTED,
        )
        .order_by(Registration.registered_at, Registration.id)
    )
    for registration in waiting:
        if not _take_seat(session):
            break
        registration.status = RegistrationStatus.CONFIRMED
        promoted.append(registration)
        logger.info("Session %s: user %s promoted", session.id, registration.user_id)
    db.session.flush()
    return promoted


def _fill_free_seats(session: TrainingSession) -> list[Registration]:
    if session.is_cancelled:
        return []
    return _promote(session)


def _leave(registration: Registration, status: RegistrationStatus) -> Change:
    if not registration.is_active:
        raise SchedulingError(_("This registration is no longer active."))
    held = registration.holds_seat
    registration.status = status
    db.session.flush()
    promoted = []
    if held:
        _release_seat(registration.session)
        promoted = _fill_free_seats(registration.session)
    return Change(registration, promoted)


def withdraw(registration: Registration) -> Change:
    """Withdraw the person; the first waitlisted person gets the seat."""
    return _leave(registration, RegistrationStatus.WITHDRAWN)


def remove(registration: Registration) -> Change:
    """Remove the person (a trainer's decision); the first waitlisted person gets the seat."""
    return _leave(registration, RegistrationStatus.REMOVED)


def confirm_awaiting(enrolment: Enrolment) -> list[Registration]:
    """Give seats (or waitlist places) to registrations that waited for the online lessons."""
    awaiting = db.session.scalars(
        sa.select(Registration)
        .join(TrainingSession)
        .where(
            Registration.user_id == enrolment.user_id,
            Registration.status == RegistrationStatus.AWAITING_PREREQUISITE,
            TrainingSession.course_id == enrolment.course_id,
            TrainingSession.state == SessionState.SCHEDULED,
        )
    ).all()
    for registration in awaiting:
        _seat_or_wait(registration)
    db.session.flush()
    return list(awaiting)


def mark_attendance(
    registration: Registration, attendance: Attendance | None, now: datetime | None = None
) -> None:
    """Record attendance; attending counts towards the course where its rule says so."""
    if registration.status not in (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED):
        raise SchedulingError(_("Only people on the roster can be marked."))
    registration.attendance = attendance
    registration.attendance_marked_at = now or utcnow()
    session = registration.session
    if attendance is not None and attendance.counts:
        courses.record_attendance(registration.user, session.course, session.starts_at)
    else:
        courses.withdraw_attendance(registration.user, session.course)
    db.session.flush()


def roster(session: TrainingSession) -> dict[RegistrationStatus, list[Registration]]:
    """Return the session's registrations grouped by status, in registration order."""
    groups: dict[RegistrationStatus, list[Registration]] = {s: [] for s in RegistrationStatus}
    for registration in sorted(session.registrations, key=lambda r: (r.registered_at, r.id)):
        groups[registration.status].append(registration)
    return groups


def user_registrations(user: User) -> list[Registration]:
    """Return the user's registrations, next session first."""
    return list(
        db.session.scalars(
            sa.select(Registration)
            .join(TrainingSession)
            .where(Registration.user_id == user.id)
            .order_by(TrainingSession.starts_at.desc())
        )
    )


def due_session_reminders(now: datetime | None = None) -> list[Registration]:
    """Return confirmed registrations for sessions starting within two days, not yet reminded."""
    now = now or utcnow()
    return list(
        db.session.scalars(
            sa.select(Registration)
            .join(TrainingSession)
            .where(
                Registration.status == RegistrationStatus.CONFIRMED,
                Registration.reminded_at.is_(None),
                TrainingSession.state == SessionState.SCHEDULED,
                TrainingSession.starts_at > now,
                TrainingSession.starts_at <= now + REMINDER_BEFORE,
            )
        )
    )


def import_attendance(session: TrainingSession, rows: list) -> list[RowError]:
    """Apply attendance rows (email, attendance); return rows naming nobody on the roster."""
    on_roster = {
        r.user.email: r
        for r in session.registrations
        if r.status in (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)
    }
    errors = []
    for row in rows:
        registration = on_roster.get(row.email)
        if registration is None:
            reason = _("%(email)s is not on this session's roster.", email=row.email)
            errors.append(RowError(row.line, reason))
            continue
        mark_attendance(registration, row.attendance)
    return errors


def add_participants(session: TrainingSession, users: list[User]) -> list[Registration]:
    """Register people a trainer adds (deadline and eligibility do not apply)."""
    return [register(session, user, by_trainer=True) for user in users]

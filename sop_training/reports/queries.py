"""The aggregate queries behind the dashboard, its exports and the API (read-only)."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from ..accounts.models import Agency, AgencyType, Region, Role, User, cohort_members
from ..accounts.scope import Scope
from ..certificates.models import Certificate, CertificateState
from ..courses.models import Course, Enrolment
from ..db import utcnow
from ..extensions import db
from ..quizzes.models import Attempt, Quiz
from ..scheduling.models import (
    Attendance,
    Registration,
    RegistrationStatus,
    SessionState,
    TrainingSession,
)
from .models import CoverageTarget

EXPIRY_WINDOW = timedelta(days=90)


@dataclass(frozen=True)
class ReportFilter:
    """What a report covers; every field is optional."""

    course_id: int | None = None
    region_id: int | None = None
    agency_id: int | None = None
    agency_type: AgencyType | None = None
    language: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    #: A group of people (e.g. an LMS course's learners) to report on.
    cohort_id: int | None = None

    def window(self, column) -> list:
        """Conditions keeping ``column`` inside the date range (whole days, UTC)."""
        conditions = []
        if self.date_from:
            conditions.append(column >= datetime.combine(self.date_from, time.min, tzinfo=_UTC))
        if self.date_to:
            end = datetime.combine(self.date_to + timedelta(days=1), time.min, tzinfo=_UTC)
            conditions.append(column < end)
        return conditions


_UTC = utcnow().tzinfo


@dataclass
class Row:
    """One line of a report: a region, an agency, or the total."""

    key: int | None
    label: str
    registered: int = 0
    enrolled: int = 0
    completed: int = 0
    finished_attempts: int = 0
    passed_attempts: int = 0
    valid: int = 0
    expired: int = 0
    expiring: int = 0
    sessions_held: int | None = 0
    seats: int = 0
    attended: int = 0
    target: int = 0
    covered: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def pass_rate(self) -> float | None:
        return ratio(self.passed_attempts, self.finished_attempts)

    @property
    def attendance_rate(self) -> float | None:
        return ratio(self.attended, self.seats)

    @property
    def coverage(self) -> float | None:
        return ratio(self.covered, self.target)

    @property
    def gap(self) -> int:
        return max(0, self.target - self.covered)


COUNTS = (
    "registered",
    "enrolled",
    "completed",
    "finished_attempts",
    "passed_attempts",
    "valid",
    "expired",
    "expiring",
    "seats",
    "attended",
    "target",
    "covered",
)


def ratio(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _people(f: ReportFilter, scope: Scope) -> list:
    """Conditions on ``User`` (joined to ``Agency``) selecting the trainees a report counts."""
    conditions = [User.role == Role.TRAINEE]
    conditions += scope.where(User.region_id, User.agency_id, User.id)
    if f.region_id:
        conditions.append(User.region_id == f.region_id)
    if f.agency_id:
        conditions.append(User.agency_id == f.agency_id)
    if f.agency_type:
        conditions.append(Agency.type == f.agency_type)
    if f.language:
        conditions.append(User.locale == f.language)
    if f.cohort_id:
        members = sa.select(cohort_members.c.user_id).where(
            cohort_members.c.cohort_id == f.cohort_id
        )
        conditions.append(User.id.in_(members))
    return conditions


def _count_people(query, f: ReportFilter, scope: Scope) -> dict:
    """Run ``query`` (counting things of users) per (region, agency) cell of the population."""
    query = _in_population(query.add_columns(User.region_id, User.agency_id), f, scope)
    query = query.group_by(User.region_id, User.agency_id)
    return {(region, agency): values for *values, region, agency in db.session.execute(query)}


def _in_population(query, f: ReportFilter, scope: Scope):
    # Agencies are joined only when their type is asked for: every join costs on a large table.
    if f.agency_type:
        query = query.join(Agency, Agency.id == User.agency_id, isouter=True)
    return query.where(*_people(f, scope))


def _quiz_ids(course_id: int | None):
    if not course_id:
        return None
    return (
        sa.select(Quiz.id).join(Course, Course.quiz_slug == Quiz.slug).where(Course.id == course_id)
    )


def build_cells(f: ReportFilter, scope: Scope, now: datetime | None = None) -> dict:
    """Return ``{(region id, agency id): Row}``: every figure of the people in each cell.

    People belong to one region and one agency, so cells add up to regions, agencies and
    agency types without counting anybody twice.
    """
    now = now or utcnow()
    cells: dict = {}

    def put(cell, **values):
        row = cells.setdefault(cell, Row(cell, ""))
        for name, value in values.items():
            setattr(row, name, getattr(row, name) + (value or 0))

    registered = (
        sa.select(sa.func.count(User.id)).select_from(User).where(*f.window(User.created_at))
    )
    for cell, (n,) in _count_people(registered, f, scope).items():
        put(cell, registered=n)

    # One line per person first (enrolled in anything, completed anything), then counted.
    per_person = sa.select(
        Enrolment.user_id.label("user_id"),
        sa.func.max(sa.case((Enrolment.completed_at.is_not(None), 1), else_=0)).label("done"),
    ).where(*f.window(Enrolment.enrolled_at))
    if f.course_id:
        per_person = per_person.where(Enrolment.course_id == f.course_id)
    per_person = per_person.group_by(Enrolment.user_id).subquery()
    enrolled = (
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(per_person.c.done), 0))
        .select_from(per_person)
        .join(User, User.id == per_person.c.user_id)
    )
    for cell, (n, done) in _count_people(enrolled, f, scope).items():
        put(cell, enrolled=n, completed=int(done))

    attempts = (
        sa.select(
            sa.func.count(Attempt.id), sa.func.count(sa.case((Attempt.is_passed, Attempt.id)))
        )
        .select_from(Attempt)
        .join(User, User.id == Attempt.user_id)
        .where(Attempt.percent.is_not(None), *f.window(Attempt.submitted_at))
    )
    quiz_ids = _quiz_ids(f.course_id)
    if quiz_ids is not None:
        attempts = attempts.where(Attempt.quiz_id.in_(quiz_ids))
    for cell, (finished, passed) in _count_people(attempts, f, scope).items():
        put(cell, finished_attempts=finished, passed_attempts=passed)

    _add_certificates(put, f, scope, now)
    _add_attendance(put, f, scope, now)
    return cells


def _add_certificates(put, f: ReportFilter, scope: Scope, now: datetime) -> None:
    """Count certificates per cell, and measure coverage against the targets.

    A person holds at most one issued certificate per course (renewal and reissue supersede
    the old one), so valid certificates per course are also the people covered.
    """
    valid = Certificate.expires_at > now
    query = (
        sa.select(
            sa.func.count(sa.case((valid, Certificate.id))),
            sa.func.count(sa.case((Certificate.expires_at <= now, Certificate.id))),
            sa.func.count(
                sa.case((sa.and_(valid, Certificate.expires_at <= now + EXPIRY_WINDOW), 1))
            ),
            Certificate.course_id,
        )
        .select_from(Certificate)
        .join(User, User.id == Certificate.user_id)
        .where(Certificate.state == CertificateState.ISSUED, *f.window(Certificate.issued_at))
        .group_by(Certificate.course_id)
    )
    if f.course_id:
        query = query.where(Certificate.course_id == f.course_id)
    holders: dict = {}
    for cell, (n_valid, n_expired, n_expiring, course_id) in _count_people_by(query, f, scope):
        put(cell, valid=n_valid, expired=n_expired, expiring=n_expiring)
        holders[(*cell, course_id)] = n_valid
    for (region_id, agency_id, course_id), target in _targets(f, scope).items():
        put((region_id, agency_id), target=target)
        put((region_id, agency_id), covered=holders.get((region_id, agency_id, course_id), 0))


def _count_people_by(query, f: ReportFilter, scope: Scope):
    """Like ``_count_people`` for a query already grouped by something else too."""
    query = _in_population(query.add_columns(User.region_id, User.agency_id), f, scope)
    query = query.group_by(User.region_id, User.agency_id)
    for *values, region, agency in db.session.execute(query):
        yield (region, agency), values


def _targets(f: ReportFilter, scope: Scope) -> dict:
    query = sa.select(
        CoverageTarget.region_id,
        CoverageTarget.agency_id,
        CoverageTarget.course_id,
        CoverageTarget.target,
    ).join(Agency, Agency.id == CoverageTarget.agency_id)
    for column, value in (
        (CoverageTarget.course_id, f.course_id),
        (CoverageTarget.region_id, f.region_id),
        (CoverageTarget.region_id, scope.region_id),
        (CoverageTarget.agency_id, f.agency_id),
        (CoverageTarget.agency_id, scope.agency_id),
        (Agency.type, f.agency_type),
    ):
        if value:
            query = query.where(column == value)
    return {(r, a, c): t for r, a, c, t in db.session.execute(query)}


def _held_sessions(f: ReportFilter, now: datetime) -> list:
    conditions = [
        TrainingSession.state == SessionState.SCHEDULED,
        TrainingSession.starts_at < now,
        *f.window(TrainingSession.starts_at),
    ]
    if f.course_id:
        conditions.append(TrainingSession.course_id == f.course_id)
    return conditions


def _add_attendance(put, f, scope, now) -> None:
    attended = Registration.attendance.in_([Attendance.PRESENT, Attendance.LATE])
    query = (
        sa.select(
            sa.func.count(Registration.id), sa.func.count(sa.case((attended, Registration.id)))
        )
        .select_from(Registration)
        .join(TrainingSession, TrainingSession.id == Registration.session_id)
        .join(User, User.id == Registration.user_id)
        .where(Registration.status == RegistrationStatus.CONFIRMED, *_held_sessions(f, now))
    )
    for cell, (seats, came) in _count_people(query, f, scope).items():
        put(cell, seats=seats, attended=came)


def sessions_held(f: ReportFilter, scope: Scope, now: datetime | None = None) -> dict:
    """Return ``{region id: sessions held}`` (sessions belong to regions, not agencies)."""
    query = sa.select(TrainingSession.region_id, sa.func.count(TrainingSession.id)).where(
        *_held_sessions(f, now or utcnow())
    )
    for region_id in (scope.region_id, f.region_id):
        if region_id:
            query = query.where(TrainingSession.region_id == region_id)
    return dict(db.session.execute(query.group_by(TrainingSession.region_id)).all())


def roll_up(cells: dict, by: str, held: dict) -> dict:
    """Add cells up into rows per region, agency or agency type."""
    kinds = {}
    if by == "agency_type":
        kinds = dict(db.session.execute(sa.select(Agency.id, Agency.type)).all())
    rows: dict = {}
    for (region_id, agency_id), cell in cells.items():
        key = {"region": region_id, "agency": agency_id, "agency_type": kinds.get(agency_id)}[by]
        row = rows.setdefault(key, Row(key, ""))
        for name in COUNTS:
            setattr(row, name, getattr(row, name) + getattr(cell, name))
    for key, row in rows.items():
        row.sessions_held = held.get(key, 0) if by == "region" else None
    if by == "region":
        for region_id, n in held.items():
            rows.setdefault(region_id, Row(region_id, "", sessions_held=n))
    return rows


def build_rows(by: str, f: ReportFilter, scope: Scope, now: datetime | None = None) -> dict:
    """Return ``{group key: Row}`` grouped by ``region``, ``agency`` or ``agency_type``."""
    return roll_up(build_cells(f, scope, now), by, sessions_held(f, scope, now))


def labelled(rows: dict, by: str) -> list[Row]:
    """Name the rows (regions, agencies or agency types), sorted by name; unknown keys last."""
    if by == "agency_type":
        for key, row in rows.items():
            row.label = key.label if key else "—"
        return sorted(rows.values(), key=lambda r: (r.key is None, r.label.lower()))
    model = Region if by == "region" else Agency
    names = {}
    if rows:
        found = db.session.scalars(sa.select(model).where(model.id.in_([k for k in rows if k])))
        names = {item.id: item.name for item in found}
    for key, row in rows.items():
        row.label = names.get(key, "—")
    return sorted(rows.values(), key=lambda r: (r.key is None, r.label.lower()))


def total(rows: list[Row]) -> Row:
    """Add the rows up into a total line."""
    result = Row(None, "")
    for row in rows:
        for name in COUNTS:
            setattr(result, name, getattr(result, name) + getattr(row, name))
        if row.sessions_held is None:
            result.sessions_held = None
        elif result.sessions_held is not None:
            result.sessions_held += row.sessions_held
    return result


def report(by: str, f: ReportFilter, scope: Scope) -> tuple[list[Row], Row]:
    """Return the labelled rows and their total."""
    rows = labelled(build_rows(by, f, scope), by)
    return rows, total(rows)


def reports(bys: list[str], f: ReportFilter, scope: Scope) -> dict:
    """Return several groupings of the same figures, querying the database once."""
    cells, held = build_cells(f, scope), sessions_held(f, scope)
    result = {}
    for by in bys:
        rows = labelled(roll_up(cells, by, held), by)
        result[by] = (rows, total(rows))
    return result


def trainees(f: ReportFilter, scope: Scope, agency_id: int, region_id: int) -> list[dict]:
    """Return the trainees of one agency in one region with their course status (names)."""
    people = db.session.scalars(
        sa.select(User)
        .join(Agency, Agency.id == User.agency_id, isouter=True)
        .where(*_people(f, scope), User.agency_id == agency_id, User.region_id == region_id)
        .order_by(User.full_name)
    ).all()
    ids = [p.id for p in people]
    enrolled = _per_user(sa.select(Enrolment.user_id, sa.func.count()), Enrolment, ids, f)
    completed = _per_user(
        sa.select(Enrolment.user_id, sa.func.count()).where(Enrolment.completed_at.is_not(None)),
        Enrolment,
        ids,
        f,
    )
    now = utcnow()
    valid = _per_user(
        sa.select(Certificate.user_id, sa.func.count()).where(
            Certificate.state == CertificateState.ISSUED, Certificate.expires_at > now
        ),
        Certificate,
        ids,
        f,
    )
    return [
        {
            "name": p.full_name,
            "position": p.position,
            "enrolled": enrolled.get(p.id, 0),
            "completed": completed.get(p.id, 0),
            "valid": valid.get(p.id, 0),
        }
        for p in people
    ]


def _per_user(query, model, ids, f: ReportFilter) -> dict:
    if not ids:
        return {}
    query = query.where(model.user_id.in_(ids))
    if f.course_id:
        query = query.where(model.course_id == f.course_id)
    return dict(db.session.execute(query.group_by(model.user_id)).all())

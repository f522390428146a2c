"""A realistic, reproducible data set for demonstrations and benchmarks (``flask demo-data``).

Rows are generated in Python and written in bulk: ``COPY`` on PostgreSQL, ``executemany``
elsewhere. Identifiers are assigned here, so related rows can be written without reading back.
"""

import json
import logging
import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from .accounts.models import Agency, Region, User
from .db import utcnow
from .extensions import db

logger = logging.getLogger(__name__)

EMAIL = "demo-trainee-{n}@demo.sop-training.local"
LOCALES = ["sq"] * 12 + ["sr"] * 5 + ["en"] * 3
ATTEMPTS_PER_ENROLMENT = (3, 7)


class DemoDataExists(RuntimeError):
    """Demo trainees are already in this database."""


@dataclass
class Counts:
    """How many rows of each kind were written."""

    users: int = 0
    enrolments: int = 0
    attempts: int = 0
    certificates: int = 0
    sessions: int = 0
    registrations: int = 0
    targets: int = 0


def _next_id(table: str) -> int:
    return (db.session.execute(sa.text(f"SELECT max(id) FROM {table}")).scalar() or 0) + 1


def _write(table: str, columns: list[str], rows: Iterable[tuple]) -> int:
    """Bulk-insert ``rows``; return how many were written."""
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        cursor = connection.connection.driver_connection.cursor()
        count = 0
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        return count
    target = db.metadata.tables[table]
    is_json = {c: isinstance(target.c[c].type, sa.JSON) for c in columns}
    values = [
        {c: json.loads(v) if is_json[c] else v for c, v in zip(columns, row, strict=True)}
        for row in rows
    ]
    if values:
        # Through the table's types, so dates and enums are stored as the models expect.
        connection.execute(sa.insert(target), values)
    return len(values)


def _fix_sequences(tables: list[str]) -> None:
    if db.session.connection().dialect.name != "postgresql":
        return
    for table in tables:
        db.session.execute(
            sa.text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 1) FROM {table}))"
            )
        )


def _iso(moment: datetime) -> datetime:
    return moment.replace(microsecond=0)


def build(trainees: int, seed: int = 2026) -> Counts:
    """Write the data set; the content (courses, quizzes) must already be imported."""
    from .courses.models import Course
    from .quizzes.models import Quiz

    if db.session.scalar(sa.select(User.id).where(User.email == EMAIL.format(n=0))):
        raise DemoDataExists("demo trainees already exist in this database")
    rng = random.Random(seed)
    now = _iso(utcnow())
    regions = db.session.scalars(sa.select(Region).order_by(Region.id)).all()
    agencies = db.session.scalars(sa.select(Agency).order_by(Agency.id)).all()
    courses = db.session.scalars(sa.select(Course).where(Course.is_active)).all()
    quizzes = {q.slug: q for q in db.session.scalars(sa.select(Quiz))}
    if not courses or not regions:
        raise RuntimeError("import the content and seed the regions first")
    counts = Counts()
    people = _users(trainees, rng, regions, agencies, now, counts)
    enrolments = _enrolments(people, courses, rng, now, counts)
    _attempts(enrolments, courses, quizzes, rng, now, counts)
    _certificates(people, enrolments, courses, rng, now, counts)
    _sessions(people, courses, regions, rng, now, counts)
    _targets(people, courses, rng, counts)
    tables = ["users", "enrolments", "attempts", "certificates", "training_sessions"]
    _fix_sequences([*tables, "registrations"])
    if db.session.connection().dialect.name == "postgresql":
        # Fresh statistics, so the planner sees the new row counts at once.
        for table in [*tables, "registrations", "coverage_targets"]:
            db.session.execute(sa.text(f"ANALYZE {table}"))
    return counts


def _users(n, rng, regions, agencies, now, counts) -> list[tuple]:
    """Return (id, region_id, agency_id, full_name, locale) of each trainee written."""
    first_id = _next_id("users")
    password = generate_password_hash("demo-data-password")
    national = [a for a in agencies if a.region_id is None]
    by_region = {r.id: [a for a in agencies if a.region_id == r.id] + national for r in regions}
    first_names = ["Arta", "Besnik", "Dragana", "Milan", "Ema", "Luan", "Jelena", "Driton"]
    last_names = ["Krasniqi", "Gashi", "Ilić", "Petrović", "Berisha", "Hoxha", "Jovanović"]
    people = []
    rows = []
    for n_ in range(n):
        region = rng.choice(regions)
        agency = rng.choice(by_region[region.id])
        name = f"{rng.choice(first_names)} {rng.choice(last_names)} {n_}"
        locale = rng.choice(LOCALES)
        created = now - timedelta(days=rng.randint(0, 900))
        user_id = first_id + n_
        people.append((user_id, region.id, agency.id, name, locale))
        rows.append(
            (
                user_id,
                EMAIL.format(n=n_),
                name,
                password,
                "trainee",
                agency.id,
                region.id,
                "",
                locale,
                True,
                created,
            )
        )
    columns = [
        "id",
        "email",
        "full_name",
        "password_hash",
        "role",
        "agency_id",
        "region_id",
        "position",
        "locale",
        "is_active",
        "created_at",
    ]
    counts.users = _write("users", columns, rows)
    return people


def _enrolments(people, courses, rng, now, counts) -> list[tuple]:
    """Return (id, user_id, course index, enrolled_at, completed_at) of each enrolment."""
    next_id = _next_id("enrolments")
    enrolments = []
    for user_id, *_rest in people:
        for index in rng.sample(range(len(courses)), rng.randint(1, min(3, len(courses)))):
            enrolled = now - timedelta(days=rng.randint(1, 850))
            completed = enrolled + timedelta(days=rng.randint(1, 40))
            done = rng.random() < 0.55 and completed < now
            enrolments.append((next_id, user_id, index, enrolled, completed if done else None))
            next_id += 1
    columns = ["id", "user_id", "course_id", "enrolled_at", "completed_at", "quiz_passed_at"]
    rows = (
        (eid, uid, courses[i].id, enrolled, completed, completed)
        for eid, uid, i, enrolled, completed in enrolments
    )
    counts.enrolments = _write("enrolments", columns, rows)
    return enrolments


def _attempts(enrolments, courses, quizzes, rng, now, counts) -> None:
    next_id = _next_id("attempts")
    empty_list, empty_map = json.dumps([]), json.dumps({})
    # Resolved before the COPY starts: no query may run on the connection during it.
    closing = {}
    for index, course in enumerate(courses):
        quiz = quizzes.get(course.quiz_slug or "")
        if quiz is not None:
            closing[index] = (quiz.id, quiz.current.id)

    def rows():
        nonlocal next_id
        for _eid, user_id, index, enrolled, completed in enrolments:
            if index not in closing:
                continue
            quiz_id, version_id = closing[index]
            tries = rng.randint(*ATTEMPTS_PER_ENROLMENT)
            for number in range(1, tries + 1):
                passed = (completed is not None and number == tries) or rng.random() < 0.4
                percent = float(rng.randint(70, 100) if passed else rng.randint(20, 69))
                started = min(now, enrolled + timedelta(days=number, minutes=rng.randint(0, 600)))
                yield (
                    next_id,
                    user_id,
                    quiz_id,
                    version_id,
                    number,
                    "submitted",
                    started,
                    started + timedelta(minutes=25),
                    empty_list,
                    empty_map,
                    70,
                    15,
                    round(percent * 0.15, 2),
                    percent,
                    passed,
                    1,
                )
                next_id += 1

    columns = [
        "id",
        "user_id",
        "quiz_id",
        "quiz_version_id",
        "number",
        "state",
        "started_at",
        "submitted_at",
        "question_ids",
        "orders",
        "pass_mark",
        "max_score",
        "score",
        "percent",
        "is_passed",
        "current_page",
    ]
    counts.attempts = _write("attempts", columns, rows())


def _certificates(people, enrolments, courses, rng, now, counts) -> None:
    from .certificates.codes import new_code, new_serial

    person = {p[0]: p for p in people}
    next_id = _next_id("certificates")
    rows = []
    for _eid, user_id, index, _enrolled, completed in enrolments:
        if completed is None:
            continue
        course = courses[index]
        _uid, region_id, agency_id, name, locale = person[user_id]
        expires = completed + timedelta(days=730)
        rows.append(
            (
                next_id,
                new_serial(completed.year),
                new_code(),
                user_id,
                course.id,
                region_id,
                agency_id,
                name,
                "",
                json.dumps({"en": course.title}),
                course.sop_edition,
                course.version,
                float(rng.randint(70, 100)),
                "",
                locale,
                False,
                completed,
                expires,
                "issued",
            )
        )
        next_id += 1
    columns = [
        "id",
        "serial",
        "code",
        "user_id",
        "course_id",
        "region_id",
        "agency_id",
        "holder_name",
        "agency_name",
        "course_titles",
        "sop_edition",
        "course_version",
        "score",
        "signed_by",
        "locale",
        "is_bilingual",
        "issued_at",
        "expires_at",
        "state",
    ]
    counts.certificates = _write("certificates", columns, rows)


def _sessions(people, courses, regions, rng, now, counts) -> None:
    session_id = _next_id("training_sessions")
    registration_id = _next_id("registrations")
    by_region: dict[int, list[int]] = {}
    for user_id, region_id, *_rest in people:
        by_region.setdefault(region_id, []).append(user_id)
    sessions, registrations = [], []
    for _n in range(max(1, len(people) // 50)):
        region = rng.choice(regions)
        course = rng.choice(courses)
        start = _iso(now + timedelta(days=rng.randint(-700, 60), hours=rng.randint(0, 8)))
        capacity = rng.choice([15, 20, 25])
        pool = by_region.get(region.id) or [people[0][0]]
        chosen = rng.sample(pool, min(len(pool), rng.randint(8, capacity)))
        held = start < now
        sessions.append(
            (
                session_id,
                course.id,
                region.id,
                f"Training room {session_id}",
                "",
                start,
                start + timedelta(hours=6),
                capacity,
                len(chosen),
                start - timedelta(days=2),
                "[]",
                "[]",
                "sq",
                "",
                False,
                "scheduled",
                0,
                "",
                now,
            )
        )
        for user_id in chosen:
            attendance = rng.choice(["present"] * 8 + ["late", "absent"]) if held else None
            registrations.append(
                (
                    registration_id,
                    session_id,
                    user_id,
                    "confirmed",
                    start - timedelta(days=9),
                    attendance,
                )
            )
            registration_id += 1
        session_id += 1
    columns = [
        "id",
        "course_id",
        "region_id",
        "venue",
        "address",
        "starts_at",
        "ends_at",
        "capacity",
        "seats_taken",
        "registration_deadline",
        "eligible_agency_types",
        "eligible_agency_ids",
        "language",
        "notes",
        "requires_online_lessons",
        "state",
        "revision",
        "cancel_reason",
        "created_at",
    ]
    counts.sessions = _write("training_sessions", columns, sessions)
    counts.registrations = _write(
        "registrations",
        ["id", "session_id", "user_id", "status", "registered_at", "attendance"],
        registrations,
    )


def _targets(people, courses, rng, counts) -> None:
    from .reports.models import CoverageTarget

    staff: dict[tuple[int, int], int] = {}
    for _uid, region_id, agency_id, *_rest in people:
        staff[(region_id, agency_id)] = staff.get((region_id, agency_id), 0) + 1
    existing = db.session.scalar(sa.select(sa.func.count()).select_from(CoverageTarget))
    if existing:
        return
    rows = [
        (agency_id, region_id, course.id, max(1, int(size * rng.uniform(0.6, 0.9))), utcnow())
        for (region_id, agency_id), size in staff.items()
        for course in courses
    ]
    counts.targets = _write(
        "coverage_targets", ["agency_id", "region_id", "course_id", "target", "updated_at"], rows
    )

"""Certificate benchmark: time to render one PDF, and a streamed ZIP of many certificates.

Usage (see bench/README.md):

    .venv/bin/python bench/cert_bench.py --renders 200 --zip 1000
"""

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
import zipfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RENDER_TARGET_MS = 60
MEMORY_TARGET_MB = 200


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=200, help="PDFs to time one by one")
    parser.add_argument("--zip", type=int, default=1000, help="certificates in the ZIP")
    return parser.parse_args()


def peak_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_app(folder: Path):
    os.environ["SOP_INSTANCE_PATH"] = str(folder)
    from sop_training import create_app

    return create_app(
        {
            "SECRET_KEY": "bench",
            "DATABASE_URL": f"sqlite:///{folder / 'bench.db'}",
            "WTF_CSRF_ENABLED": False,
            "SERVER_NAME": "localhost",
            "LOG_LEVEL": "WARNING",
        }
    )


def time_renders(app, count: int) -> list[float]:
    from sop_training.certificates.pdf import PrintedCertificate, render_pdf

    cert = PrintedCertificate(
        holder_name="Đurđa Šćepanović-Çelë",
        agency_name="Qendra për Punë Sociale Gjilan/Gnjilane",
        course_titles={"en": "Identification of victims of trafficking"},
        sop_edition="Kosovo SOPs (2014)",
        course_version=1,
        score=86.7,
        issued_on=date(2026, 11, 23),
        expires_on=date(2028, 11, 23),
        serial="SOP-2026-7KQ2M9XD",
        code="K7QH-3MZP-XW2D-9TRB",
        verify_url="http://localhost/verify/K7QH-3MZP-XW2D-9TRB",
        issuers=["OSCE Mission in Kosovo", "IOM"],
        signatory={"name": "Programme lead", "title": "SOP Training programme"},
    )
    times = []
    with app.test_request_context():
        render_pdf(cert)  # fonts are loaded once per process
        for _ in range(count):
            started = time.perf_counter()
            render_pdf(cert)
            times.append(time.perf_counter() - started)
    return times


def prepare_certificates(app, count: int) -> None:
    import sqlalchemy as sa
    from flask_migrate import upgrade
    from werkzeug.security import generate_password_hash

    from sop_training.accounts.models import Role, User
    from sop_training.accounts.services import seed_reference_data
    from sop_training.certificates.codes import new_code, new_serial
    from sop_training.certificates.models import Certificate
    from sop_training.courses.models import Course
    from sop_training.db import utcnow
    from sop_training.extensions import db

    with app.app_context():
        upgrade()
        seed_reference_data()
        course = Course(slug="bench", title="Benchmark course", content_hash="b" * 64)
        db.session.add(course)
        password = generate_password_hash("bench-password-2026")
        db.session.add(
            User(
                email="admin@bench.example",
                full_name="Admin",
                role=Role.ADMIN,
                password_hash=password,
            )
        )
        db.session.execute(
            sa.insert(User),
            [
                {
                    "email": f"t{n}@bench.example",
                    "full_name": f"Trainee Nr. {n} Šćepanović",
                    "password_hash": password,
                    "locale": "en",
                    "position": "",
                }
                for n in range(count)
            ],
        )
        db.session.flush()
        ids = db.session.scalars(sa.select(User.id).where(User.role == Role.TRAINEE)).all()
        now = utcnow()
        db.session.execute(
            sa.insert(Certificate),
            [
                {
                    "serial": new_serial(now.year),
                    "code": new_code(),
                    "user_id": user_id,
                    "course_id": course.id,
                    "holder_name": f"Trainee {user_id} Šćepanović",
                    "agency_name": "Kosovo Police",
                    "course_titles": {"en": course.title},
                    "sop_edition": "",
                    "course_version": 1,
                    "score": 90.0,
                    "locale": "en",
                    "is_bilingual": False,
                    "issued_at": now,
                    "expires_at": now.replace(year=now.year + 2),
                    "state": "issued",
                }
                for user_id in ids
            ],
        )
        db.session.commit()


def stream_zip(app, folder: Path) -> tuple[float, int, float]:
    """Download the ZIP of every certificate as an admin; return seconds, entries, MB written."""
    client = app.test_client()
    client.post(
        "/accounts/login", data={"email": "admin@bench.example", "password": "bench-password-2026"}
    )
    started = time.perf_counter()
    response = client.get("/certificates/manage/certificates.zip", buffered=False)
    target = folder / "certificates.zip"
    with target.open("wb") as out:
        for chunk in response.response:
            out.write(chunk)
    seconds = time.perf_counter() - started
    with zipfile.ZipFile(target) as archive:
        entries = len(archive.namelist())
        bad = archive.testzip()
    if bad:
        raise SystemExit(f"corrupt entry in the ZIP: {bad}")
    return seconds, entries, target.stat().st_size / 1e6


def main():
    args = parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        app = make_app(folder)
        times = time_renders(app, args.renders)
        median = statistics.median(times) * 1000
        p95 = sorted(times)[int(0.95 * len(times))] * 1000
        print(
            f"render one certificate: median {median:.1f} ms, p95 {p95:.1f} ms "
            f"over {args.renders} renders (target <= {RENDER_TARGET_MS} ms)"
        )
        prepare_certificates(app, args.zip)
        before = peak_mb()
        seconds, entries, size = stream_zip(app, folder)
        after = peak_mb()
        print(
            f"ZIP of {entries} certificates: {seconds:.1f} s, {size:.1f} MB, "
            f"{entries / seconds:.0f} certificates/s"
        )
        print(
            f"peak memory of the process: {before:.0f} MB before the ZIP, {after:.0f} MB after "
            f"(target < {MEMORY_TARGET_MB} MB)"
        )
    ok = median <= RENDER_TARGET_MS and after < MEMORY_TARGET_MB and entries == args.zip
    print(f"result: {'PASS' if ok else 'FAIL'}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

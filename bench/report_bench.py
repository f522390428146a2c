"""Report benchmark: the dashboard and its exports on 100,000 trainees, against the bare SQL.

Usage (see bench/README.md):

    .venv/bin/python bench/report_bench.py --trainees 100000
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_MS = 500
PASSWORD = "bench-password-2026"
PAGES = {
    "dashboard": "/reports/",
    "export csv": "/reports/export.csv",
    "export xlsx": "/reports/export.xlsx",
    "export pdf": "/reports/export.pdf",
    "region drill-down": "/reports/regions/1",
}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=9, help="timed runs per page")
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--database", default="sop_report_bench")
    parser.add_argument("--reuse", action="store_true", help="keep an existing data set")
    return parser.parse_args()


def build(args, url: str) -> None:
    """Create the database and fill it with ``flask demo-data``; print how long that took."""
    with psycopg.connect(args.server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{args.database}"')
    env = {
        **os.environ,
        "SOP_DATABASE_URL": url,
        "SOP_SECRET_KEY": "bench",
        "SOP_LOG_LEVEL": "WARNING",
    }
    flask = [str(ROOT / ".venv" / "bin" / "flask"), "--app", "sop_training"]
    subprocess.run([*flask, "db", "upgrade"], env=env, check=True, capture_output=True)
    started = time.perf_counter()
    result = subprocess.run(
        [*flask, "demo-data", "--trainees", str(args.trainees)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    print(result.stdout.rstrip())
    print(f"flask demo-data --trainees {args.trainees}: {time.perf_counter() - started:.1f} s")


def median_ms(times: list[float]) -> float:
    return statistics.median(times) * 1000


def main():
    args = parse_args()
    url = args.server.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
    url = f"{url}/{args.database}"
    if not args.reuse:
        build(args, url)

    import sqlalchemy as sa

    from sop_training import create_app
    from sop_training.accounts.models import Role, User
    from sop_training.accounts.scope import Scope
    from sop_training.accounts.services import create_user
    from sop_training.extensions import db
    from sop_training.reports import queries

    app = create_app(
        {
            "SECRET_KEY": "bench",
            "DATABASE_URL": url,
            "WTF_CSRF_ENABLED": False,
            "LOG_LEVEL": "ERROR",
        }
    )
    with app.app_context():
        if not db.session.scalar(sa.select(User).where(User.email == "reporter@bench.example")):
            create_user(
                email="reporter@bench.example",
                full_name="Bench Reporter",
                password=PASSWORD,
                role=Role.REPORTER,
            )
            db.session.commit()
        statements = []

        def record(conn, cursor, statement, parameters, context, many):
            statements.append((statement, parameters))

        sa.event.listen(db.engine, "before_cursor_execute", record)
        with app.test_request_context():
            queries.reports(["region", "agency_type"], queries.ReportFilter(), Scope())
        sa.event.remove(db.engine, "before_cursor_execute", record)

    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    bare = []
    with psycopg.connect(dsn) as conn:
        for _ in range(args.runs + 1):
            started = time.perf_counter()
            for statement, parameters in statements:
                conn.execute(statement, parameters).fetchall()
            bare.append(time.perf_counter() - started)
    bare_ms = median_ms(bare[1:])
    print(f"\nbare SQL aggregate ({len(statements)} statements): p50 {bare_ms:.1f} ms")

    client = app.test_client()
    client.post("/accounts/login", data={"email": "reporter@bench.example", "password": PASSWORD})
    ok = True
    print(f"\n{'page':<20}{'p50 ms':>9}{'max ms':>9}{'x bare SQL':>12}")
    for name, path in PAGES.items():
        times = []
        for run in range(args.runs + 1):
            started = time.perf_counter()
            response = client.get(path)
            response.get_data()
            if response.status_code != 200:
                raise SystemExit(f"{path}: HTTP {response.status_code}")
            if run:  # the first run warms caches and is not counted
                times.append(time.perf_counter() - started)
        p50 = median_ms(times)
        ratio = p50 / bare_ms
        page_ok = p50 <= TARGET_MS and (ratio <= 2 or name == "region drill-down")
        ok = ok and page_ok
        print(f"{name:<20}{p50:>9.1f}{max(times) * 1000:>9.1f}{ratio:>12.2f}")
    print(f"\nresult: {'PASS' if ok else 'FAIL'} (target: p50 <= {TARGET_MS} ms, <= 2x bare SQL)")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

"""Load test: N trainees take a 16-question quiz at once against gunicorn on PostgreSQL.

First every simulated trainee logs in (a separate phase: password hashing is deliberately slow,
about 0.1 s of CPU each, and would otherwise dominate). Then all trainees start the quiz within
the ramp window; on each of 8 pages a trainee opens the page, answers its two questions (each
answer autosaved as the browser script does) and saves the page, then submits. Think time is
scaled down so a run takes minutes. At the end every answer sent is checked against the database.

Usage (see bench/README.md):

    .venv/bin/python bench/quiz_load.py --trainees 2000
"""

import argparse
import asyncio
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import aiohttp
import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "bench-password-2026"
QUESTIONS = 16
PER_PAGE = 2
CSRF_RE = re.compile(r'name="csrf-token" content="([^"]+)"')
ATTEMPT_RE = re.compile(r"/attempts/(\d+)/page/1")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=2000)
    parser.add_argument("--think", type=float, default=20.0, help="mean seconds between answers")
    parser.add_argument(
        "--ramp", type=float, default=30.0, help="seconds over which trainees start"
    )
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=8, help="threads per gunicorn worker")
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--database", default="sop_bench")
    parser.add_argument("--connections", type=int, default=200, help="client connection limit")
    return parser.parse_args()


def bank() -> list[dict]:
    """Return 16 single-choice questions; the right answer varies so scores vary."""
    questions = []
    for n in range(1, QUESTIONS + 1):
        questions.append(
            {
                "id": f"b-{n:02d}",
                "type": "single",
                "tags": [f"t{n % 4}"],
                "prompt": f"Benchmark question {n}?",
                "choices": [{"id": c, "text": f"Choice {c}"} for c in "abcd"],
                "answer": "abcd"[n % 4],
                "explanation": "Benchmark.",
                "source": "Benchmark",
            }
        )
    return questions


def prepare_database(args) -> str:
    """Create a fresh database, migrate it, and add the quiz and the trainees."""
    with psycopg.connect(args.server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{args.database}"')
    url = args.server.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
    url = f"{url}/{args.database}"
    os.environ["SOP_DATABASE_URL"] = url
    os.environ.setdefault("SOP_SECRET_KEY", "bench-secret")
    from werkzeug.security import generate_password_hash

    from sop_training import create_app
    from sop_training.accounts.models import User
    from sop_training.accounts.services import seed_reference_data
    from sop_training.extensions import db
    from sop_training.quizzes.models import Quiz, QuizVersion

    app = create_app()
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        seed_reference_data()
        settings = {
            "pass_mark": 70,
            "draw": None,
            "draw_per_tag": {},
            "shuffle_questions": False,
            "shuffle_choices": True,
            "attempt_limit": None,
            "wait_minutes": 0,
            "time_limit_minutes": 120,
            "show_answers": "after_attempt",
            "layout": "paged",
            "per_page": PER_PAGE,
        }
        quiz = Quiz(slug="bench", title="Benchmark quiz", version=1, content_hash="b" * 64)
        quiz.versions.append(
            QuizVersion(version=1, content_hash="b" * 64, settings=settings, questions=bank())
        )
        db.session.add(quiz)
        password_hash = generate_password_hash(PASSWORD)
        db.session.execute(
            sa_insert(User),
            [
                {
                    "email": f"trainee{n}@bench.example",
                    "full_name": f"Trainee {n}",
                    "password_hash": password_hash,
                    "locale": "en",
                    "position": "",
                }
                for n in range(args.trainees)
            ],
        )
        db.session.commit()
    return url


def sa_insert(model):
    import sqlalchemy as sa

    return sa.insert(model)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(args, url: str, port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "SOP_DATABASE_URL": url,
        "SOP_SECRET_KEY": "bench-secret",
        "SOP_LOGIN_RATE_LIMIT": "1000000 per minute",
        "SOP_LOG_LEVEL": "WARNING",
    }
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "--workers",
        str(args.workers),
        "--threads",
        str(args.threads),
        "--worker-class",
        "gthread",
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        "sop_training:create_app()",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("gunicorn did not start")


class Recorder:
    """Collects (step, start time, latency, ok) for every request."""

    def __init__(self):
        self.samples: list[tuple[str, float, float, bool]] = []
        self.errors: list[str] = []

    async def request(self, session, step, method, url, **kwargs):
        started = time.perf_counter()
        try:
            async with session.request(method, url, **kwargs) as response:
                text = await response.text()
                ok = response.status < 400
                if not ok:
                    self.errors.append(f"{step}: HTTP {response.status}")
                self.samples.append((step, started, time.perf_counter() - started, ok))
                return response, text
        except (TimeoutError, aiohttp.ClientError) as exc:
            self.errors.append(f"{step}: {type(exc).__name__} {exc}")
            self.samples.append((step, started, time.perf_counter() - started, False))
            return None, ""


async def log_in(n, base, recorder, session, gate):
    """Log one trainee in; return the CSRF token of their session."""
    async with gate:
        _, page = await recorder.request(session, "login page", "GET", f"{base}/accounts/login")
        token = CSRF_RE.search(page).group(1)
        data = {"email": f"trainee{n}@bench.example", "password": PASSWORD, "csrf_token": token}
        _, page = await recorder.request(
            session, "log in", "POST", f"{base}/accounts/login", data=data
        )
    return CSRF_RE.search(page).group(1)


async def take_quiz(n, base, args, recorder, session, token, sent):
    """Start, answer every page with autosaves, and submit."""
    rng = random.Random(n)
    think = lambda: asyncio.sleep(rng.expovariate(1 / args.think))  # noqa: E731
    await asyncio.sleep(rng.uniform(0, args.ramp))
    response, _ = await recorder.request(
        session, "start", "POST", f"{base}/quizzes/bench/start", data={"csrf_token": token}
    )
    attempt = ATTEMPT_RE.search(str(response.url)).group(1)
    headers = {"X-CSRFToken": token, "Accept": "application/json"}
    for number in range(1, QUESTIONS // PER_PAGE + 1):
        form = {"csrf_token": token, "go": "next"}
        for offset in range(PER_PAGE):
            qid = f"b-{(number - 1) * PER_PAGE + offset + 1:02d}"
            choice = rng.choice("abcd")
            sent[(n, qid)] = choice
            form[f"q-{qid}"] = choice
            await think()
            payload = {"questions": [qid], "fields": {f"q-{qid}": [choice]}}
            url = f"{base}/attempts/{attempt}/autosave"
            await recorder.request(session, "autosave", "POST", url, json=payload, headers=headers)
        # Saving a page redirects to (and so opens) the next page, or the review at the end.
        url = f"{base}/attempts/{attempt}/page/{number}"
        await recorder.request(session, "save page", "POST", url, data=form)
    await think()
    url = f"{base}/attempts/{attempt}/submit"
    await recorder.request(session, "submit", "POST", url, data={"csrf_token": token})


async def run_load(base, args):
    login_recorder, recorder = Recorder(), Recorder()
    sent: dict = {}
    connector = aiohttp.TCPConnector(limit=args.connections)
    timeout = aiohttp.ClientTimeout(total=120)
    sessions = [
        aiohttp.ClientSession(
            cookie_jar=aiohttp.CookieJar(unsafe=True),
            connector=connector,
            connector_owner=False,
            timeout=timeout,
        )
        for _ in range(args.trainees)
    ]
    gate = asyncio.Semaphore(args.workers * 2)
    started = time.perf_counter()
    tokens = await asyncio.gather(
        *(log_in(n, base, login_recorder, sessions[n], gate) for n in range(args.trainees))
    )
    login_time = time.perf_counter() - started
    started = time.perf_counter()
    results = await asyncio.gather(
        *(
            take_quiz(n, base, args, recorder, sessions[n], tokens[n], sent)
            for n in range(args.trainees)
        ),
        return_exceptions=True,
    )
    duration = time.perf_counter() - started
    for session in sessions:
        await session.close()
    await connector.close()
    for result in results:
        if isinstance(result, Exception):
            recorder.errors.append(f"trainee failed: {type(result).__name__} {result}")
    return login_recorder, login_time, recorder, sent, duration


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


def report(recorder, duration, args):
    samples = recorder.samples
    print(f"\ntrainees: {args.trainees}  requests: {len(samples)}  duration: {duration:.1f} s")
    print(f"throughput: {len(samples) / duration:.1f} requests/s")
    print(f"errors: {len(recorder.errors)}")
    for error in recorder.errors[:10]:
        print(f"  {error}")
    by_step = defaultdict(list)
    for step, _start, latency, _ok in samples:
        by_step[step].append(latency)
    print(f"\n{'step':<12}{'count':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for step, values in by_step.items():
        print(
            f"{step:<12}{len(values):>8}{percentile(values, 0.5):>9.1f}"
            f"{percentile(values, 0.95):>9.1f}{percentile(values, 0.99):>9.1f}"
        )
    # Steady state: leave out the first and last 10 % of the run (ramp-up and tail).
    first = min(s[1] for s in samples)
    last = max(s[1] for s in samples)
    low, high = first + 0.1 * (last - first), last - 0.1 * (last - first)
    steady = [s[2] for s in samples if low <= s[1] <= high]
    everything = [s[2] for s in samples]
    print(
        f"\nall requests: p50 {percentile(everything, 0.5):.1f} ms, "
        f"p95 {percentile(everything, 0.95):.1f} ms, p99 {percentile(everything, 0.99):.1f} ms"
    )
    print(
        f"steady state ({len(steady)} requests): p50 {statistics.median(steady) * 1000:.1f} ms, "
        f"p95 {percentile(steady, 0.95):.1f} ms, p99 {percentile(steady, 0.99):.1f} ms"
    )
    return percentile(steady, 0.95)


def verify(url, sent):
    """Check that every answer sent is in the database, and every attempt was scored."""
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn) as conn:
        rows = conn.execute(
            "SELECT u.email, a.question_id, a.response #>> '{}' FROM answers a "
            "JOIN attempts t ON t.id = a.attempt_id JOIN users u ON u.id = t.user_id"
        ).fetchall()
        unscored = conn.execute("SELECT count(*) FROM attempts WHERE score IS NULL").fetchone()[0]
        attempts = conn.execute("SELECT count(*) FROM attempts").fetchone()[0]
    stored = {(int(email.split("@")[0][7:]), qid): value for email, qid, value in rows}
    lost = [key for key, choice in sent.items() if stored.get(key) != choice]
    print(f"\nanswers sent: {len(sent)}  stored: {len(stored)}  lost or wrong: {len(lost)}")
    print(f"attempts: {attempts}  not scored: {unscored}")
    return not lost and not unscored


def main():
    args = parse_args()
    print(f"Preparing database {args.database} with {args.trainees} trainees…")
    url = prepare_database(args)
    port = free_port()
    server = start_server(args, url, port)
    try:
        print(f"gunicorn: {args.workers} workers × {args.threads} threads on port {port}")
        login_recorder, login_time, recorder, sent, duration = asyncio.run(
            run_load(f"http://127.0.0.1:{port}", args)
        )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)
    print("\n== log-in phase")
    report(login_recorder, login_time, args)
    print("\n== quiz phase")
    p95 = report(recorder, duration, args)
    complete = verify(url, sent)
    ok = complete and not recorder.errors and p95 <= 300
    print(f"\nresult: {'PASS' if ok else 'FAIL'} (target: 0 errors, 0 lost answers, p95 <= 300 ms)")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

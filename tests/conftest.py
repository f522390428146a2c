"""Fixtures: an app on a fresh database per test, a client, and factories."""

import itertools
import os
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from werkzeug.serving import make_server

from sop_training import create_app
from sop_training.accounts.models import Role, User
from sop_training.accounts.services import create_user, seed_reference_data
from sop_training.courses.models import Course, Lesson
from sop_training.extensions import db
from sop_training.quizzes.models import forget_banks

TEST_DATABASE_URL = os.environ.get("SOP_TEST_DATABASE_URL", "sqlite://")
PASSWORD = "correct-horse-battery"
_counter = itertools.count(1)


class FreshContextClient(FlaskClient):
    """A test client whose every request runs in its own app context, as in production.

    Without this, requests reuse the test's app context and share ``g`` (and so the cached
    locale and logged-in user) from one request to the next.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


def drop_everything(engine) -> None:
    """Drop every table, including Alembic's, so each test starts from nothing."""
    meta = sa.MetaData()
    meta.reflect(bind=engine)
    meta.drop_all(bind=engine)
    # Ids are reused after this, so banks cached under them are no longer theirs.
    forget_banks()


def make_test_app(tmp_path: Path, **overrides):
    """Create an app bound to the test database with mail going to ``tmp_path/outbox``."""
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "DATABASE_URL": TEST_DATABASE_URL,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "MAIL_OUTBOX": str(tmp_path / "outbox"),
        "SERVER_NAME": "localhost",
    }
    config.update(overrides)
    os.environ["SOP_INSTANCE_PATH"] = str(tmp_path / "instance")
    app = create_app(config)
    app.test_client_class = FreshContextClient
    return app


@pytest.fixture
def app_config():
    """Override in a test module to change settings."""
    return {}


@pytest.fixture
def app(tmp_path, app_config):
    app = make_test_app(tmp_path, **app_config)
    with app.app_context():
        drop_everything(db.engine)
        db.create_all()
        seed_reference_data()
        db.session.commit()
        yield app
        db.session.remove()
        drop_everything(db.engine)
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def outbox(app):
    """Return a function listing the messages written to the outbox, oldest first."""
    from email import message_from_bytes, policy

    def read():
        folder = Path(app.config["MAIL_OUTBOX"])
        if not folder.exists():
            return []
        return [
            message_from_bytes(p.read_bytes(), policy=policy.default)
            for p in sorted(folder.glob("*.eml"))
        ]

    return read


@pytest.fixture
def make_user(app):
    def factory(
        role: Role = Role.TRAINEE, email: str | None = None, password: str | None = PASSWORD, **kw
    ):
        n = next(_counter)
        ids = {k: kw.pop(k) for k in list(kw) if k.endswith("_id")}
        user = create_user(
            email=email or f"user{n}@example.org",
            full_name=kw.pop("full_name", f"Test User {n}"),
            password=password,
            role=role,
            **kw,
        )
        for name, value in ids.items():
            setattr(user, name, value)
        db.session.commit()
        return user

    return factory


@pytest.fixture
def make_course(app):
    def factory(slug: str | None = None, lessons: int = 3, quiz_slug: str | None = None, **kw):
        n = next(_counter)
        course = Course(
            slug=slug or f"course-{n}",
            title=kw.pop("title", f"Course {n}"),
            summary=kw.pop("summary", "A course for tests."),
            audience=kw.pop("audience", ["police"]),
            languages=["en"],
            translations=kw.pop("translations", {}),
            quiz_slug=quiz_slug,
            content_hash="0" * 64,
            **kw,
        )
        for i in range(1, lessons + 1):
            course.lessons.append(
                Lesson(
                    slug=f"lesson-{i}",
                    position=i,
                    title=f"Lesson {i}",
                    objectives=[f"Objective {i}"],
                    sources=[f"Source {i}"],
                    reading_minutes=5,
                    body_html=f"<p>Body of lesson {i}</p>",
                )
            )
        db.session.add(course)
        db.session.commit()
        return course

    return factory


@pytest.fixture
def make_quiz(app):
    """Create a quiz from the test bank; ``settings`` override its rules."""

    def factory(slug: str | None = None, questions=None, **settings):
        from sop_training.quizzes.models import Quiz, QuizVersion

        from . import quiz_bank

        n = next(_counter)
        quiz = Quiz(slug=slug or f"quiz-{n}", title=f"Quiz {n}", version=1, content_hash="1" * 64)
        quiz.versions.append(
            QuizVersion(
                version=1,
                content_hash="1" * 64,
                settings={**quiz_bank.SETTINGS, **settings},
                questions=questions or quiz_bank.QUESTIONS,
            )
        )
        db.session.add(quiz)
        db.session.commit()
        return quiz

    return factory


@pytest.fixture
def login(client, make_user):
    """Log in through the real form; return the user."""

    def do_login(user: User | None = None, role: Role = Role.TRAINEE, password: str = PASSWORD):
        user = user or make_user(role=role)
        response = client.post("/accounts/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    return do_login


@pytest.fixture
def live_app(tmp_path):
    """Create an app on a database file (or the PostgreSQL test database), migrated and seeded."""
    from flask_migrate import upgrade

    from sop_training.cli import import_all_content

    url = TEST_DATABASE_URL
    if url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'e2e.db'}"
    app = make_test_app(tmp_path, DATABASE_URL=url, SERVER_NAME=None, WTF_CSRF_ENABLED=True)
    with app.app_context():
        drop_everything(db.engine)
        upgrade()
        seed_reference_data()
        import_all_content()
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        drop_everything(db.engine)
        db.engine.dispose()


@pytest.fixture
def live_server(live_app):
    """Serve the app on a free loopback port in a thread; yield its base URL."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)

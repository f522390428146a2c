"""SOP Training: courses, quizzes and certificates on the anti-trafficking SOPs."""

import logging
import os
import secrets
from pathlib import Path

import sqlalchemy as sa
from flask import Flask

from . import config as default_config

ROOT = Path(__file__).resolve().parent.parent


def _database_url(app: Flask) -> str:
    url = app.config.get("DATABASE_URL")
    if url:
        return url
    return "sqlite:///" + os.path.join(app.instance_path, "sop_training.db")


def _enable_sqlite_foreign_keys(app: Flask) -> None:
    from .extensions import db

    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":

        @sa.event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()


def create_app(test_config: dict | None = None) -> Flask:
    """Create the application: config, extensions, blueprints, CLI, error handlers."""
    # Templates live at the repository root, beside courses/ and quizzes/, not in the package.
    app = Flask(
        __name__,
        instance_path=os.environ.get("SOP_INSTANCE_PATH") or str(ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
    )
    app.config.from_object(default_config)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("SOP")
        if not app.config.get("SECRET_KEY"):
            _write_instance_config(app)
            app.config.from_pyfile("config.py")
    else:
        app.config.from_mapping(test_config)
    _finish_config(app)

    logging.basicConfig(level=app.config.get("LOG_LEVEL", "INFO"))
    _init_extensions(app)
    _register_blueprints(app)

    from .cli import register_cli
    from .errors import register_error_handlers

    register_cli(app)
    register_error_handlers(app)
    return app


def _write_instance_config(app: Flask) -> None:
    """Create ``instance/config.py`` with a random SECRET_KEY on first run."""
    path = Path(app.instance_path, "config.py")
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text(
            "# Settings for this installation; not committed. See sop_training/config.py.\n"
            f"SECRET_KEY = {secrets.token_hex(32)!r}\n"
        )
        logging.getLogger(__name__).info("Wrote %s with a new SECRET_KEY", path)


def _finish_config(app: Flask) -> None:
    app.config["SQLALCHEMY_DATABASE_URI"] = _database_url(app)
    for key in ("COURSES_DIR", "QUIZZES_DIR"):
        if not os.path.isabs(app.config[key]):
            app.config[key] = str(ROOT / app.config[key])
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY is not set: set it in instance/config.py or SOP_SECRET_KEY")
    redis_url = app.config.get("REDIS_URL")
    app.config.setdefault("RATELIMIT_STORAGE_URI", redis_url or "memory://")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)


def _init_extensions(app: Flask) -> None:
    from flask_babel import lazy_gettext as _l

    from . import auth  # noqa: F401 - registers the user loader
    from .extensions import babel, csrf, db, limiter, login_manager, migrate
    from .i18n import init_i18n, select_locale
    from .security import init_security

    db.init_app(app)
    _enable_sqlite_foreign_keys(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.localize_callback = str
    login_manager.login_message_category = "info"
    init_i18n(app)
    init_security(app)


def _register_blueprints(app: Flask) -> None:
    from .accounts import admin
    from .accounts import views as accounts_views
    from .certificates import public_views, staff_views
    from .certificates import views as certificates_views
    from .courses import bulk_views
    from .courses import views as courses_views
    from .health import bp as health_bp
    from .lti import hooks, launch_views, lms_views  # noqa: F401 - routes and hooks on lti.bp
    from .lti import views as lti_views
    from .quizzes import results_views
    from .quizzes import views as quizzes_views
    from .reports import admin_views as report_admin_views
    from .reports import api as reports_api
    from .reports import views as reports_views
    from .scheduling import manage_views, roster_views
    from .scheduling import views as scheduling_views

    for bp in (
        health_bp,
        accounts_views.bp,
        admin.bp,
        courses_views.bp,
        bulk_views.bp,
        quizzes_views.bp,
        results_views.bp,
        certificates_views.bp,
        staff_views.bp,
        public_views.bp,
        scheduling_views.bp,
        manage_views.bp,
        roster_views.bp,
        reports_views.bp,
        report_admin_views.bp,
        reports_api.bp,
        lti_views.bp,
    ):
        app.register_blueprint(bp)

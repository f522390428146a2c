"""Error pages and the base class for errors a user can read."""

import logging

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError

logger = logging.getLogger(__name__)


class DomainError(Exception):
    """A rule of the domain was broken; the message is shown to the user as it is."""


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def _render(status: int):
    if _wants_json():
        return jsonify(error=status), status
    return render_template(f"errors/{status}.html"), status


def register_error_handlers(app: Flask) -> None:
    """Render 400/403/404/413/429/500 inside the site layout."""
    for status in (400, 403, 404, 413, 429):
        app.register_error_handler(status, lambda e, s=status: _render(s))

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        if _wants_json():
            return jsonify(error=400, reason="csrf"), 400
        return render_template("errors/csrf.html"), 400

    @app.errorhandler(500)
    def internal_error(error):
        from .extensions import db

        db.session.rollback()
        return _render(500)

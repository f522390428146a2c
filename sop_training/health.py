"""``/healthz`` for load balancers and monitoring."""

import logging

import sqlalchemy as sa
from flask import Blueprint, jsonify

from .extensions import db

logger = logging.getLogger(__name__)
bp = Blueprint("health", __name__)


@bp.route("/healthz")
def healthz():
    try:
        db.session.execute(sa.text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any failure means the database does not answer
        logger.exception("Health check: database unavailable")
        db.session.rollback()
        return jsonify(status="error", database="unavailable"), 503
    return jsonify(status="ok", database="ok")

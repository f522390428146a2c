"""``/api/v1/reports/completions``: the report as JSON, for personal API tokens."""

from flask import Blueprint, g, jsonify, request

from ..accounts.models import Role
from ..accounts.scope import scope_of
from ..extensions import csrf, db, limiter
from . import exports, queries
from .filters import read_filter
from .tokens import user_for_token

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


def _error(status: int, message: str):
    return jsonify(error=message), status


@bp.before_request
def authenticate():
    """Accept ``Authorization: Bearer <token>`` from reporters and admins only."""
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return _error(401, "Send a personal API token: Authorization: Bearer <token>.")
    user = user_for_token(header.removeprefix("Bearer ").strip())
    if user is None:
        return _error(401, "The token is unknown or revoked.")
    if user.role not in (Role.REPORTER, Role.ADMIN):
        return _error(403, "Only reporters and administrators may read reports.")
    db.session.commit()
    g.api_user = user
    return None


def _row(row: queries.Row, suppress: bool) -> dict:
    return {c.key: exports.cell(row, c, suppress) for c in exports.COLUMNS}


@bp.route("/reports/completions")
@limiter.limit("120 per minute")
def completions():
    by = request.args.get("by", "region")
    if by not in ("region", "agency", "agency_type"):
        return _error(400, "by must be region, agency or agency_type.")
    wanted, problems = read_filter(request.args)
    if problems:
        return _error(400, " ".join(problems))
    suppress = request.args.get("suppress") == "1"
    rows, totals = queries.report(by, wanted, scope_of(g.api_user))
    return jsonify(
        by=by,
        filters={k: getattr(v, "value", v) for k, v in wanted.__dict__.items() if v is not None}
        | ({} if not wanted.date_from else {"date_from": wanted.date_from.isoformat()})
        | ({} if not wanted.date_to else {"date_to": wanted.date_to.isoformat()}),
        suppressed_below=exports.SMALL_CELL if suppress else None,
        rows=[{"key": getattr(r.key, "value", r.key), **_row(r, suppress)} for r in rows],
        total=_row(totals, suppress),
    )

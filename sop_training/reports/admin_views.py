"""Coverage targets (admins) and personal API tokens (reporters and admins)."""

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.models import Agency, Region, Role
from ..accounts.services import active_regions
from ..auth import role_required
from ..courses.services import list_courses
from ..extensions import db
from . import tokens
from .models import CoverageTarget

bp = Blueprint("report_admin", __name__, url_prefix="/reports")


@bp.route("/targets", methods=["GET", "POST"])
@role_required()
def targets():
    courses, regions = list_courses(), active_regions()
    course_id = request.values.get("course", type=int) or (courses[0].id if courses else None)
    region_id = request.values.get("region", type=int) or (regions[0].id if regions else None)
    agencies = db.session.scalars(
        sa.select(Agency)
        .where(Agency.is_active, sa.or_(Agency.region_id == region_id, Agency.region_id.is_(None)))
        .order_by(Agency.type, Agency.name)
    ).all()
    existing = {
        t.agency_id: t
        for t in db.session.scalars(
            sa.select(CoverageTarget).where(
                CoverageTarget.course_id == course_id, CoverageTarget.region_id == region_id
            )
        )
    }
    if request.method == "POST":
        values, bad = {}, []
        for agency in agencies:
            raw = request.form.get(f"a-{agency.id}", "").strip()
            if raw and not raw.isdigit():
                bad.append(agency.name)
            values[agency.id] = int(raw) if raw.isdigit() else None
        if bad:
            flash(
                _(
                    "Targets must be whole numbers; nothing was saved: %(names)s",
                    names=", ".join(bad),
                ),
                "error",
            )
        else:
            _save(existing, values, course_id, region_id)
            db.session.commit()
            flash(_("Targets saved."), "success")
            return redirect(url_for(".targets", course=course_id, region=region_id))
    return render_template(
        "reports/targets.html",
        courses=courses,
        regions=regions,
        course_id=course_id,
        region=db.session.get(Region, region_id) if region_id else None,
        agencies=agencies,
        existing=existing,
    )


def _save(existing: dict, values: dict, course_id: int, region_id: int) -> None:
    for agency_id, value in values.items():
        target = existing.get(agency_id)
        if not value:
            if target is not None:
                db.session.delete(target)
        elif target is None:
            db.session.add(
                CoverageTarget(
                    agency_id=agency_id, region_id=region_id, course_id=course_id, target=value
                )
            )
        else:
            target.target = value


@bp.route("/tokens", methods=["GET", "POST"])
@role_required(Role.REPORTER)
def api_tokens():
    secret = None
    if request.method == "POST":
        if request.form.get("revoke"):
            if tokens.revoke_token(current_user, request.form.get("revoke", type=int) or 0):
                flash(_("Token revoked: it no longer works."), "success")
            db.session.commit()
            return redirect(url_for(".api_tokens"))
        name = request.form.get("name", "").strip()
        if not name:
            flash(_("Name the token, e.g. after the program that will use it."), "error")
        else:
            _token, secret = tokens.create_token(current_user, name)
            db.session.commit()
    return render_template(
        "reports/tokens.html", tokens=tokens.user_tokens(current_user), secret=secret
    )

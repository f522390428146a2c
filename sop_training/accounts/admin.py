"""Admin pages: users, roles and activation; regions and agencies."""

import logging

import sqlalchemy as sa
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth import role_required
from ..extensions import db
from . import services
from .forms import AgencyForm, RegionForm, UserAdminForm, UserSearchForm
from .models import Agency, AgencyType, Region, Role, User

logger = logging.getLogger(__name__)
bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/users")
@role_required(Role.ADMIN)
def users():
    form = UserSearchForm(request.args)
    role = Role(form.role.data) if form.validate() and form.role.data else None
    stmt = services.search_users(form.q.data or "", role)
    page = db.paginate(stmt, per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render_template("admin/users.html", form=form, page=page)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit_user(user_id):
    user = db.get_or_404(User, user_id)
    form = UserAdminForm(
        data={
            "role": user.role.value,
            "is_active": user.is_active,
            "scope_region_id": user.scope_region_id or 0,
            "scope_agency_id": user.scope_agency_id or 0,
        }
    )
    if form.validate_on_submit():
        try:
            services.set_role(user, Role(form.role.data), current_user)
            services.set_active(user, form.is_active.data, current_user)
            services.set_scope(user, form.scope_region_id.data, form.scope_agency_id.data)
        except services.AccountError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(_("Saved changes to %(name)s.", name=user.full_name), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/edit_user.html", form=form, user=user)


@bp.route("/agencies")
@role_required(Role.ADMIN)
def agencies():
    rows = db.session.scalars(sa.select(Agency).order_by(Agency.type, Agency.name)).all()
    return render_template("admin/agencies.html", agencies=rows)


@bp.route("/agencies/new", methods=["GET", "POST"], defaults={"agency_id": None})
@bp.route("/agencies/<int:agency_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit_agency(agency_id):
    agency = db.get_or_404(Agency, agency_id) if agency_id else None
    form = AgencyForm(obj=agency)
    if agency and request.method == "GET":
        form.type.data = agency.type.value
        form.region_id.data = agency.region_id or 0
    if form.validate_on_submit():
        clash = db.session.scalar(sa.select(Agency).where(Agency.name == form.name.data.strip()))
        if clash is not None and clash is not agency:
            form.name.errors.append(_("Another agency already has this name."))
        else:
            agency = agency or Agency()
            agency.name = form.name.data.strip()
            agency.type = AgencyType(form.type.data)
            agency.region_id = form.region_id.data or None
            agency.is_active = form.is_active.data
            db.session.add(agency)
            db.session.commit()
            flash(_("Agency saved."), "success")
            return redirect(url_for("admin.agencies"))
    return render_template("admin/edit_agency.html", form=form, agency=agency)


@bp.route("/regions")
@role_required(Role.ADMIN)
def regions():
    rows = db.session.scalars(sa.select(Region).order_by(Region.id)).all()
    return render_template("admin/regions.html", regions=rows)


@bp.route("/regions/new", methods=["GET", "POST"], defaults={"region_id": None})
@bp.route("/regions/<int:region_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit_region(region_id):
    region = db.get_or_404(Region, region_id) if region_id else None
    form = RegionForm(obj=region)
    if form.validate_on_submit():
        code = form.code.data.strip().lower()
        clash = db.session.scalar(sa.select(Region).where(Region.code == code))
        if clash is not None and clash is not region:
            form.code.errors.append(_("Another region already has this code."))
        else:
            region = region or Region()
            form.populate_obj(region)
            region.code = code
            db.session.add(region)
            db.session.commit()
            flash(_("Region saved."), "success")
            return redirect(url_for("admin.regions"))
    if region is None and request.method == "GET":
        form.is_active.data = True
    return render_template("admin/edit_region.html", form=form, region=region)

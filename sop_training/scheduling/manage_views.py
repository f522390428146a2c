"""Trainers plan sessions: create, edit, duplicate, cancel, and a month calendar."""

import calendar as month_grid
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.models import Role, User
from ..accounts.services import active_regions
from ..auth import role_required
from ..courses import services as courses
from ..extensions import db
from . import notifications, services
from .forms import CancelForm, SessionForm, local_zone, to_local, to_utc
from .models import TrainingSession
from .views import int_arg, month_arg, session_or_404

bp = Blueprint("session_admin", __name__, url_prefix="/sessions")


def managed_or_403(session_id: int) -> TrainingSession:
    """Return the session if the current user manages it; trainers manage only their own."""
    session = session_or_404(session_id)
    if not services.may_manage(current_user, session):
        abort(403)
    return session


def _fill(session: TrainingSession, form: SessionForm) -> list[User]:
    for name in ("course_id", "region_id", "venue", "address", "capacity", "language", "notes"):
        setattr(session, name, getattr(form, name).data)
    session.requires_online_lessons = form.requires_online_lessons.data
    session.eligible_agency_types = list(form.eligible_agency_types.data)
    session.eligible_agency_ids = list(form.eligible_agency_ids.data)
    session.starts_at = to_utc(form.starts_at.data)
    session.ends_at = to_utc(form.ends_at.data)
    session.registration_deadline = to_utc(form.registration_deadline.data)
    ids = form.trainer_ids.data or [current_user.id]
    return list(db.session.scalars(sa.select(User).where(User.id.in_(ids))))


def _save(session: TrainingSession, form: SessionForm):
    try:
        saved = services.save_session(session, _fill(session, form), current_user)
    except services.SchedulingError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return None
    db.session.commit()
    return saved


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.TRAINER)
def create():
    form = SessionForm()
    if request.method == "GET":
        form.trainer_ids.data = [current_user.id]
    if form.validate_on_submit():
        session = _save(TrainingSession(), form)
        if session is not None:
            flash(_("Session scheduled."), "success")
            return redirect(url_for("sessions.detail", session_id=session.id))
    return render_template("sessions/edit.html", form=form, session=None)


@bp.route("/<int:session_id>/edit", methods=["GET", "POST"])
@role_required(Role.TRAINER)
def edit(session_id):
    session = managed_or_403(session_id)
    form = SessionForm(obj=session)
    if request.method == "GET":
        form.starts_at.data = to_local(session.starts_at)
        form.ends_at.data = to_local(session.ends_at)
        form.registration_deadline.data = to_local(session.registration_deadline)
        form.trainer_ids.data = [t.id for t in session.trainers]
    if form.validate_on_submit() and _save(session, form) is not None:
        flash(_("Session saved."), "success")
        return redirect(url_for("sessions.detail", session_id=session.id))
    return render_template("sessions/edit.html", form=form, session=session)


@bp.route("/<int:session_id>/duplicate", methods=["POST"])
@role_required(Role.TRAINER)
def duplicate(session_id):
    copy = services.duplicate_session(managed_or_403(session_id), current_user)
    db.session.commit()
    flash(_("Copied one week later. Check the details and save."), "success")
    return redirect(url_for(".edit", session_id=copy.id))


@bp.route("/<int:session_id>/cancel", methods=["GET", "POST"])
@role_required(Role.TRAINER)
def cancel(session_id):
    session = managed_or_403(session_id)
    form = CancelForm()
    if form.validate_on_submit():
        try:
            told = services.cancel_session(session, form.reason.data)
        except services.SchedulingError as exc:
            flash(str(exc), "error")
        else:
            db.session.commit()
            for registration in told:
                notifications.send_cancellation_notice(registration)
            flash(_("Session cancelled; %(n)d people were told.", n=len(told)), "success")
            return redirect(url_for("sessions.detail", session_id=session.id))
    return render_template("sessions/cancel.html", form=form, session=session)


@bp.route("/calendar")
@role_required(Role.TRAINER, Role.REPORTER)
def month():
    today = datetime.now(local_zone()).date()
    year, number = month_arg() or (today.year, today.month)
    first = date(year, number, 1)
    following = (first + timedelta(days=32)).replace(day=1)
    zone = local_zone()
    sessions = services.sessions_between(
        datetime(year, number, 1, tzinfo=zone).astimezone(UTC),
        datetime(following.year, following.month, 1, tzinfo=zone).astimezone(UTC),
        int_arg("region"),
        int_arg("course"),
    )
    by_day: dict[date, list[TrainingSession]] = {}
    for session in sessions:
        by_day.setdefault(session.starts_at.astimezone(zone).date(), []).append(session)
    previous = (first - timedelta(days=1)).replace(day=1)
    return render_template(
        "sessions/calendar.html",
        weeks=month_grid.Calendar(firstweekday=0).monthdatescalendar(year, number),
        first=first,
        by_day=by_day,
        previous=f"{previous:%Y-%m}",
        following=f"{following:%Y-%m}",
        today=today,
        regions=active_regions(),
        courses=courses.list_courses(),
        region_id=int_arg("region"),
        course_id=int_arg("course"),
    )

"""A session's roster: add and remove people, attendance, the printable sign-in sheet."""

import sqlalchemy as sa
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts import services as accounts
from ..accounts.csv_import import UnreadableFile
from ..accounts.models import Role, User
from ..accounts.notifications import send_invitation
from ..auth import role_required
from ..extensions import db
from . import notifications, services
from .attendance_csv import parse_attendance
from .forms import AttendanceImportForm, RosterImportForm
from .links import when
from .manage_views import managed_or_403
from .models import Attendance, Registration, RegistrationStatus
from .pdf import sign_in_sheet

bp = Blueprint("rosters", __name__, url_prefix="/sessions")
SEARCH_LIMIT = 20


def _search(term: str) -> list[User]:
    if len(term) < 2:
        return []
    pattern = f"%{term.lower()}%"
    return list(
        db.session.scalars(
            sa.select(User)
            .where(
                User.is_active,
                sa.or_(sa.func.lower(User.full_name).like(pattern), User.email.like(pattern)),
            )
            .order_by(User.full_name)
            .limit(SEARCH_LIMIT)
        )
    )


@bp.route("/<int:session_id>/roster")
@role_required(Role.TRAINER)
def roster(session_id):
    session = managed_or_403(session_id)
    term = request.args.get("q", "").strip()
    return render_template(
        "sessions/roster.html",
        session=session,
        groups=services.roster(session),
        Status=RegistrationStatus,
        term=term,
        found=_search(term),
        import_form=RosterImportForm(),
        result=None,
    )


def _tell(registrations) -> None:
    for registration in registrations:
        notifications.send_registration_notice(registration)


@bp.route("/<int:session_id>/roster/add", methods=["POST"])
@role_required(Role.TRAINER)
def add(session_id):
    session = managed_or_403(session_id)
    user = db.session.get(User, request.form.get("user_id", type=int) or 0) or abort(404)
    try:
        registration = services.register(session, user, by_trainer=True)
    except services.SchedulingError as exc:
        flash(str(exc), "error")
        return redirect(url_for(".roster", session_id=session_id))
    db.session.commit()
    _tell([registration])
    flash(_("%(name)s added to the session.", name=user.full_name), "success")
    return redirect(url_for(".roster", session_id=session_id))


@bp.route("/<int:session_id>/roster/import", methods=["POST"])
@role_required(Role.TRAINER)
def import_roster(session_id):
    session = managed_or_403(session_id)
    form = RosterImportForm()
    result = None
    if form.validate_on_submit():
        try:
            result = accounts.import_participants(form.file.data.read())
            added = services.add_participants(session, result.users)
        except (accounts.AccountError, services.SchedulingError) as exc:
            db.session.rollback()
            form.file.errors.append(str(exc))
            result = None
        else:
            db.session.commit()
            for user in result.created:
                send_invitation(user, current_user)
            _tell(added)
    return render_template(
        "sessions/roster.html",
        session=session,
        groups=services.roster(session),
        Status=RegistrationStatus,
        term="",
        found=[],
        import_form=form,
        result=result,
    )


def _registration_or_404(session, registration_id: int) -> Registration:
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.session_id != session.id:
        abort(404)
    return registration


@bp.route("/<int:session_id>/roster/<int:registration_id>/remove", methods=["POST"])
@role_required(Role.TRAINER)
def remove(session_id, registration_id):
    session = managed_or_403(session_id)
    registration = _registration_or_404(session, registration_id)
    try:
        change = services.remove(registration)
    except services.SchedulingError as exc:
        flash(str(exc), "error")
        return redirect(url_for(".roster", session_id=session_id))
    db.session.commit()
    notifications.send_removal_notice(registration)
    for promoted in change.promoted:
        notifications.send_promotion_notice(promoted)
    flash(_("%(name)s removed and told.", name=registration.user.full_name), "success")
    return redirect(url_for(".roster", session_id=session_id))


def _on_roster(session) -> list[Registration]:
    groups = services.roster(session)
    return groups[RegistrationStatus.CONFIRMED] + groups[RegistrationStatus.WAITLISTED]


@bp.route("/<int:session_id>/attendance", methods=["GET", "POST"])
@role_required(Role.TRAINER)
def attendance(session_id):
    session = managed_or_403(session_id)
    people = _on_roster(session)
    if request.method == "POST":
        choices = {a.value: a for a in Attendance}
        for registration in people:
            value = request.form.get(f"r-{registration.id}", "")
            if value not in choices and value != "":
                flash(_("Choose present, late or absent for each person."), "error")
                return redirect(url_for(".attendance", session_id=session_id))
        for registration in people:
            value = request.form.get(f"r-{registration.id}", "")
            marked = choices.get(value)
            if marked != registration.attendance:
                services.mark_attendance(registration, marked)
        db.session.commit()
        flash(_("Attendance saved."), "success")
        return redirect(url_for(".attendance", session_id=session_id))
    return render_template(
        "sessions/attendance.html",
        session=session,
        people=people,
        Attendance=Attendance,
        import_form=AttendanceImportForm(),
        errors=None,
    )


@bp.route("/<int:session_id>/attendance/import", methods=["POST"])
@role_required(Role.TRAINER)
def import_attendance(session_id):
    session = managed_or_403(session_id)
    form = AttendanceImportForm()
    errors = None
    if form.validate_on_submit():
        try:
            rows, errors = parse_attendance(form.file.data.read())
        except UnreadableFile as exc:
            form.file.errors.append(str(exc))
        else:
            missing = services.import_attendance(session, rows)
            errors += missing
            db.session.commit()
            applied = len(rows) - len(missing)
            flash(_("Attendance recorded for %(n)d people.", n=applied), "success")
    return render_template(
        "sessions/attendance.html",
        session=session,
        people=_on_roster(session),
        Attendance=Attendance,
        import_form=form,
        errors=sorted(errors or [], key=lambda e: e.line),
    )


@bp.route("/<int:session_id>/sign-in.pdf")
@role_required(Role.TRAINER)
def sign_in(session_id):
    session = managed_or_403(session_id)
    groups = services.roster(session)
    rows = [
        {"name": r.user.full_name, "agency": r.user.agency.name if r.user.agency else ""}
        for r in sorted(groups[RegistrationStatus.CONFIRMED], key=lambda r: r.user.full_name)
    ]
    return Response(
        sign_in_sheet(session, rows, when(session)),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="sign-in-{session.id}.pdf"'},
    )

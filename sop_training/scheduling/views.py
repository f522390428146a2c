"""Sessions for everyone: browse, register, withdraw, calendars."""

import re

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..accounts.services import active_regions
from ..courses import services as courses
from ..courses.services import lessons_finished
from ..db import utcnow
from ..extensions import db
from . import notifications, services
from .calendar import calendar_bytes
from .links import event_of, feed_token, session_ics, user_of_feed, when
from .models import Registration, RegistrationStatus, TrainingSession

bp = Blueprint("sessions", __name__, url_prefix="/sessions")
MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def session_or_404(session_id: int) -> TrainingSession:
    """Return the session or answer 404."""
    return db.session.get(TrainingSession, session_id) or abort(404)


def int_arg(name: str) -> int | None:
    """Return a whole-number query argument, or None when absent or malformed."""
    value = request.args.get(name, "")
    return int(value) if value.isdigit() else None


def month_arg() -> tuple[int, int] | None:
    """Return the ``month=YYYY-MM`` argument as (year, month)."""
    found = MONTH_RE.match(request.args.get("month", ""))
    return (int(found.group(1)), int(found.group(2))) if found else None


@bp.app_template_global()
def session_when(session: TrainingSession) -> str:
    """Start and end of a session in Kosovo time, in the current language."""
    return when(session)


@bp.route("/")
def index():
    sessions = services.upcoming_sessions(int_arg("region"), int_arg("course"), month_arg())
    return render_template(
        "sessions/index.html",
        sessions=sessions,
        regions=active_regions(),
        courses=courses.list_courses(),
        region_id=int_arg("region"),
        course_id=int_arg("course"),
        month=request.args.get("month", ""),
    )


@bp.route("/<int:session_id>")
def detail(session_id):
    session = session_or_404(session_id)
    registration = None
    if current_user.is_authenticated:
        registration = services.registration_of(session, current_user)
    return render_template(
        "sessions/detail.html",
        session=session,
        registration=registration,
        refusal=services.refusal(session, current_user) if current_user.is_authenticated else None,
        may_manage=current_user.is_authenticated and services.may_manage(current_user, session),
    )


@bp.route("/<int:session_id>/register", methods=["POST"])
@login_required
def register(session_id):
    session = session_or_404(session_id)
    try:
        registration = services.register(session, current_user)
    except services.SchedulingError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for(".detail", session_id=session_id))
    db.session.commit()
    notifications.send_registration_notice(registration)
    messages = {
        RegistrationStatus.CONFIRMED: _(
            "Your seat is confirmed. A calendar file is in your email."
        ),
        RegistrationStatus.WAITLISTED: _(
            "The session is full: you are on the waiting list and will be emailed if a seat frees."
        ),
        RegistrationStatus.AWAITING_PREREQUISITE: _(
            "Registered. Your seat is confirmed once you finish the course's online lessons."
        ),
    }
    flash(messages[registration.status], "success")
    return redirect(url_for(".detail", session_id=session_id))


@bp.route("/<int:session_id>/withdraw", methods=["POST"])
@login_required
def withdraw(session_id):
    session = session_or_404(session_id)
    registration = services.registration_of(session, current_user)
    if registration is None:
        abort(404)
    try:
        change = services.withdraw(registration)
    except services.SchedulingError as exc:
        flash(str(exc), "error")
        return redirect(url_for(".detail", session_id=session_id))
    db.session.commit()
    for promoted in change.promoted:
        notifications.send_promotion_notice(promoted)
    flash(_("You withdrew from this session."), "success")
    return redirect(url_for(".mine"))


@bp.route("/mine")
@login_required
def mine():
    token = feed_token(current_user)
    db.session.commit()
    return render_template(
        "sessions/mine.html",
        registrations=services.user_registrations(current_user),
        feed_url=url_for(".feed", token=token, _external=True),
        now=utcnow(),
    )


@bp.route("/<int:session_id>.ics")
def session_calendar(session_id):
    session = session_or_404(session_id)
    return Response(
        session_ics(session, str(request.args.get("lang") or "en")),
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="session-{session.id}.ics"'},
    )


@bp.route("/feed/<token>.ics")
def feed(token):
    user = user_of_feed(token) or abort(404)
    active = [r for r in services.user_registrations(user) if r.is_active or _cancelled(r)]
    events = [event_of(r.session, user.locale) for r in active]
    return Response(calendar_bytes(events, _("SOP Training sessions")), mimetype="text/calendar")


def _cancelled(registration: Registration) -> bool:
    # Keep cancelled sessions in the feed, marked cancelled, so calendars drop them visibly.
    return registration.session.is_cancelled and registration.status != RegistrationStatus.WITHDRAWN


@lessons_finished.connect
def _on_lessons_finished(enrolment) -> None:
    for registration in services.confirm_awaiting(enrolment):
        if registration.status != RegistrationStatus.AWAITING_PREREQUISITE:
            notifications.send_registration_notice(registration)

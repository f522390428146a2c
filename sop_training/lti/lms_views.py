"""Names and Role Provisioning pages: bring an LMS course's learners into sessions and reports."""

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.models import Role
from ..auth import role_required
from ..extensions import db
from . import launches
from .blueprint import bp


@bp.route("/roster/<int:session_id>", methods=["POST"])
@role_required(Role.TRAINER)
def import_roster(session_id):
    from ..scheduling import notifications as session_notifications
    from ..scheduling import services as scheduling
    from ..scheduling.models import TrainingSession
    from . import roster

    training = db.get_or_404(TrainingSession, session_id)
    if not scheduling.may_manage(current_user, training):
        abort(403)
    source = roster.roster_source(current_user)
    if source is None:
        flash(_("Launch SOP Training from your LMS course first."), "error")
        return redirect(url_for("rosters.roster", session_id=session_id))
    try:
        learners = roster.lms_learners(source)
        added = scheduling.add_participants(training, learners)
    except (launches.LaunchError, scheduling.SchedulingError) as exc:
        db.session.rollback()
        flash(_("The LMS roster could not be read: %(reason)s", reason=exc), "error")
        return redirect(url_for("rosters.roster", session_id=session_id))
    db.session.commit()
    for registration in added:
        session_notifications.send_registration_notice(registration)
    flash(_("%(n)d people from your LMS course are on the roster.", n=len(added)), "success")
    return redirect(url_for("rosters.roster", session_id=session_id))


@bp.route("/group", methods=["POST"])
@role_required(Role.TRAINER)
def import_group():
    from ..accounts.models import Cohort
    from . import roster

    back = request.form.get("next", "")
    if not back.startswith("/") or back.startswith("//"):
        back = url_for("courses.home")
    source = roster.roster_source(current_user)
    if source is None:
        flash(_("Launch SOP Training from your LMS course first."), "error")
        return redirect(back)
    try:
        learners = roster.lms_learners(source)
    except launches.LaunchError as exc:
        db.session.rollback()
        flash(_("The LMS roster could not be read: %(reason)s", reason=exc), "error")
        return redirect(back)
    name = source.context_title or _("LMS course")
    cohort = Cohort(name=name, created_by_id=current_user.id, members=learners)
    db.session.add(cohort)
    db.session.commit()
    flash(
        _("Report group “%(name)s” saved with %(n)d people.", name=name, n=len(learners)),
        "success",
    )
    return redirect(back)


@bp.app_template_global()
def lms_roster_available() -> bool:
    """Whether the current trainer launched from an LMS course whose members can be read."""
    from .roster import roster_source

    return current_user.is_authenticated and roster_source(current_user) is not None

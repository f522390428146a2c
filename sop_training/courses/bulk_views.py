"""Trainers and admins enrol participants in bulk from a CSV file."""

from flask import Blueprint, render_template
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts import services as accounts
from ..accounts.forms import ImportForm, choices
from ..accounts.models import Role
from ..accounts.notifications import send_invitation
from ..auth import role_required
from ..extensions import db
from . import services

bp = Blueprint("bulk", __name__, url_prefix="/enrolments")


@bp.route("/import", methods=["GET", "POST"])
@role_required(Role.TRAINER)
def import_participants():
    form = ImportForm()
    courses = services.list_courses()
    form.course_id.choices = choices([(0, _("— no course —"))] + [(c.id, c.title) for c in courses])
    result, course = None, None
    if form.validate_on_submit():
        try:
            result = accounts.import_participants(form.file.data.read())
        except accounts.AccountError as exc:
            db.session.rollback()
            form.file.errors.append(str(exc))
            result = None
        else:
            course = next((c for c in courses if c.id == form.course_id.data), None)
            for user in result.users if course else []:
                services.enroll(user, course)
            db.session.commit()
            for user in result.created:
                send_invitation(user, current_user)
    return render_template("courses/import.html", form=form, result=result, course=course)

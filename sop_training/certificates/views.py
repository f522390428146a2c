"""The holder's certificates: list, PDF, badge, language, renewal."""

from flask import Blueprint, Response, abort, flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..accounts.models import Role
from ..accounts.scope import scope_of
from ..auth import has_role
from ..courses import services as courses
from ..extensions import db
from . import services
from .forms import LanguageForm
from .models import Certificate, CertificateState
from .printing import assertion_of, pdf_filename, pdf_of

bp = Blueprint("certificates", __name__, url_prefix="/certificates")


def may_see(certificate: Certificate) -> bool:
    """Return whether the current user may see this certificate: holder, or staff in scope."""
    if certificate.user_id == current_user.id:
        return True
    if not has_role(Role.TRAINER, Role.REPORTER):
        return False
    return scope_of(current_user).contains(
        certificate.region_id, certificate.agency_id, certificate.user_id
    )


def visible_or_404(serial: str) -> Certificate:
    """Return the certificate if the current user may see it; 404 otherwise (no probing)."""
    certificate = services.find_by_serial(serial)
    if certificate is None or not may_see(certificate):
        abort(404)
    return certificate


def _own_or_404(serial: str) -> Certificate:
    certificate = services.find_by_serial(serial)
    if certificate is None or certificate.user_id != current_user.id:
        abort(404)
    return certificate


@bp.route("/")
@login_required
def mine():
    certificates = services.user_certificates(current_user)
    forms = {c.id: LanguageForm(obj=c, prefix=f"c{c.id}") for c in certificates}
    return render_template(
        "certificates/mine.html",
        certificates=certificates,
        forms=forms,
        renewal_due=services.renewal_due,
    )


@bp.route("/<serial>.pdf")
@login_required
def download(serial):
    certificate = visible_or_404(serial)
    is_holder = certificate.user_id == current_user.id
    if is_holder and certificate.state != CertificateState.ISSUED:
        flash(_("This certificate was replaced or revoked; download the current one."), "info")
        return redirect(url_for("certificates.mine"))
    headers = {"Content-Disposition": f'attachment; filename="{pdf_filename(certificate)}"'}
    return Response(pdf_of(certificate), mimetype="application/pdf", headers=headers)


@bp.route("/<serial>/badge.json")
@login_required
def badge(serial):
    certificate = _own_or_404(serial)
    if certificate.state != CertificateState.ISSUED:
        abort(404)
    document = assertion_of(certificate)
    response = jsonify(document)
    response.headers["Content-Disposition"] = f'attachment; filename="{certificate.serial}.json"'
    return response


@bp.route("/<serial>/language", methods=["POST"])
@login_required
def language(serial):
    certificate = _own_or_404(serial)
    form = LanguageForm(prefix=f"c{certificate.id}")
    if not form.validate_on_submit():
        flash(_("Choose one of the languages offered."), "error")
        return redirect(url_for("certificates.mine"))
    services.set_language(certificate, form.locale.data, form.is_bilingual.data)
    db.session.commit()
    flash(_("The certificate will be printed in the language you chose."), "success")
    return redirect(url_for("certificates.mine"))


@bp.route("/<serial>/renew", methods=["POST"])
@login_required
def renew(serial):
    certificate = _own_or_404(serial)
    enrolment = courses.get_enrolment(current_user, certificate.course)
    if enrolment is None or not services.renewal_due(certificate):
        flash(_("This certificate cannot be renewed yet."), "error")
        return redirect(url_for("certificates.mine"))
    courses.start_new_cycle(enrolment)
    db.session.commit()
    flash(
        _("Renewal started: pass the course's quiz again to receive a new certificate."),
        "success",
    )
    return redirect(url_for("courses.course", slug=certificate.course.slug))


@bp.app_context_processor
def certificate_helpers():
    """Let course pages show the trainee's certificate, without courses importing this."""

    def certificate_for(course):
        if not current_user.is_authenticated:
            return None
        return services.current_certificate(current_user, course)

    return {"certificate_for": certificate_for, "renewal_due": services.renewal_due}

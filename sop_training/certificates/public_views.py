"""Public pages, no login: certificate verification and Open Badges documents."""

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from ..courses import services as courses
from ..extensions import limiter
from . import services
from .badges import badge_class as badge_class_document
from .badges import issuer_profile, revoked_assertion
from .forms import VerifyForm
from .models import CertificateState, Status
from .printing import assertion_of, assertion_url

bp = Blueprint("verify", __name__)


def _verify_limit() -> str:
    return current_app.config["VERIFY_RATE_LIMIT"]


@bp.route("/verify")
@limiter.limit(_verify_limit)
def form():
    # A read-only look-up, so a GET form: no CSRF token, and the address can be bookmarked.
    form = VerifyForm(request.args)
    if "code" in request.args and form.validate():
        return redirect(url_for("verify.check", code=form.code.data.strip()))
    return render_template("certificates/verify_form.html", form=form)


@bp.route("/verify/<code>")
@limiter.limit(_verify_limit)
def check(code):
    certificate = services.find_by_code(code)
    status = certificate.status() if certificate else None
    response = render_template(
        "certificates/verify.html",
        certificate=certificate,
        status=status,
        Status=Status,
        form=VerifyForm(data={"code": code}),
    )
    return response, (200 if certificate else 404)


@bp.route("/badges/issuer.json")
def issuer():
    config = current_app.config
    return jsonify(
        issuer_profile(
            url=url_for("verify.issuer", _external=True),
            name=" & ".join(config["CERTIFICATE_ISSUERS"]),
            homepage=config.get("CERTIFICATE_ISSUER_URL")
            or url_for("courses.home", _external=True),
            email=config["CERTIFICATE_ISSUER_EMAIL"],
        )
    )


@bp.route("/badges/courses/<slug>.json")
def badge_class(slug):
    course = courses.get_course(slug) or abort(404)
    return jsonify(
        badge_class_document(
            url=url_for("verify.badge_class", slug=slug, _external=True),
            name=course.title,
            description=course.summary,
            image=url_for("verify.badge_image", slug=slug, _external=True),
            criteria=url_for("courses.course", slug=slug, _external=True),
            issuer=url_for("verify.issuer", _external=True),
        )
    )


@bp.route("/badges/courses/<slug>.svg")
def badge_image(slug):
    course = courses.get_course(slug) or abort(404)
    svg = render_template("certificates/badge.svg", course=course)
    return svg, 200, {"Content-Type": "image/svg+xml"}


@bp.route("/badges/assertions/<code>.json")
@limiter.limit(_verify_limit)
def assertion(code):
    certificate = services.find_by_code(code) or abort(404)
    url = assertion_url(certificate)
    if certificate.state == CertificateState.REVOKED:
        return jsonify(revoked_assertion(url, certificate.revoked_reason or "")), 410
    if certificate.state == CertificateState.SUPERSEDED:
        reason = _("Replaced by certificate %(serial)s", serial=certificate.superseded_by.serial)
        return jsonify(revoked_assertion(url, reason)), 410
    return jsonify(assertion_of(certificate))

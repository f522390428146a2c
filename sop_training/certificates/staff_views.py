"""Certificates for trainers, reporters and admins: scoped list, ZIP download, revoke, reissue."""

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.models import Role
from ..accounts.scope import scope_of
from ..accounts.services import active_regions
from ..auth import role_required
from ..courses import services as courses
from ..db import utcnow
from ..extensions import db
from . import services
from .archive import stream_zip
from .forms import ReissueForm, RevokeForm
from .models import Certificate, Status
from .printing import pdf_filename, pdf_of
from .views import visible_or_404

bp = Blueprint("certificate_staff", __name__, url_prefix="/certificates/manage")
STAFF = (Role.TRAINER, Role.REPORTER)
ZIP_BATCH = 50


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() else None


def _wanted() -> services.CertificateFilter:
    status = request.args.get("status", "")
    return services.CertificateFilter(
        course_id=_int_arg("course"),
        region_id=_int_arg("region"),
        status=Status(status) if status in {s.value for s in Status} else None,
        session_id=_int_arg("session"),
    )


@bp.route("/")
@role_required(*STAFF)
def index():
    wanted = _wanted()
    page = db.paginate(
        services.certificates_query(scope_of(current_user), wanted),
        page=_int_arg("page") or 1,
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )
    return render_template(
        "certificates/manage.html",
        page=page,
        wanted=wanted,
        courses=courses.list_courses(),
        regions=active_regions(),
        statuses=list(Status),
        now=utcnow(),
    )


@bp.route("/certificates.zip")
@role_required(*STAFF)
def archive():
    query = services.certificates_query(scope_of(current_user), _wanted())
    ids = list(db.session.scalars(query.with_only_columns(Certificate.id)))
    if not ids:
        flash(_("No certificates match these filters."), "info")
        return redirect(url_for(".index", **request.args))

    def entries():
        for start in range(0, len(ids), ZIP_BATCH):
            batch = ids[start : start + ZIP_BATCH]
            found = db.session.scalars(
                db.select(Certificate).where(Certificate.id.in_(batch))
            ).all()
            for certificate in sorted(found, key=lambda c: batch.index(c.id)):
                yield pdf_filename(certificate), certificate.issued_at, pdf_of(certificate)
            db.session.expunge_all()

    name = f"certificates-{utcnow():%Y%m%d}.zip"
    return Response(
        stream_with_context(stream_zip(entries())),
        mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.route("/<serial>", methods=["GET"])
@role_required(*STAFF)
def detail(serial):
    certificate = visible_or_404(serial)
    return render_template(
        "certificates/detail.html",
        certificate=certificate,
        revoke_form=RevokeForm(),
        reissue_form=ReissueForm(data={"holder_name": certificate.user.full_name}),
    )


@bp.route("/<serial>/revoke", methods=["POST"])
@role_required()
def revoke(serial):
    certificate = visible_or_404(serial)
    form = RevokeForm()
    if form.validate_on_submit():
        try:
            services.revoke_certificate(certificate, form.reason.data)
        except services.CertificateError as exc:
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(_("Certificate %(serial)s revoked.", serial=certificate.serial), "success")
            return redirect(url_for(".detail", serial=serial))
    return _detail_again(certificate, revoke_form=form)


@bp.route("/<serial>/reissue", methods=["POST"])
@role_required()
def reissue(serial):
    certificate = visible_or_404(serial)
    form = ReissueForm()
    if form.validate_on_submit():
        try:
            successor = services.reissue_certificate(certificate, form.holder_name.data)
        except services.CertificateError as exc:
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(_("Reissued as %(serial)s.", serial=successor.serial), "success")
            return redirect(url_for(".detail", serial=successor.serial))
    return _detail_again(certificate, reissue_form=form)


def _detail_again(certificate, **forms):
    forms.setdefault("revoke_form", RevokeForm())
    forms.setdefault("reissue_form", ReissueForm(data={"holder_name": certificate.holder_name}))
    return render_template("certificates/detail.html", certificate=certificate, **forms), 400

"""Turn a stored certificate into what is printed and published (URLs, logos, config)."""

import base64
import mimetypes
from functools import lru_cache
from pathlib import Path

from flask import current_app, url_for

from .badges import assertion
from .models import Certificate
from .pdf import PrintedCertificate, render_pdf


@lru_cache(maxsize=16)
def _data_uri(path: str) -> str:
    mimetype = mimetypes.guess_type(path)[0] or "image/png"
    return f"data:{mimetype};base64," + base64.b64encode(Path(path).read_bytes()).decode()


def _logos() -> list[str]:
    folder = Path(current_app.instance_path)
    paths = [folder / p for p in current_app.config.get("CERTIFICATE_LOGOS", [])]
    return [_data_uri(str(p)) for p in paths if p.is_file()]


def verify_url(certificate: Certificate) -> str:
    """Return the public verification URL printed (and QR-encoded) on the certificate."""
    return url_for("verify.check", code=certificate.code, _external=True)


def _signatory(certificate: Certificate) -> dict:
    if certificate.signed_by:
        # No title: the PDF prints "Trainer" in the certificate's own language.
        return {"name": certificate.signed_by, "title": ""}
    return dict(current_app.config["CERTIFICATE_SIGNATORY"])


def printed(certificate: Certificate) -> PrintedCertificate:
    """Return the printable form of ``certificate``."""
    config = current_app.config
    return PrintedCertificate(
        holder_name=certificate.holder_name,
        agency_name=certificate.agency_name,
        course_titles=certificate.course_titles,
        sop_edition=certificate.sop_edition,
        course_version=certificate.course_version,
        score=certificate.score,
        issued_on=certificate.issued_at,
        expires_on=certificate.expires_at,
        serial=certificate.serial,
        code=certificate.code,
        verify_url=verify_url(certificate),
        locale=certificate.locale,
        is_bilingual=certificate.is_bilingual,
        issuers=list(config["CERTIFICATE_ISSUERS"]),
        logos=_logos(),
        signatory=_signatory(certificate),
    )


def pdf_of(certificate: Certificate) -> bytes:
    """Render the certificate's PDF."""
    return render_pdf(printed(certificate))


def pdf_filename(certificate: Certificate) -> str:
    """Return a download name such as ``SOP-2026-7KQ2M9XD.pdf``."""
    return f"{certificate.serial}.pdf"


def assertion_url(certificate: Certificate) -> str:
    """Return the hosted Open Badges assertion URL of the certificate."""
    return url_for("verify.assertion", code=certificate.code, _external=True)


def assertion_of(certificate: Certificate) -> dict:
    """Return the Open Badges 2.0 assertion of a certificate in force."""
    return assertion(
        url=assertion_url(certificate),
        badge=url_for("verify.badge_class", slug=certificate.course.slug, _external=True),
        email=certificate.user.email,
        salt=certificate.serial,
        issued_at=certificate.issued_at,
        expires_at=certificate.expires_at,
        evidence=verify_url(certificate),
    )

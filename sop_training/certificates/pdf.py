"""Certificate PDFs: A4 landscape, DejaVu fonts for every Albanian and Serbian letter, a QR code."""

import base64
import io
from dataclasses import dataclass, field
from datetime import date, datetime

import segno
from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from ..i18n import format_day
from ..pdfs import FONT_DIR, html_to_pdf


@dataclass(frozen=True)
class PrintedCertificate:
    """Everything printed on one certificate, already resolved (no database access)."""

    holder_name: str
    agency_name: str
    #: Course title per locale; English is always present.
    course_titles: dict
    sop_edition: str
    course_version: int
    score: float | None
    #: Dates, or UTC datetimes shown as the local date.
    issued_on: date | datetime
    expires_on: date | datetime
    serial: str
    code: str
    verify_url: str
    locale: str = "en"
    is_bilingual: bool = False
    issuers: list = field(default_factory=list)
    logos: list = field(default_factory=list)
    signatory: dict = field(default_factory=dict)


def _texts(cert: PrintedCertificate, locale: str) -> dict:
    """Return the certificate's wording in one language."""
    with force_locale(locale):
        score = (
            _("with a score of %(score)s%%", score=f"{cert.score:g}")
            if cert.score is not None
            else ""
        )
        return {
            "locale": locale,
            "heading": _("Certificate of completion"),
            "certify": _("This is to certify that"),
            "completed": _("has successfully completed the course"),
            "course": cert.course_titles.get(locale) or cert.course_titles["en"],
            "edition": _(
                "%(edition)s, content version %(version)s",
                edition=cert.sop_edition,
                version=cert.course_version,
            )
            if cert.sop_edition
            else _("Content version %(version)s", version=cert.course_version),
            "score": score,
            "issued": _("Issued on %(date)s", date=format_day(cert.issued_on, locale)),
            "expires": _("Valid until %(date)s", date=format_day(cert.expires_on, locale)),
            "serial": _("Serial number"),
            "trainer": _("Trainer"),
            "code": _("Verification code"),
            "verify": _("Check this certificate at %(url)s", url=cert.verify_url),
        }


def qr_data_uri(url: str) -> str:
    """Return a PNG QR code for ``url`` as a data URI."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=6, border=2)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def certificate_html(cert: PrintedCertificate) -> str:
    """Return the XHTML that xhtml2pdf turns into the certificate."""
    languages = [cert.locale] + (["en"] if cert.is_bilingual and cert.locale != "en" else [])
    return render_template(
        "certificates/certificate_pdf.html",
        cert=cert,
        texts=[_texts(cert, loc) for loc in languages],
        qr=qr_data_uri(cert.verify_url),
        font_dir=FONT_DIR.as_posix(),
    )


def render_pdf(cert: PrintedCertificate) -> bytes:
    """Render the certificate as PDF bytes."""
    return html_to_pdf(certificate_html(cert))

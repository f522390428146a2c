"""Emails about certificates: expiry reminders."""

import logging

from flask import render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from ..db import utcnow
from ..mail import send_mail
from . import services

logger = logging.getLogger(__name__)


def send_expiry_reminder(certificate, days: int) -> None:
    """Email the holder that the certificate expires in ``days`` days, and record it."""
    holder = certificate.user
    with force_locale(holder.locale):
        body = render_template(
            "certificates/email_reminder.txt",
            certificate=certificate,
            days=days,
            title=certificate.course_title(holder.locale),
            link=url_for("certificates.mine", _external=True),
        )
        subject = _("Your SOP Training certificate expires in %(days)d days", days=days)
    send_mail(holder.email, subject, body)
    services.mark_reminded(certificate, days)
    logger.info("Reminded user %s: %s expires in %s days", holder.id, certificate.serial, days)


def due_reminders():
    """Return (certificate, days) for the reminders to send now (active holders only)."""
    return [(c, d) for c, d in services.due_reminders(utcnow()) if c.user.is_active]

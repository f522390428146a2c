"""Outgoing email: SMTP when ``MAIL_SERVER`` is set, otherwise files in an outbox folder."""

import logging
import smtplib
import uuid
from email.message import EmailMessage
from pathlib import Path

from flask import current_app

from .db import utcnow

logger = logging.getLogger(__name__)


def outbox_dir() -> Path:
    """Return the folder where messages are written when no SMTP server is configured."""
    folder = current_app.config.get("MAIL_OUTBOX") or Path(current_app.instance_path, "outbox")
    return Path(folder)


def build_message(to: str, subject: str, body: str, attachments=()) -> EmailMessage:
    """Build a plain-text message; ``attachments`` holds ``(filename, mimetype, bytes)``."""
    msg = EmailMessage()
    msg["From"] = current_app.config["MAIL_SENDER"]
    msg["To"] = to
    msg["Subject"] = subject
    msg["Message-ID"] = f"<{uuid.uuid4()}@sop-training>"
    msg.set_content(body)
    for filename, mimetype, data in attachments:
        maintype, subtype = mimetype.split("/", 1)
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return msg


def send_mail(to: str, subject: str, body: str, attachments=()) -> None:
    """Send one message now, by SMTP or into the outbox folder."""
    msg = build_message(to, subject, body, attachments)
    config = current_app.config
    if config.get("MAIL_SERVER"):
        with smtplib.SMTP(config["MAIL_SERVER"], int(config["MAIL_PORT"]), timeout=30) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(msg)
        logger.info("Mail sent to %s: %s", to, subject)
        return
    folder = outbox_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{utcnow():%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}.eml"
    path.write_bytes(msg.as_bytes())
    logger.info("Mail to %s written to %s: %s", to, path, subject)

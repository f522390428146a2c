"""Emails about sessions, each in the recipient's language, with an .ics file where useful."""

import logging

from flask import render_template, url_for
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from ..db import utcnow
from ..mail import send_mail
from .links import session_ics, when
from .models import Registration, RegistrationStatus

logger = logging.getLogger(__name__)


def _send(registration: Registration, kind: str, subject, attach: bool, **extra) -> None:
    user, session = registration.user, registration.session
    with force_locale(user.locale):
        body = render_template(
            "sessions/email.txt",
            kind=kind,
            user=user,
            session=session,
            registration=registration,
            title=session.course.text("title", user.locale),
            when=when(session),
            link=url_for("sessions.detail", session_id=session.id, _external=True),
            **extra,
        )
        attachments = (
            [("session.ics", "text/calendar", session_ics(session, user.locale))] if attach else []
        )
        # ``subject`` is lazy: it is translated here, in the recipient's language.
        send_mail(user.email, str(subject), body, attachments)
    logger.info("Session %s: %s notice to user %s", session.id, kind, user.id)


def send_registration_notice(registration: Registration) -> None:
    """Tell the person where they stand after registering (or being added)."""
    status = registration.status
    if status == RegistrationStatus.CONFIRMED:
        _send(registration, "confirmed", _l("Your seat is confirmed"), attach=True)
    elif status == RegistrationStatus.WAITLISTED:
        _send(registration, "waitlisted", _l("You are on the waiting list"), attach=False)
    else:
        _send(
            registration, "awaiting", _l("Finish the online lessons to get your seat"), attach=False
        )


def send_promotion_notice(registration: Registration) -> None:
    """Tell a waitlisted person that a seat is now theirs."""
    _send(registration, "promoted", _l("A seat became free: your place is confirmed"), attach=True)


def send_cancellation_notice(registration: Registration) -> None:
    """Tell a registrant that the session is cancelled."""
    _send(registration, "cancelled", _l("Session cancelled"), attach=True)


def send_removal_notice(registration: Registration) -> None:
    """Tell a person a trainer removed them from the session."""
    _send(registration, "removed", _l("You were removed from a session"), attach=False)


def send_session_reminder(registration: Registration) -> None:
    """Remind a confirmed registrant shortly before the session, once."""
    _send(registration, "reminder", _l("Reminder: your session is coming up"), attach=True)
    registration.reminded_at = utcnow()

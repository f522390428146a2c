"""Issuing, renewing, revoking and finding certificates."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from ..accounts.models import User
from ..accounts.scope import Scope
from ..courses.models import Course, Enrolment
from ..courses.services import course_completed
from ..db import utcnow
from ..errors import DomainError
from ..extensions import db
from ..quizzes import services as quizzes
from ..scheduling.models import Attendance, Registration, RegistrationStatus, TrainingSession
from .codes import new_code, new_serial, normalise_code
from .models import Certificate, CertificateState, Status

logger = logging.getLogger(__name__)

#: A certificate this close to expiry (or past it) may be renewed by taking the course again.
RENEWAL_WINDOW = timedelta(days=90)
#: Holders are emailed this many days before their certificate expires.
REMINDER_DAYS = (90, 30)


class CertificateError(DomainError):
    """A certificate action was refused."""


def add_months(moment: datetime, months: int) -> datetime:
    """Return ``moment`` plus whole calendar months, clamping to the month's last day."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    for day in range(moment.day, 27, -1):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    return moment.replace(year=year, month=month, day=min(moment.day, 28))


def _best_score(enrolment: Enrolment) -> float | None:
    """Return the best passing quiz percent in the enrolment's current cycle."""
    slug = enrolment.course.quiz_slug
    quiz = quizzes.get_quiz(slug) if slug else None
    if quiz is None:
        return None
    attempts = quizzes.in_cycle(
        quizzes.user_attempts(enrolment.user, quiz), enrolment.cycle_started_at
    )
    scores = [a.percent for a in attempts if a.is_passed and a.percent is not None]
    return max(scores, default=None)


def _session_trainer(enrolment: Enrolment) -> str:
    """Return the trainer of the session the holder attended for this course, if any."""
    if enrolment.attended_at is None:
        return ""
    session = db.session.scalar(
        sa.select(TrainingSession)
        .join(Registration)
        .where(
            Registration.user_id == enrolment.user_id,
            Registration.attendance.in_([Attendance.PRESENT, Attendance.LATE]),
            TrainingSession.course_id == enrolment.course_id,
        )
        .order_by(TrainingSession.starts_at.desc())
        .limit(1)
    )
    return session.trainers[0].full_name if session and session.trainers else ""


def current_certificate(user: User, course: Course) -> Certificate | None:
    """Return the user's latest certificate for the course that was not replaced or revoked."""
    return db.session.scalar(
        sa.select(Certificate)
        .where(
            Certificate.user_id == user.id,
            Certificate.course_id == course.id,
            Certificate.state == CertificateState.ISSUED,
        )
        .order_by(Certificate.issued_at.desc())
        .limit(1)
    )


def _snapshot(user: User, course: Course, **values) -> Certificate:
    titles = {"en": course.title}
    titles.update({loc: t["title"] for loc, t in course.translations.items() if t.get("title")})
    now = values.pop("now")
    return Certificate(
        serial=new_serial(now.year),
        code=new_code(),
        user_id=user.id,
        course_id=course.id,
        region_id=user.region_id,
        agency_id=user.agency_id,
        holder_name=user.full_name,
        agency_name=user.agency.name if user.agency else "",
        course_titles=titles,
        sop_edition=course.sop_edition,
        course_version=course.version,
        locale=user.locale,
        **values,
    )


def issue_certificate(enrolment: Enrolment, now: datetime | None = None) -> Certificate:
    """Issue a certificate for a completed enrolment; an earlier one is superseded (renewal)."""
    now = now or utcnow()
    course, user = enrolment.course, enrolment.user
    previous = current_certificate(user, course)
    certificate = _snapshot(
        user,
        course,
        now=now,
        score=_best_score(enrolment),
        signed_by=_session_trainer(enrolment),
        issued_at=now,
        expires_at=add_months(now, course.certificate_validity_months),
        is_bilingual=previous.is_bilingual if previous else False,
    )
    db.session.add(certificate)
    db.session.flush()
    if previous is not None:
        previous.supersede(certificate)
    logger.info("Issued certificate %s to user %s for %s", certificate.serial, user.id, course.slug)
    return certificate


@course_completed.connect
def _on_course_completed(enrolment: Enrolment) -> None:
    issue_certificate(enrolment)


def reissue_certificate(certificate: Certificate, holder_name: str) -> Certificate:
    """Replace a certificate after a name correction: same course, dates and score."""
    if certificate.state != CertificateState.ISSUED:
        raise CertificateError(_("Only a certificate in force can be reissued."))
    holder_name = holder_name.strip()
    if not holder_name:
        raise CertificateError(_("Enter the holder's corrected name."))
    successor = Certificate(
        serial=new_serial(utcnow().year),
        code=new_code(),
        holder_name=holder_name,
        **{
            name: getattr(certificate, name)
            for name in (
                "user_id",
                "course_id",
                "region_id",
                "agency_id",
                "agency_name",
                "course_titles",
                "sop_edition",
                "course_version",
                "score",
                "signed_by",
                "locale",
                "is_bilingual",
                "issued_at",
                "expires_at",
            )
        },
    )
    db.session.add(successor)
    db.session.flush()
    certificate.supersede(successor)
    logger.info("Reissued certificate %s as %s", certificate.serial, successor.serial)
    return successor


def revoke_certificate(certificate: Certificate, reason: str) -> None:
    """Withdraw a certificate; the reason is shown on its verification page."""
    reason = reason.strip()
    if not reason:
        raise CertificateError(_("Give the reason for revoking this certificate."))
    if certificate.state != CertificateState.ISSUED:
        raise CertificateError(_("This certificate is already revoked or replaced."))
    certificate.revoke(reason)
    db.session.flush()
    logger.info("Revoked certificate %s: %s", certificate.serial, reason)


def set_language(certificate: Certificate, locale: str, bilingual: bool) -> None:
    """Choose the language the holder's certificate is printed in."""
    certificate.locale = locale
    certificate.is_bilingual = bilingual and locale != "en"
    db.session.flush()


def renewal_due(certificate: Certificate, now: datetime | None = None) -> bool:
    """Return whether the holder may renew: in force or expired, within the renewal window."""
    now = now or utcnow()
    if certificate.state != CertificateState.ISSUED:
        return False
    return certificate.expires_at - now <= RENEWAL_WINDOW


def find_by_code(text: str) -> Certificate | None:
    """Return the certificate with this verification code, as typed or scanned."""
    code = normalise_code(text)
    if code is None:
        return None
    return db.session.scalar(sa.select(Certificate).where(Certificate.code == code))


def find_by_serial(serial: str) -> Certificate | None:
    """Return the certificate with this serial."""
    return db.session.scalar(sa.select(Certificate).where(Certificate.serial == serial))


@dataclass(frozen=True)
class CertificateFilter:
    """What a staff list or ZIP covers, inside the viewer's scope."""

    course_id: int | None = None
    region_id: int | None = None
    status: Status | None = None
    #: A regional session: the certificates of its course held by the people on its roster.
    session_id: int | None = None


def certificates_query(scope: Scope, wanted: CertificateFilter = CertificateFilter()):
    """Return a SELECT of the certificates inside ``scope`` that match ``wanted``."""
    query = sa.select(Certificate).where(
        *scope.where(Certificate.region_id, Certificate.agency_id, Certificate.user_id)
    )
    if wanted.course_id:
        query = query.where(Certificate.course_id == wanted.course_id)
    if wanted.region_id:
        query = query.where(Certificate.region_id == wanted.region_id)
    if wanted.status:
        query = query.where(*_status_conditions(wanted.status, utcnow()))
    if wanted.session_id:
        query = query.where(*_session_conditions(wanted.session_id))
    return query.order_by(Certificate.issued_at.desc(), Certificate.id.desc())


def _session_conditions(session_id: int) -> list:
    session = db.session.get(TrainingSession, session_id)
    if session is None:
        return [sa.false()]
    on_roster = sa.select(Registration.user_id).where(
        Registration.session_id == session_id,
        Registration.status == RegistrationStatus.CONFIRMED,
    )
    return [Certificate.course_id == session.course_id, Certificate.user_id.in_(on_roster)]


def _status_conditions(status: Status, now: datetime) -> list:
    if status == Status.REVOKED:
        return [Certificate.state == CertificateState.REVOKED]
    if status == Status.SUPERSEDED:
        return [Certificate.state == CertificateState.SUPERSEDED]
    issued = Certificate.state == CertificateState.ISSUED
    if status == Status.EXPIRED:
        return [issued, Certificate.expires_at <= now]
    return [issued, Certificate.expires_at > now]


def user_certificates(user: User) -> list[Certificate]:
    """Return the holder's certificates, newest first."""
    return list(
        db.session.scalars(
            sa.select(Certificate)
            .where(Certificate.user_id == user.id)
            .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
        )
    )


def due_reminders(now: datetime | None = None) -> list[tuple[Certificate, int]]:
    """Return (certificate, days) for each reminder not yet sent; the nearest mark wins."""
    now = now or utcnow()
    marks = sorted(REMINDER_DAYS)
    furthest = timedelta(days=marks[-1])
    candidates = db.session.scalars(
        sa.select(Certificate)
        .where(
            Certificate.state == CertificateState.ISSUED,
            Certificate.expires_at > now,
            Certificate.expires_at <= now + furthest,
        )
        .order_by(Certificate.expires_at)
    )
    due = []
    for certificate in candidates:
        left = certificate.expires_at - now
        mark = next(m for m in marks if left <= timedelta(days=m))
        if not _reminded(certificate, mark):
            due.append((certificate, mark))
    return due


def _reminded(certificate: Certificate, mark: int) -> bool:
    # A 30-day reminder also stands for the 90-day one when both fall due at once.
    if mark <= 30:
        return certificate.reminded_30_at is not None
    return certificate.reminded_90_at is not None or certificate.reminded_30_at is not None


def mark_reminded(certificate: Certificate, mark: int, now: datetime | None = None) -> None:
    """Record that the reminder for ``mark`` days was sent."""
    now = now or utcnow()
    if mark <= 30:
        certificate.reminded_30_at = now
    else:
        certificate.reminded_90_at = now
    db.session.flush()

"""Issuing rules: snapshot on completion, renewal, reissue, revocation, expiry, reminders."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from sop_training.accounts.models import Agency
from sop_training.certificates import services
from sop_training.certificates.codes import new_code, normalise_code
from sop_training.certificates.models import Certificate, CertificateState, Status
from sop_training.courses.models import Enrolment
from sop_training.db import utcnow
from sop_training.extensions import db

from .certificate_helpers import complete_course
from .test_quiz_attempts import start


def test_add_months_keeps_the_day_or_clamps_to_month_end():
    assert services.add_months(datetime(2026, 3, 15, tzinfo=UTC), 24) == datetime(
        2028, 3, 15, tzinfo=UTC
    )
    assert services.add_months(datetime(2026, 8, 31, tzinfo=UTC), 6).day == 28  # Feb 2027
    assert services.add_months(datetime(2027, 12, 31, tzinfo=UTC), 2).date().isoformat() == (
        "2028-02-29"
    )


def test_codes_are_random_and_forgive_typing_slips():
    codes = {new_code() for _ in range(500)}
    assert len(codes) == 500
    code = new_code()
    typed = code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    assert normalise_code(typed) == code
    assert normalise_code("not a code") is None
    assert normalise_code("ABCD-EFGH-JKMN-PQR") is None  # one character short


def test_completing_a_course_issues_a_snapshot_certificate(
    client, login, make_user, make_course, make_quiz
):
    agency = db.session.scalar(sa.select(Agency).order_by(Agency.id))
    quiz = make_quiz()
    course = make_course(
        lessons=2,
        quiz_slug=quiz.slug,
        sop_edition="Kosovo SOPs (2014)",
        certificate_validity_months=24,
        translations={"sq": {"title": "Identifikimi", "summary": "x"}},
    )
    user = login(make_user(full_name="Đurđa Šćepanović-Çelë", agency_id=agency.id, locale="sr"))
    certificate = complete_course(client, course, quiz)
    assert certificate is not None and certificate.user_id == user.id
    assert certificate.holder_name == "Đurđa Šćepanović-Çelë"
    assert certificate.agency_name == agency.name
    assert certificate.course_titles == {"en": course.title, "sq": "Identifikimi"}
    assert certificate.sop_edition == "Kosovo SOPs (2014)"
    assert certificate.course_version == course.version
    assert certificate.score == 100
    assert certificate.locale == "sr"
    assert certificate.serial.startswith(f"SOP-{utcnow().year}-")
    assert services.add_months(certificate.issued_at, 24) == certificate.expires_at
    assert certificate.status() == Status.VALID

    # Later edits do not change what was issued.
    user.full_name = "Someone Else"
    course.title = "Renamed"
    db.session.commit()
    db.session.refresh(certificate)
    assert certificate.holder_name == "Đurđa Šćepanović-Çelë"
    assert certificate.course_title("en") != "Renamed"


def test_no_certificate_without_passing_the_quiz_or_finishing_lessons(
    client, login, make_course, make_quiz
):
    quiz = make_quiz()
    course = make_course(lessons=2, quiz_slug=quiz.slug)
    login()
    client.post(f"/courses/{course.slug}/enrol")
    attempt, _ = start(client, quiz)
    client.post(f"/attempts/{attempt.id}/submit")  # nothing answered: fails
    client.post(f"/courses/{course.slug}/lessons/lesson-1/done")
    client.post(f"/courses/{course.slug}/lessons/lesson-2/done")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Certificate)) == 0


def test_finishing_the_last_lesson_after_passing_issues_the_certificate(
    client, login, make_course, make_quiz
):
    quiz = make_quiz()
    course = make_course(lessons=1, quiz_slug=quiz.slug)
    login()
    client.post(f"/courses/{course.slug}/enrol")
    from .test_quiz_attempts import answer_everything

    attempt, _ = start(client, quiz)
    answer_everything(client, attempt)
    client.post(f"/attempts/{attempt.id}/submit")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Certificate)) == 0
    client.post(f"/courses/{course.slug}/lessons/lesson-1/done")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Certificate)) == 1


def test_one_certificate_per_completion(client, login, make_course, make_quiz):
    quiz = make_quiz(attempt_limit=None)
    course = make_course(lessons=1, quiz_slug=quiz.slug)
    login()
    complete_course(client, course, quiz)
    # Passing again without a renewal changes nothing.
    complete_course(client, course, quiz)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Certificate)) == 1


def test_renewal_needs_a_new_pass_and_supersedes_the_old_certificate(
    client, login, make_course, make_quiz
):
    quiz = make_quiz(attempt_limit=1)
    course = make_course(lessons=1, quiz_slug=quiz.slug)
    login()
    old = complete_course(client, course, quiz)
    # Too early to renew: refused, nothing changes.
    response = client.post(f"/certificates/{old.serial}/renew", follow_redirects=True)
    assert "cannot be renewed yet" in response.get_data(as_text=True)

    old.expires_at = utcnow() + timedelta(days=60)
    db.session.commit()
    response = client.post(f"/certificates/{old.serial}/renew", follow_redirects=True)
    assert "Renewal started" in response.get_data(as_text=True)
    enrolment = db.session.scalar(sa.select(Enrolment))
    assert enrolment.completed_at is None
    # The attempt limit of 1 counts only this renewal cycle.
    new = complete_course(client, course, quiz)
    db.session.refresh(old)
    assert new.id != old.id and new.status() == Status.VALID
    assert old.state == CertificateState.SUPERSEDED and old.superseded_by_id == new.id
    assert new.expires_at > old.expires_at


def test_reissue_and_revoke_rules(app, make_user, make_course):
    with app.test_request_context():
        _reissue_and_revoke(make_user, make_course)


def _reissue_and_revoke(make_user, make_course):
    user = make_user(full_name="Arta Krasniq")
    course = make_course()
    enrolment = Enrolment(user_id=user.id, course_id=course.id)
    db.session.add(enrolment)
    db.session.flush()
    first = services.issue_certificate(enrolment)
    second = services.reissue_certificate(first, "Arta Krasniqi")
    assert first.state == CertificateState.SUPERSEDED and first.superseded_by is second
    assert (second.issued_at, second.expires_at) == (first.issued_at, first.expires_at)
    assert second.holder_name == "Arta Krasniqi" and second.serial != first.serial
    services.revoke_certificate(second, "Issued in error")
    assert second.status() == Status.REVOKED
    for action in (
        lambda: services.revoke_certificate(second, "again"),
        lambda: services.reissue_certificate(first, "x"),
        lambda: services.revoke_certificate(first, "   "),
    ):
        try:
            action()
        except services.CertificateError:
            continue
        raise AssertionError("refused action went through")


def test_expiry_is_read_from_the_dates(app, make_user, make_course):
    user, course = make_user(), make_course()
    enrolment = Enrolment(user_id=user.id, course_id=course.id)
    db.session.add(enrolment)
    db.session.flush()
    certificate = services.issue_certificate(enrolment, now=utcnow() - timedelta(days=800))
    assert certificate.status() == Status.EXPIRED
    assert services.renewal_due(certificate)
    valid = services.certificates_query(
        services.Scope(), services.CertificateFilter(status=Status.VALID)
    )
    expired = services.certificates_query(
        services.Scope(), services.CertificateFilter(status=Status.EXPIRED)
    )
    assert db.session.scalars(valid).all() == []
    assert db.session.scalars(expired).all() == [certificate]


def _certificate_expiring_in(make_user, make_course, days):
    user, course = make_user(), make_course()
    enrolment = Enrolment(user_id=user.id, course_id=course.id)
    db.session.add(enrolment)
    db.session.flush()
    certificate = services.issue_certificate(enrolment)
    certificate.expires_at = utcnow() + timedelta(days=days, hours=1)
    db.session.commit()
    return certificate


def test_reminders_at_90_and_30_days_are_sent_once(runner, outbox, make_user, make_course):
    at_80 = _certificate_expiring_in(make_user, make_course, 80)
    at_20 = _certificate_expiring_in(make_user, make_course, 20)
    _certificate_expiring_in(make_user, make_course, 200)
    result = runner.invoke(args=["send-reminders"])
    assert "Sent 2 reminder(s)." in result.output
    messages = outbox()
    assert {m["To"] for m in messages} == {at_80.user.email, at_20.user.email}
    body = next(m for m in messages if m["To"] == at_20.user.email).get_content()
    assert at_20.serial in body and "/certificates/" in body
    # Run again (cron): nothing new.
    assert "Sent 0 reminder(s)." in runner.invoke(args=["send-reminders"]).output
    # The 90-day reminder was sent; the 30-day one follows when it falls due.
    at_80.expires_at = utcnow() + timedelta(days=25)
    db.session.commit()
    assert "Sent 1 reminder(s)." in runner.invoke(args=["send-reminders"]).output
    assert len(outbox()) == 3

"""Certificate pages: verification states, badges, who may see and download what, ZIP export."""

import io
import zipfile
from datetime import timedelta

import pytest
import sqlalchemy as sa

from sop_training.accounts.models import Region, Role
from sop_training.certificates import services
from sop_training.certificates.models import Certificate
from sop_training.courses.models import Enrolment
from sop_training.db import utcnow
from sop_training.extensions import db

from .certificate_helpers import complete_course, pdf_text


@pytest.fixture
def app_config(request):
    return getattr(request, "param", {})


def issue(make_user, make_course, **user_fields) -> Certificate:
    user, course = make_user(**user_fields), make_course()
    enrolment = Enrolment(user_id=user.id, course_id=course.id)
    db.session.add(enrolment)
    db.session.flush()
    certificate = services.issue_certificate(enrolment)
    db.session.commit()
    return certificate


def regions():
    return db.session.scalars(sa.select(Region).order_by(Region.id)).all()


def test_verify_valid_shows_only_name_course_and_dates(client, make_user, make_course):
    certificate = issue(make_user, make_course, full_name="Besa Gashi", position="Inspector")
    page = client.get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert 'data-status="valid"' in page and "Valid certificate" in page
    assert "Besa Gashi" in page and certificate.course_title("en") in page
    assert certificate.user.email not in page and "Inspector" not in page


def test_verify_accepts_the_code_as_typed_in_the_form(client, make_user, make_course):
    empty = client.get("/verify?code=")
    assert "Enter the code printed on the certificate." in empty.get_data(as_text=True)
    certificate = issue(make_user, make_course)
    typed = certificate.code.lower().replace("-", " ")
    response = client.get("/verify", query_string={"code": typed})
    assert response.status_code == 302
    assert client.get(response.headers["Location"]).status_code == 200


def test_verify_expired_revoked_replaced_and_unknown(client, make_user, make_course):
    expired = issue(make_user, make_course)
    expired.expires_at = utcnow() - timedelta(days=1)
    revoked = issue(make_user, make_course)
    services.revoke_certificate(revoked, "Obtained by fraud")
    replaced = issue(make_user, make_course)
    successor = services.reissue_certificate(replaced, "New Name")
    db.session.commit()
    assert 'data-status="expired"' in client.get(f"/verify/{expired.code}").get_data(as_text=True)
    page = client.get(f"/verify/{revoked.code}").get_data(as_text=True)
    assert 'data-status="revoked"' in page and "Obtained by fraud" in page
    page = client.get(f"/verify/{replaced.code}").get_data(as_text=True)
    assert 'data-status="superseded"' in page and successor.serial in page
    response = client.get("/verify/AAAA-BBBB-CCCC-DDDD")
    assert response.status_code == 404
    assert "No certificate has this code" in response.get_data(as_text=True)


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True}], indirect=True)
def test_verify_is_rate_limited(app, client):
    app.config["VERIFY_RATE_LIMIT"] = "3 per minute"
    codes = [client.get("/verify/AAAA-BBBB-CCCC-DDD" + c).status_code for c in "EFGHJ"]
    assert codes[:3] == [404, 404, 404] and codes[3:] == [429, 429]


def test_verify_page_speaks_the_visitors_language(client, make_user, make_course):
    certificate = issue(make_user, make_course)
    page = client.get(f"/verify/{certificate.code}?lang=sq").get_data(as_text=True)
    assert "Certifikatë e vlefshme" in page


def test_badge_assertion_hosted_and_revoked(client, login, make_user, make_course):
    certificate = issue(make_user, make_course)
    document = client.get(f"/badges/assertions/{certificate.code}.json").get_json()
    assert document["type"] == "Assertion" and document["verification"]["type"] == "HostedBadge"
    assert document["recipient"]["hashed"] is True
    assert certificate.user.email not in str(document)
    badge = client.get(document["badge"].replace("http://localhost", "")).get_json()
    assert badge["type"] == "BadgeClass" and badge["issuer"].endswith("/badges/issuer.json")
    assert client.get("/badges/issuer.json").get_json()["type"] == "Issuer"
    services.revoke_certificate(certificate, "Issued in error")
    db.session.commit()
    response = client.get(f"/badges/assertions/{certificate.code}.json")
    assert response.status_code == 410 and response.get_json()["revoked"] is True


def test_holder_downloads_pdf_and_badge(client, login, make_course, make_quiz, tmp_path):
    quiz = make_quiz()
    course = make_course(lessons=1, quiz_slug=quiz.slug)
    user = login()
    certificate = complete_course(client, course, quiz)
    page = client.get("/certificates/").get_data(as_text=True)
    assert certificate.serial in page and "Valid" in page
    response = client.get(f"/certificates/{certificate.serial}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert user.full_name in " ".join(pdf_text(response.data, tmp_path).split())
    badge = client.get(f"/certificates/{certificate.serial}/badge.json")
    assert badge.get_json()["id"].endswith(f"/badges/assertions/{certificate.code}.json")
    assert certificate.serial in client.get(f"/courses/{course.slug}").get_data(as_text=True)


def test_holder_chooses_a_bilingual_certificate(client, login, make_course, make_quiz, tmp_path):
    quiz = make_quiz()
    course = make_course(lessons=1, quiz_slug=quiz.slug)
    login()
    certificate = complete_course(client, course, quiz)
    prefix = f"c{certificate.id}-"
    client.post(
        f"/certificates/{certificate.serial}/language",
        data={f"{prefix}locale": "sq", f"{prefix}is_bilingual": "y"},
    )
    text = " ".join(
        pdf_text(client.get(f"/certificates/{certificate.serial}.pdf").data, tmp_path).split()
    )
    assert "Certifikatë" in text and "Certificate of completion" in text
    bad = client.post(
        f"/certificates/{certificate.serial}/language", data={f"{prefix}locale": "de"}
    )
    assert bad.status_code == 302
    db.session.refresh(certificate)
    assert certificate.locale == "sq"


def test_another_trainee_cannot_see_or_download(client, login, make_user, make_course):
    certificate = issue(make_user, make_course)
    login()
    assert client.get(f"/certificates/{certificate.serial}.pdf").status_code == 404
    assert client.get(f"/certificates/{certificate.serial}/badge.json").status_code == 404
    assert client.get("/certificates/manage/").status_code == 403
    assert certificate.serial not in client.get("/certificates/").get_data(as_text=True)


def test_staff_see_only_their_scope(client, login, make_user, make_course):
    first, second = regions()[:2]
    inside = issue(make_user, make_course, region_id=first.id, full_name="Inside Person")
    outside = issue(make_user, make_course, region_id=second.id, full_name="Outside Person")
    login(make_user(role=Role.REPORTER, scope_region_id=first.id))
    page = client.get("/certificates/manage/").get_data(as_text=True)
    assert "Inside Person" in page and "Outside Person" not in page
    assert client.get(f"/certificates/{inside.serial}.pdf").status_code == 200
    assert client.get(f"/certificates/{outside.serial}.pdf").status_code == 404
    assert client.get(f"/certificates/manage/{outside.serial}").status_code == 404
    # Asking for another region by filter does not widen the scope.
    page = client.get(f"/certificates/manage/?region={second.id}").get_data(as_text=True)
    assert "Outside Person" not in page


def test_zip_holds_one_pdf_per_certificate_in_scope(client, login, make_user, make_course):
    first, second = regions()[:2]
    inside = [issue(make_user, make_course, region_id=first.id) for _ in range(3)]
    issue(make_user, make_course, region_id=second.id)
    login(make_user(role=Role.TRAINER, scope_region_id=first.id))
    response = client.get("/certificates/manage/certificates.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert sorted(archive.namelist()) == sorted(f"{c.serial}.pdf" for c in inside)
    assert all(archive.read(name).startswith(b"%PDF") for name in archive.namelist())


def test_only_admins_revoke_and_reissue(client, login, make_user, make_course):
    certificate = issue(make_user, make_course)
    login(make_user(role=Role.REPORTER))
    url = f"/certificates/manage/{certificate.serial}/revoke"
    assert client.post(url, data={"reason": "x"}).status_code == 403
    client.post("/accounts/logout")
    login(role=Role.ADMIN)
    response = client.post(url, data={"reason": ""})
    assert response.status_code == 400
    assert "Give the reason" in response.get_data(as_text=True)
    db.session.refresh(certificate)
    assert certificate.revoked_at is None
    client.post(url, data={"reason": "Issued to the wrong person"})
    db.session.refresh(certificate)
    assert certificate.revoked_reason == "Issued to the wrong person"
    other = issue(make_user, make_course)
    response = client.post(
        f"/certificates/manage/{other.serial}/reissue", data={"holder_name": "Corrected Name"}
    )
    assert response.status_code == 302
    db.session.refresh(other)
    assert other.superseded_by.holder_name == "Corrected Name"


def test_zip_of_one_session_holds_its_participants_certificates(
    app, client, login, make_user, make_course
):
    from sop_training.scheduling import services as scheduling

    from .session_helpers import make_session

    course = make_course()
    session = make_session(course, capacity=5)
    attendees = [make_user() for _ in range(2)]
    with app.test_request_context():
        for person in attendees:
            scheduling.register(session, person)
        db.session.commit()
    for person in [*attendees, make_user()]:
        enrolment = Enrolment(user_id=person.id, course_id=course.id)
        db.session.add(enrolment)
        db.session.flush()
        services.issue_certificate(enrolment)
    db.session.commit()
    login(role=Role.ADMIN)
    response = client.get(f"/certificates/manage/certificates.zip?session={session.id}")
    names = zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    expected = db.session.scalars(
        sa.select(Certificate.serial).where(Certificate.user_id.in_([p.id for p in attendees]))
    ).all()
    assert sorted(names) == sorted(f"{serial}.pdf" for serial in expected)

"""Enrolling participants from a CSV file."""

import io
import re

import sqlalchemy as sa

from sop_training.accounts.csv_import import UnreadableFile, parse_participants
from sop_training.accounts.models import Role, User
from sop_training.courses.models import Enrolment
from sop_training.extensions import db

AGENCIES = {"centre for social work prizren": 1, "kosovo police – border police": 2}
REGIONS = {"prizren": 7, "gjilan/gnjilane": 5, "gjilan": 5}

GOOD_CSV = (
    "name,email,agency,region,position\n"
    "Arbër Morina,arber@example.org,Centre for Social Work Prizren,Prizren,Social worker\n"
    "Jelena Ilić,JELENA@example.org,Kosovo Police – Border Police,Gjilan/Gnjilane,Officer\n"
    ",nobody@example.org,Centre for Social Work Prizren,Prizren,\n"
    "Bad Mail,not-an-email,Centre for Social Work Prizren,Prizren,\n"
    "Wrong Agency,wa@example.org,Ministry of Magic,Prizren,\n"
    "Wrong Region,wr@example.org,Centre for Social Work Prizren,Atlantis,\n"
    "Twice,arber@example.org,Centre for Social Work Prizren,Prizren,\n"
)


def test_parser_lists_each_rejected_row_with_line_and_reason():
    rows, errors = parse_participants(GOOD_CSV.encode(), AGENCIES, REGIONS)
    assert [(r.name, r.email, r.agency_id, r.region_id) for r in rows] == [
        ("Arbër Morina", "arber@example.org", 1, 7),
        ("Jelena Ilić", "jelena@example.org", 2, 5),
    ]
    assert [(e.line, e.reason) for e in errors] == [
        (4, "The name is empty."),
        (5, "“not-an-email” is not a valid email address."),
        (6, "Unknown agency “Ministry of Magic”."),
        (7, "Unknown region “Atlantis”."),
        (8, "This email address is already on line 2."),
    ]


def test_parser_accepts_semicolons_and_bom():
    data = (
        "\ufeffName;Email;Agency;Region\n"
        "A B;ab@example.org;Centre for Social Work Prizren;prizren\n"
    )
    rows, errors = parse_participants(data.encode(), AGENCIES, REGIONS)
    assert len(rows) == 1 and errors == []


def test_parser_refuses_unreadable_files():
    for data in (b"", b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe", b"first,second\n1,2\n"):
        try:
            parse_participants(data, AGENCIES, REGIONS)
        except UnreadableFile:
            continue
        raise AssertionError(f"accepted {data!r}")


def _upload(client, text: bytes, course_id=0):
    return client.post(
        "/enrolments/import",
        data={"file": (io.BytesIO(text), "people.csv"), "course_id": course_id},
        content_type="multipart/form-data",
    )


def _csv_for_seeded():
    return (
        "name,email,agency,region,position\n"
        "Arbër Morina,arber@example.org,Centre for Social Work Prizren,Prizren,Social worker\n"
        "Jelena Ilić,jelena@example.org,Kosovo Police – Border Police,Gjilan/Gnjilane,Officer\n"
        "Wrong Region,wr@example.org,Centre for Social Work Prizren,Atlantis,\n"
    ).encode()


def test_trainer_imports_invites_and_enrols(client, login, make_user, make_course, outbox):
    course = make_course(title="Identification")
    existing = make_user(email="jelena@example.org")
    login(role=Role.TRAINER)
    page = _upload(client, _csv_for_seeded(), course.id).get_data(as_text=True)
    assert "1 new account invited" in page and "1 existing account" in page
    assert "1 row rejected" in page and "Unknown region “Atlantis”." in page
    new = db.session.scalar(sa.select(User).where(User.email == "arber@example.org"))
    assert (
        new.role == Role.TRAINEE
        and not new.has_password
        and new.agency.name == "Centre for Social Work Prizren"
    )
    enrolled = set(db.session.scalars(sa.select(Enrolment.user_id)))
    assert enrolled == {new.id, existing.id}
    [message] = outbox()
    assert message["To"] == "arber@example.org"
    link = re.search(r"http://localhost(/accounts/invite/\S+)", message.get_content()).group(1)
    client.post("/accounts/logout")
    response = client.post(link, data={"password": "my-own-password", "confirm": "my-own-password"})
    assert response.status_code == 302
    db.session.refresh(new)
    assert new.check_password("my-own-password")


def test_unreadable_file_imports_nothing(client, login, outbox):
    login(role=Role.ADMIN)
    before = db.session.scalar(sa.select(sa.func.count()).select_from(User))
    page = _upload(client, b"\x00\x01\x02binary\xff\xfe").get_data(as_text=True)
    assert "The first line must name the columns" in page or "not a text CSV" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == before
    assert outbox() == []


def test_trainees_cannot_import(client, login):
    login(role=Role.TRAINEE)
    assert _upload(client, _csv_for_seeded()).status_code == 403
    assert db.session.scalar(sa.select(User).where(User.email == "arber@example.org")) is None

"""Session pages: who may manage what, registering by the web, emails, calendars, PDFs, CSV."""

import io
from datetime import timedelta

import icalendar
import sqlalchemy as sa

from sop_training.accounts.models import Role
from sop_training.db import utcnow
from sop_training.extensions import db
from sop_training.scheduling.models import RegistrationStatus, SessionState, TrainingSession

from .certificate_helpers import pdf_text
from .session_helpers import first_region, make_session


def test_trainer_schedules_a_session_in_kosovo_time(client, login, make_course):
    course = make_course()
    trainer = login(role=Role.TRAINER)
    response = client.post(
        "/sessions/new",
        data={
            "course_id": course.id,
            "region_id": first_region().id,
            "venue": "Gjilan/Gnjilane community hall",
            "starts_at": "2027-01-14T09:00",
            "ends_at": "2027-01-14T15:30",
            "registration_deadline": "2027-01-12T17:00",
            "capacity": "20",
            "language": "sr",
            "trainer_ids": [str(trainer.id)],
        },
    )
    assert response.status_code == 302
    session = db.session.scalar(sa.select(TrainingSession))
    # 09:00 in Europe/Belgrade in January is 08:00 UTC.
    assert session.starts_at.hour == 8 and session.starts_at.tzinfo is not None
    assert session.trainers == [trainer] and session.created_by_id == trainer.id
    page = client.get(f"/sessions/{session.id}").get_data(as_text=True)
    assert "9:00" in page and "3:30" in page and "Gjilan/Gnjilane community hall" in page


def test_bad_session_form_changes_nothing(client, login, make_course):
    course = make_course()
    login(role=Role.TRAINER)
    response = client.post(
        "/sessions/new",
        data={
            "course_id": course.id,
            "region_id": first_region().id,
            "venue": "Hall",
            "starts_at": "2027-01-14T09:00",
            "ends_at": "2027-01-14T08:00",
            "registration_deadline": "2027-01-15T17:00",
            "capacity": "0",
            "language": "sq",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "must end after it starts" in page and "deadline must be before" in page
    assert "Seats must be between 1 and 500." in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TrainingSession)) == 0


def test_trainees_cannot_see_rosters_and_trainers_only_their_own(
    client, login, make_user, make_course
):
    owner = make_user(role=Role.TRAINER)
    session = make_session(make_course(), trainers=[owner])
    login()
    for path in ("roster", "attendance", "sign-in.pdf", "edit"):
        assert client.get(f"/sessions/{session.id}/{path}").status_code == 403
    client.post("/accounts/logout")
    login(role=Role.TRAINER)
    assert client.get(f"/sessions/{session.id}/roster").status_code == 403
    assert client.post(f"/sessions/{session.id}/cancel", data={"reason": "x"}).status_code == 403
    client.post("/accounts/logout")
    login(role=Role.ADMIN)
    assert client.get(f"/sessions/{session.id}/roster").status_code == 200


def test_register_withdraw_and_promotion_emails(client, login, make_user, make_course, outbox):
    session = make_session(make_course(), capacity=1)
    first = make_user()
    login(first)
    page = client.post(f"/sessions/{session.id}/register", follow_redirects=True)
    assert "Your seat is confirmed" in page.get_data(as_text=True)
    confirmation = outbox()[-1]
    [ics] = [p for p in confirmation.iter_attachments() if p.get_content_type() == "text/calendar"]
    event = icalendar.Calendar.from_ical(ics.get_content()).walk("VEVENT")[0]
    assert event.decoded("dtstart") == session.starts_at
    client.post("/accounts/logout")

    second = login()
    page = client.post(f"/sessions/{session.id}/register", follow_redirects=True)
    assert "waiting list" in page.get_data(as_text=True)
    client.post("/accounts/logout")

    login(first)
    client.post(f"/sessions/{session.id}/withdraw")
    promoted = outbox()[-1]
    assert promoted["To"] == second.email and "seat became free" in promoted["Subject"]
    db.session.expire_all()
    statuses = {
        r.user_id: r.status for r in db.session.get(TrainingSession, session.id).registrations
    }
    assert statuses == {
        first.id: RegistrationStatus.WITHDRAWN,
        second.id: RegistrationStatus.CONFIRMED,
    }


def test_refused_registration_is_explained_and_saves_nothing(client, login, make_course):
    session = make_session(make_course(), registration_deadline=utcnow() - timedelta(minutes=1))
    login()
    page = client.post(f"/sessions/{session.id}/register", follow_redirects=True)
    assert "closed on the deadline" in page.get_data(as_text=True)
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(
                TrainingSession.registrations.property.mapper.class_
            )
        )
        == 0
    )


def test_cancel_tells_everyone(client, login, make_user, make_course, outbox):
    trainer = make_user(role=Role.TRAINER)
    session = make_session(make_course(), trainers=[trainer])
    login(make_user())
    client.post(f"/sessions/{session.id}/register")
    client.post("/accounts/logout")
    login(trainer)
    client.post(f"/sessions/{session.id}/cancel", data={"reason": "Roads closed by snow"})
    db.session.refresh(session)
    assert session.state == SessionState.CANCELLED
    last = outbox()[-1]
    assert "Roads closed by snow" in last.get_body(("plain",)).get_content()


def test_attendance_page_and_sign_in_sheet(client, login, make_user, make_course, tmp_path):
    trainer = make_user(role=Role.TRAINER)
    session = make_session(make_course(), capacity=5, trainers=[trainer])
    people = [make_user(full_name=name) for name in ("Đorđe Ćirić", "Blerta Çela")]
    for person in people:
        login(person)
        client.post(f"/sessions/{session.id}/register")
        client.post("/accounts/logout")
    login(trainer)
    registrations = db.session.get(TrainingSession, session.id).registrations
    data = {f"r-{registrations[0].id}": "present", f"r-{registrations[1].id}": "late"}
    assert client.post(f"/sessions/{session.id}/attendance", data=data).status_code == 302
    page = client.get(f"/sessions/{session.id}/attendance").get_data(as_text=True)
    assert page.count("checked") == 2
    bad = client.post(f"/sessions/{session.id}/attendance", data={f"r-{registrations[0].id}": "x"})
    assert bad.status_code == 302
    db.session.expire_all()
    assert (
        db.session.get(TrainingSession, session.id).registrations[0].attendance.value == "present"
    )
    sheet = client.get(f"/sessions/{session.id}/sign-in.pdf")
    text = " ".join(pdf_text(sheet.data, tmp_path).split())
    assert "Đorđe Ćirić" in text and "Blerta Çela" in text and "Signature" in text


def test_roster_csv_import_lists_rejected_rows(client, login, make_user, make_course, outbox):
    trainer = make_user(role=Role.TRAINER)
    session = make_session(make_course(), capacity=1, trainers=[trainer])
    login(trainer)
    csv = (
        "name,email,agency,region,position\n"
        "Ana Berisha,ana@example.org,Kosovo Police – Border Police,Prizren,Officer\n"
        "Bad Row,not-an-email,Kosovo Police – Border Police,Prizren,\n"
        "Ilir Hoxha,ilir@example.org,Kosovo Police – Border Police,Prizren,Officer\n"
    )
    response = client.post(
        f"/sessions/{session.id}/roster/import",
        data={"file": (io.BytesIO(csv.encode()), "people.csv")},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert "Line 3" in page and "not a valid email" in page
    groups = {
        r.user.email: r.status for r in db.session.get(TrainingSession, session.id).registrations
    }
    assert groups == {
        "ana@example.org": RegistrationStatus.CONFIRMED,
        "ilir@example.org": RegistrationStatus.WAITLISTED,
    }


def test_calendars_ics_feed_and_month(client, login, make_user, make_course):
    session = make_session(make_course(title="Referral in practice"), days_ahead=3)
    user = login()
    client.post(f"/sessions/{session.id}/register")
    single = client.get(f"/sessions/{session.id}.ics")
    assert single.mimetype == "text/calendar"
    assert icalendar.Calendar.from_ical(single.data).walk("VEVENT")[0]["summary"] == (
        "Referral in practice"
    )
    page = client.get("/sessions/mine").get_data(as_text=True)
    feed_url = page.split('readonly value="')[1].split('"')[0].replace("http://localhost", "")
    client.post("/accounts/logout")
    feed = client.get(feed_url)
    assert feed.status_code == 200 and b"Referral in practice" in feed.data
    assert client.get("/sessions/feed/not-a-token.ics").status_code == 404
    login(make_user(role=Role.TRAINER))
    month = f"{session.starts_at.astimezone():%Y-%m}"
    calendar = client.get(f"/sessions/calendar?month={month}").get_data(as_text=True)
    assert "Referral in practice" in calendar
    assert user.full_name not in calendar

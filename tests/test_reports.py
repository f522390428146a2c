"""Reports on a small data set whose figures are worked out by hand below."""

import io
import re
from datetime import timedelta

import openpyxl
import pytest
import sqlalchemy as sa

from sop_training.accounts.models import Agency, Region, Role
from sop_training.accounts.scope import Scope
from sop_training.certificates import services as certificates
from sop_training.courses.models import Enrolment
from sop_training.db import utcnow
from sop_training.extensions import db
from sop_training.quizzes.models import Attempt, AttemptState
from sop_training.reports import queries
from sop_training.reports.models import CoverageTarget
from sop_training.scheduling import services as scheduling
from sop_training.scheduling.models import Attendance

from .certificate_helpers import pdf_text
from .session_helpers import make_session


@pytest.fixture
def world(app, make_user, make_course, make_quiz):
    """Two regions, two agencies, four trainees, one held session, one target.

    Region 1: u1 (police, completed, passed 1 of 2 attempts, valid certificate, attended),
              u2 (police, enrolled, failed 1 attempt, absent),
              u3 (NGO, completed, expired certificate).
    Region 2: u4 (NGO, nothing yet).
    """
    r1, r2 = db.session.scalars(sa.select(Region).order_by(Region.id)).all()[:2]
    police = db.session.scalar(sa.select(Agency).where(Agency.type == "police").limit(1))
    ngo = db.session.scalar(sa.select(Agency).where(Agency.type == "ngo").limit(1))
    quiz = make_quiz()
    course = make_course(quiz_slug=quiz.slug, title="Identification")
    u1 = make_user(full_name="Una One", region_id=r1.id, agency_id=police.id, locale="sq")
    u2 = make_user(full_name="Dua Two", region_id=r1.id, agency_id=police.id)
    u3 = make_user(full_name="Tre Three", region_id=r1.id, agency_id=ngo.id)
    u4 = make_user(full_name="Kat Four", region_id=r2.id, agency_id=ngo.id)
    make_user(role=Role.TRAINER, region_id=r1.id, agency_id=police.id)  # not a trainee
    now = utcnow()
    enrolments = {}
    for user, done in ((u1, True), (u2, False), (u3, True)):
        enrolments[user.id] = Enrolment(
            user_id=user.id, course_id=course.id, completed_at=now if done else None
        )
        db.session.add(enrolments[user.id])
    version = quiz.current
    for number, (user, percent) in enumerate(((u1, 80.0), (u1, 40.0), (u2, 40.0)), start=1):
        db.session.add(
            Attempt(
                user_id=user.id,
                quiz_id=quiz.id,
                quiz_version_id=version.id,
                number=number,
                state=AttemptState.SUBMITTED,
                started_at=now,
                submitted_at=now,
                question_ids=[],
                orders={},
                pass_mark=70,
                max_score=6,
                percent=percent,
                score=percent / 100 * 6,
                is_passed=percent >= 70,
            )
        )
    db.session.flush()
    with app.test_request_context():
        certificates.issue_certificate(enrolments[u1.id])
        certificates.issue_certificate(enrolments[u3.id], now=now - timedelta(days=800))
        held = make_session(course, capacity=5, days_ahead=-3, region_id=r1.id)
        make_session(course, capacity=5, days_ahead=20, region_id=r1.id)  # not held yet
        for user, attendance in ((u1, Attendance.PRESENT), (u2, Attendance.ABSENT)):
            registration = scheduling.register(held, user, by_trainer=True)
            registration.attendance = attendance
        db.session.add(
            CoverageTarget(agency_id=police.id, region_id=r1.id, course_id=course.id, target=4)
        )
        db.session.commit()
    return {"r1": r1, "r2": r2, "police": police, "ngo": ngo, "course": course, "u4": u4}


def by_key(rows):
    return {row.key: row for row in rows}


def test_regional_figures_match_the_hand_count(app, world):
    with app.test_request_context():
        rows, total = queries.report("region", queries.ReportFilter(), Scope())
    r1, r2 = by_key(rows)[world["r1"].id], by_key(rows)[world["r2"].id]
    assert (r1.registered, r1.enrolled, r1.completed) == (3, 3, 2)
    assert (r1.finished_attempts, r1.passed_attempts, r1.pass_rate) == (3, 1, 33.3)
    assert (r1.valid, r1.expired, r1.expiring) == (1, 1, 0)
    assert (r1.sessions_held, r1.seats, r1.attended, r1.attendance_rate) == (1, 2, 1, 50.0)
    assert (r1.target, r1.covered, r1.coverage, r1.gap) == (4, 1, 25.0, 3)
    assert (r2.registered, r2.enrolled, r2.sessions_held) == (1, 0, 0)
    assert (total.registered, total.completed, total.valid, total.sessions_held) == (4, 2, 1, 1)


def test_filters_narrow_the_figures(app, world):
    with app.test_request_context():
        police, _t = queries.report(
            "region", queries.ReportFilter(agency_type=world["police"].type), Scope()
        )
        albanian, _t = queries.report("region", queries.ReportFilter(language="sq"), Scope())
        agencies, _t = queries.report(
            "agency", queries.ReportFilter(region_id=world["r1"].id), Scope()
        )
    r1 = by_key(police)[world["r1"].id]
    assert (r1.registered, r1.completed, r1.expired) == (2, 1, 0)
    assert by_key(albanian)[world["r1"].id].registered == 1
    ngo = by_key(agencies)[world["ngo"].id]
    assert (ngo.registered, ngo.completed, ngo.expired, ngo.sessions_held) == (1, 1, 1, None)


def test_dashboard_drill_down_and_names_by_role(client, login, make_user, world):
    login(make_user(role=Role.REPORTER))
    page = client.get("/reports/").get_data(as_text=True)
    assert world["r1"].name in page and "Coverage by region" in page and "<svg" in page
    page = client.get(f"/reports/regions/{world['r1'].id}").get_data(as_text=True)
    assert world["police"].name in page
    trainees = client.get(f"/reports/regions/{world['r1'].id}/agencies/{world['police'].id}")
    assert "Una One" not in trainees.get_data(as_text=True)
    assert "Names are hidden" in trainees.get_data(as_text=True)
    query = f"view=trainees&region={world['r1'].id}&agency={world['police'].id}"
    csv = client.get(f"/reports/export.csv?{query}").get_data(as_text=True)
    assert "Una One" not in csv and "\n2,,1,1,1" in csv.replace("\r", "")
    client.post("/accounts/logout")
    login(role=Role.ADMIN)
    trainees = client.get(f"/reports/regions/{world['r1'].id}/agencies/{world['police'].id}")
    assert "Una One" in trainees.get_data(as_text=True)
    assert "Una One,,1,1,1" in client.get(f"/reports/export.csv?{query}").get_data(as_text=True)


def test_bad_filters_are_named_not_guessed(client, login, make_user, world):
    login(make_user(role=Role.REPORTER))
    page = client.get("/reports/?region=abc&from=2026-13-01&agency_type=spies").get_data(
        as_text=True
    )
    assert "not a number" in page and "use YYYY-MM-DD" in page and "spies" in page


def test_trainees_and_trainers_cannot_open_reports(client, login, world):
    login()
    assert client.get("/reports/").status_code == 403
    assert client.get("/reports/export.csv").status_code == 403


def test_scope_holds_in_pages_exports_and_api(client, login, make_user, world):
    reporter = make_user(role=Role.REPORTER, scope_region_id=world["r2"].id)
    login(reporter)
    page = client.get("/reports/").get_data(as_text=True)
    assert f'data-key="{world["r2"].id}"' in page and f'data-key="{world["r1"].id}"' not in page
    assert client.get(f"/reports/regions/{world['r1'].id}").status_code == 404
    csv = client.get(f"/reports/export.csv?region={world['r1'].id}").get_data(as_text=True)
    assert not [line for line in csv.splitlines() if line.startswith(world["r1"].name)]
    assert "Limited to your scope" in csv
    page = client.post("/reports/tokens", data={"name": "Excel"}).get_data(as_text=True)
    secret = re.search(r'value="(sop_[^"]+)"', page).group(1)
    api = client.get(
        "/api/v1/reports/completions", headers={"Authorization": f"Bearer {secret}"}
    ).get_json()
    assert [row["key"] for row in api["rows"]] == [world["r2"].id]
    assert api["total"]["registered"] == 1


def test_api_tokens_revoke_and_roles(client, login, make_user, world):
    login(role=Role.ADMIN)
    page = client.post("/reports/tokens", data={"name": "BI"}).get_data(as_text=True)
    secret = re.search(r'value="(sop_[^"]+)"', page).group(1)
    headers = {"Authorization": f"Bearer {secret}"}
    data = client.get("/api/v1/reports/completions?by=agency_type", headers=headers).get_json()
    assert data["by"] == "agency_type" and data["total"]["registered"] == 4
    bad = client.get("/api/v1/reports/completions?region=x", headers=headers)
    assert bad.status_code == 400 and "not a number" in bad.get_json()["error"]
    token_id = re.search(r'name="revoke" value="(\d+)"', page).group(1)
    client.post("/reports/tokens", data={"revoke": token_id})
    assert client.get("/api/v1/reports/completions", headers=headers).status_code == 401
    assert client.get("/api/v1/reports/completions").status_code == 401


def test_csv_xlsx_pdf_and_small_cells(client, login, make_user, world, tmp_path):
    login(make_user(role=Role.REPORTER))
    csv = client.get("/reports/export.csv").get_data(as_text=True)
    line = next(line for line in csv.splitlines() if line.startswith(world["r1"].name))
    assert line.split(",")[1:4] == ["3", "3", "2"]
    suppressed = client.get("/reports/export.csv?suppress=1").get_data(as_text=True)
    line = next(line for line in suppressed.splitlines() if line.startswith(world["r1"].name))
    assert line.split(",")[1] == "<5" and "Counts under 5" in suppressed

    workbook = openpyxl.load_workbook(io.BytesIO(client.get("/reports/export.xlsx").data))
    sheet = workbook.active
    assert sheet["A1"].value == "SOP Training completion report"
    rows = {r[0]: r for r in sheet.iter_rows(values_only=True) if r and r[0]}
    assert rows[world["r1"].name][1:4] == (3, 3, 2)
    assert rows["Total"][1] == 4

    pdf = client.get(f"/reports/export.pdf?course={world['course'].id}")
    text = " ".join(pdf_text(pdf.data, tmp_path).split())
    assert "SOP Training completion report" in text and world["r1"].name in text
    assert "33.3" in text and "Total" in text


def test_admin_sets_targets_and_bad_input_changes_nothing(client, login, world):
    login(role=Role.ADMIN)
    url = f"/reports/targets?course={world['course'].id}&region={world['r1'].id}"
    field = f"a-{world['police'].id}"
    page = client.post(url, data={field: "many"}, follow_redirects=True).get_data(as_text=True)
    assert "whole numbers" in page
    assert db.session.scalar(sa.select(CoverageTarget.target)) == 4
    client.post(url, data={field: "10"})
    assert db.session.scalar(sa.select(CoverageTarget.target)) == 10


def test_demo_data_builds_a_consistent_data_set(app, runner):
    result = runner.invoke(args=["demo-data", "--trainees", "60"])
    assert result.exit_code == 0, result.output
    assert "Demo data written" in result.output
    with app.test_request_context():
        rows, total = queries.report("region", queries.ReportFilter(), Scope())
    assert total.registered == 60
    assert 0 < total.completed <= total.enrolled <= 60
    assert total.valid + total.expired > 0 and total.sessions_held > 0
    again = runner.invoke(args=["demo-data", "--trainees", "60"])
    assert again.exit_code != 0 and "fresh database" in again.output

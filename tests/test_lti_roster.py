"""An instructor pulls the LMS course's learners into a regional session (NRPS)."""

import sqlalchemy as sa

from sop_training.accounts.models import User
from sop_training.extensions import db
from sop_training.lti.models import LtiAccount
from sop_training.scheduling.models import Registration

from .lti_platform import INSTRUCTOR, LIS
from .session_helpers import make_session
from .test_lti import start
from .test_lti_grades import gradebook  # noqa: F401 - the platform with its endpoints


def test_instructor_imports_the_lms_roster_into_a_session(client, gradebook, make_course):  # noqa: F811
    lms, server = gradebook
    server.members = [
        {
            "user_id": "s-1",
            "name": "Blerina Hoti",
            "email": "blerina@lms.example.org",
            "roles": [LIS + "membership#Learner"],
            "status": "Active",
        },
        {"user_id": "s-2", "name": "Nikola Perić", "roles": ["Learner"], "status": "Active"},
        {"user_id": "s-3", "name": "Gone Student", "roles": ["Learner"], "status": "Inactive"},
        {"user_id": "t-1", "name": "Ardita Berisha", "roles": [LIS + "membership#Instructor"]},
    ]
    params = start(client, lms, "t-1")
    form = lms.launch(params, "t-1", INSTRUCTOR, memberships=f"{server.base}/memberships")
    assert client.post("/lti/launch", data=form).status_code == 302
    teacher = db.session.scalar(sa.select(User).where(User.full_name == "Ardita Berisha"))
    session = make_session(make_course(), capacity=1, trainers=[teacher])
    page = client.get(f"/sessions/{session.id}/roster").get_data(as_text=True)
    assert "Import the LMS course roster" in page
    done = client.post(f"/lti/roster/{session.id}", follow_redirects=True)
    assert "2 people from your LMS course are on the roster" in done.get_data(as_text=True)
    names = db.session.scalars(
        sa.select(User.full_name).join(Registration, Registration.user_id == User.id)
    ).all()
    assert sorted(names) == ["Blerina Hoti", "Nikola Perić"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LtiAccount)) == 3
    # Importing again adds nobody twice.
    client.post(f"/lti/roster/{session.id}")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 2


def test_lms_course_becomes_a_report_group(client, login, gradebook, make_course, make_user):  # noqa: F811
    from sop_training.accounts.models import Cohort, Role

    lms, server = gradebook
    server.members = [
        {"user_id": "s-1", "name": "Blerina Hoti", "roles": ["Learner"], "status": "Active"},
        {"user_id": "s-2", "name": "Nikola Perić", "roles": ["Learner"], "status": "Active"},
    ]
    params = start(client, lms, "t-2")
    form = lms.launch(params, "t-2", INSTRUCTOR, memberships=f"{server.base}/memberships")
    client.post("/lti/launch", data=form)
    make_user(full_name="Not In The Course")
    done = client.post("/lti/group", data={"next": "/sessions/"}, follow_redirects=True)
    assert "“SOP refresher, Prizren” saved with 2 people" in done.get_data(as_text=True)
    cohort = db.session.scalar(sa.select(Cohort))
    assert sorted(u.full_name for u in cohort.members) == ["Blerina Hoti", "Nikola Perić"]
    client.post("/accounts/logout")
    login(role=Role.REPORTER)
    everyone = client.get("/reports/export.csv").get_data(as_text=True)
    group = client.get(f"/reports/export.csv?group={cohort.id}").get_data(as_text=True)
    total = [line for line in group.splitlines() if line.startswith("Total")][0]
    assert total.split(",")[1] == "2" and "Group: SOP refresher, Prizren" in group
    assert [line for line in everyone.splitlines() if line.startswith("Total")][0] != total

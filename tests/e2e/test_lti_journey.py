"""In Chromium: an LMS launches the tool; the learner lands on the course, signed in."""

import pytest
from playwright.sync_api import expect

from sop_training.extensions import db
from sop_training.lti import keys

from ..lti_platform import GradebookServer, LmsPlatform


@pytest.fixture
def lms(live_app, live_server):
    with live_app.test_request_context():
        platform = LmsPlatform(live_server, keys.published_keys())
        db.session.commit()
    with GradebookServer(platform) as server:
        server.custom = {"course": "identification"}
        with live_app.test_request_context():
            from sop_training.lti import platforms

            platforms.save_platform(
                platforms.PlatformData(
                    name="Loopback LMS",
                    issuer=platform.registration.get_iss(),
                    client_id=platform.registration.get_client_id(),
                    auth_login_url=f"{server.base}/auth",
                    auth_token_url=f"{server.base}/token",
                    deployment_ids=[platform.registration.get_deployment_id()],
                    key_set=platform.key_set(),
                )
            )
            db.session.commit()
        yield platform


def test_launch_from_the_lms_end_to_end(lms, live_server, page):
    page.goto(lms.login_url("student-42"))
    expect(page.get_by_role("heading", name="Welcome, Ardita Berisha")).to_be_visible()
    page.get_by_label("Agency").select_option(index=1)
    page.get_by_label("Region").select_option(index=1)
    page.get_by_role("button", name="Continue").click()
    expect(
        page.get_by_role("heading", name="Identification of victims of trafficking")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

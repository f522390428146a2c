"""LTI Dynamic Registration: the LMS registers the tool; an administrator activates it."""

import pytest
import sqlalchemy as sa

from sop_training.accounts.models import Role
from sop_training.extensions import db
from sop_training.lti import keys
from sop_training.lti.models import LtiPlatform

from .lti_platform import GradebookServer, LmsPlatform
from .test_lti import TOOL


@pytest.fixture
def lms_server(app):
    with app.test_request_context():
        lms = LmsPlatform(TOOL, keys.published_keys())
    with GradebookServer(lms) as server:
        yield server


def test_lms_registers_the_tool_which_waits_for_an_admin(client, login, lms_server):
    url = f"{lms_server.base}/.well-known/openid-configuration"
    page = client.get(
        "/lti/register",
        query_string={"openid_configuration": url, "registration_token": "one-time-token"},
    )
    assert page.status_code == 200 and "SOP Training registered" in page.get_data(as_text=True)
    [sent] = lms_server.registrations
    assert sent["initiate_login_uri"].endswith("/lti/login")
    assert sent["jwks_uri"].endswith("/lti/jwks.json")
    assert sent["redirect_uris"] == [sent["initiate_login_uri"].replace("login", "launch")]
    platform = db.session.scalar(sa.select(LtiPlatform))
    assert (platform.client_id, platform.deployment_ids, platform.is_active) == (
        "dyn-client-1",
        ["7"],
        False,
    )
    assert platform.auth_token_url == f"{lms_server.base}/token"
    login(role=Role.ADMIN)
    assert "Inactive" in client.get("/lti/config").get_data(as_text=True)


def test_bad_token_or_missing_configuration_is_explained(client, lms_server):
    url = f"{lms_server.base}/.well-known/openid-configuration"
    refused = client.get(
        "/lti/register", query_string={"openid_configuration": url, "registration_token": "wrong"}
    )
    assert refused.status_code == 400 and "HTTP 403" in refused.get_data(as_text=True)
    assert client.get("/lti/register").status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LtiPlatform)) == 0

"""LTI 1.3 launches from a real platform (lti1p3platform), valid and rejected."""

import time

import jwt
import pytest
import sqlalchemy as sa

from sop_training.accounts.models import Role, User
from sop_training.extensions import db
from sop_training.lti import keys, platforms
from sop_training.lti.models import LtiAccount, ToolKey

from .lti_platform import INSTRUCTOR, LEARNER, LmsPlatform, authorisation_params, new_private_key

TOOL = "http://localhost"


@pytest.fixture
def platform(app):
    with app.test_request_context():
        tool_jwks = keys.published_keys()
        lms = LmsPlatform(TOOL, tool_jwks)
        lms.register_with_tool()
        db.session.commit()
    return lms


def start(client, lms, user_id="lms-user-1"):
    """Run the OIDC login initiation; return the tool's authorisation parameters."""
    response = client.get(lms.login_url(user_id).replace(TOOL, ""))
    assert response.status_code == 302, response.get_data(as_text=True)
    params = authorisation_params(response.headers["Location"])
    assert params["client_id"] == "sop-training-client" and params["nonce"]
    return params


def launch(client, lms, params, user_id="lms-user-1", roles=LEARNER, **claims):
    form = lms.launch(params, user_id, roles, **claims)
    return client.post("/lti/launch", data=form)


def test_learner_launch_creates_an_account_and_opens_the_course(client, platform, make_course):
    course = make_course(slug="identification")
    params = start(client, platform)
    response = launch(client, platform, params, custom={"course": course.slug})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert "/lti/welcome" in response.headers["Location"]
    user = db.session.scalar(sa.select(User).where(User.full_name == "Ardita Berisha"))
    assert user.role == Role.TRAINEE and user.email == "ardita@lms.example.org"
    link = db.session.scalar(sa.select(LtiAccount))
    assert (link.issuer, link.subject, link.user_id) == (
        "https://lms.example.org",
        "lms-user-1",
        user.id,
    )
    # Agency and region are asked once, then the course opens.
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "where do you work" in page


def test_instructor_launch_maps_to_trainer_and_second_launch_reuses_the_account(client, platform):
    launch(client, platform, start(client, platform, "teacher-1"), "teacher-1", INSTRUCTOR)
    client.post("/accounts/logout")
    launch(client, platform, start(client, platform, "teacher-1"), "teacher-1", INSTRUCTOR)
    users = db.session.scalars(sa.select(User).where(User.full_name == "Ardita Berisha")).all()
    assert len(users) == 1 and users[0].role == Role.TRAINER


def test_existing_local_email_is_never_taken_over(client, platform, make_user):
    local = make_user(email="ardita@lms.example.org")
    launch(client, platform, start(client, platform))
    linked = db.session.scalar(sa.select(LtiAccount))
    assert linked.user_id != local.id


def test_replayed_launch_is_refused(client, platform):
    params = start(client, platform)
    form = platform.launch(params, "lms-user-1", LEARNER)
    assert client.post("/lti/launch", data=form).status_code == 302
    again = client.post("/lti/launch", data=form)
    assert again.status_code == 400
    assert "already used" in again.get_data(as_text=True)


def test_bad_signature_is_refused(client, platform, app):
    params = start(client, platform)
    with app.test_request_context():
        impostor = LmsPlatform(TOOL, keys.published_keys(), private_key=new_private_key())
    impostor.registration.set_platform_private_key(new_private_key())
    response = client.post("/lti/launch", data=impostor.launch(params, "x", LEARNER))
    assert response.status_code == 400 and "rejected" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LtiAccount)) == 0


def test_wrong_audience_and_unknown_deployment_are_refused(client, platform):
    params = start(client, platform)
    platform.registration.set_client_id("someone-else")
    response = launch(client, platform, params)
    assert response.status_code == 400
    platform.registration.set_client_id("sop-training-client")
    platform.registration.set_deployment_id("unknown-deployment")
    response = launch(client, platform, start(client, platform))
    assert response.status_code == 400 and "eployment" in response.get_data(as_text=True)


def test_expired_token_is_refused(client, platform):
    params = start(client, platform)
    form = platform.launch(params, "lms-user-1", LEARNER)
    claims = jwt.decode(form["id_token"], options={"verify_signature": False})
    claims["exp"] = int(time.time()) - 600
    claims["iat"] = int(time.time()) - 1200
    header = jwt.get_unverified_header(form["id_token"])
    form["id_token"] = jwt.encode(claims, platform.private_key, algorithm="RS256", headers=header)
    response = client.post("/lti/launch", data=form)
    assert response.status_code == 400


def test_login_without_launch_parameters_explains(client):
    response = client.get("/lti/login")
    assert response.status_code == 400 and "start from your LMS" in response.get_data(as_text=True)


def test_jwks_publishes_public_keys_only_and_rotation_keeps_the_old_one(client, app):
    first = client.get("/lti/jwks.json").get_json()["keys"]
    assert len(first) == 1 and "d" not in first[0] and first[0]["alg"] == "RS256"
    key = db.session.scalar(sa.select(ToolKey))
    assert "PRIVATE KEY" not in key.private_key_encrypted
    with app.test_request_context():
        keys.rotate()
        db.session.commit()
    kids = [k["kid"] for k in client.get("/lti/jwks.json").get_json()["keys"]]
    assert len(kids) == 2 and first[0]["kid"] in kids


def test_platform_registration_names_every_problem(app, login, client):
    with app.test_request_context():
        with pytest.raises(platforms.PlatformError) as caught:
            platforms.save_platform(
                platforms.PlatformData(
                    name="",
                    issuer="http://lms.example.org",
                    client_id="c",
                    auth_login_url="ftp://x",
                    auth_token_url="https://t",
                    deployment_ids=[],
                )
            )
    problems = " ".join(caught.value.problems)
    assert "Name is required" in problems and "https://" in problems
    assert "deployment ID" in problems and "key set" in problems
    login(role=Role.ADMIN)
    page = client.get("/lti/config").get_data(as_text=True)
    assert "/lti/login" in page and "oidc_initiation_url" in page


def test_cli_registers_platforms_and_rotates_keys(runner):
    ok = runner.invoke(
        args=[
            "lti-register",
            "--name",
            "Ministry Moodle",
            "--issuer",
            "https://moodle.example.org",
            "--client-id",
            "abc",
            "--deployment-id",
            "1",
            "--login-url",
            "https://moodle.example.org/mod/lti/auth.php",
            "--token-url",
            "https://moodle.example.org/mod/lti/token.php",
            "--key-set-url",
            "https://moodle.example.org/mod/lti/certs.php",
        ]
    )
    assert ok.exit_code == 0 and "Registered Ministry Moodle" in ok.output
    bad = runner.invoke(
        args=[
            "lti-register",
            "--name",
            "X",
            "--issuer",
            "http://evil.example.org",
            "--client-id",
            "abc",
            "--deployment-id",
            "1",
            "--login-url",
            "https://a",
            "--token-url",
            "https://b",
            "--key-set-url",
            "https://c",
        ]
    )
    assert bad.exit_code != 0 and "https://" in bad.output
    assert "New signing key" in runner.invoke(args=["lti-rotate-key"]).output


def test_launch_pages_may_be_framed_other_pages_not(client):
    assert "frame-ancestors *" in client.get("/lti/login").headers["Content-Security-Policy"]
    assert client.get("/courses/").headers["X-Frame-Options"] == "DENY"


def test_instructor_deep_links_a_quiz_and_the_platform_accepts_it(client, platform, make_course):
    make_course(slug="identification", quiz_slug="identification", title="Identification")
    params = start(client, platform, "teacher-9")
    form = platform.launch(
        params, "teacher-9", INSTRUCTOR, deep_link_return="https://lms.example.org/dl-return"
    )
    response = client.post("/lti/launch", data=form)
    assert "/lti/deep-link/" in response.headers["Location"]
    picker = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Final quiz: Identification" in picker
    page = client.post(response.headers["Location"], data={"item": "quiz:identification"})
    html = page.get_data(as_text=True)
    assert 'action="https://lms.example.org/dl-return"' in html
    assert "https://lms.example.org" in page.headers["Content-Security-Policy"]
    token = html.split('name="JWT" value="')[1].split('"')[0]
    items = platform.conf.validate_deeplinking_resp({"JWT": token})
    assert [i["custom"] for i in items] == [{"quiz": "identification"}]
    assert items[0]["url"].endswith("/lti/launch") and items[0]["title"].startswith("Final quiz")


def test_learners_cannot_deep_link(client, platform):
    params = start(client, platform, "pupil")
    form = platform.launch(params, "pupil", LEARNER, deep_link_return="https://lms.example.org/r")
    response = client.post("/lti/launch", data=form)
    assert response.status_code == 400 and "Only instructors" in response.get_data(as_text=True)


def test_launch_in_a_frame_checks_cookies_and_offers_a_new_window(client, platform):
    url = platform.login_url("framed").replace(TOOL, "")
    page = client.get(url, headers={"Sec-Fetch-Dest": "iframe"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Open in a new window" in html
    assert "lti1p3_new_window=1" in html and 'data-next="https://lms.example.org/auth?' in html
    assert any("lti1p3-state" in c for c in page.headers.getlist("Set-Cookie"))
    assert "frame-ancestors *" in page.headers["Content-Security-Policy"]


def test_launched_session_cookie_works_in_frames_over_https(client, platform):
    response = client.get(platform.login_url("s").replace(TOOL, ""), base_url="https://localhost")
    params = authorisation_params(response.headers["Location"])
    form = platform.launch(params, "s", LEARNER)
    launched = client.post("/lti/launch", data=form, base_url="https://localhost")
    [session_cookie] = [
        c for c in launched.headers.getlist("Set-Cookie") if c.startswith("session=")
    ]
    assert "SameSite=None" in session_cookie and "Secure" in session_cookie
    ordinary = client.post("/accounts/login", data={"email": "x@example.org", "password": "y"})
    assert all("SameSite=None" not in c for c in ordinary.headers.getlist("Set-Cookie"))

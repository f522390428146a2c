"""Registration, login, passwords and profile."""

import re

import sqlalchemy as sa
from itsdangerous import URLSafeTimedSerializer

from sop_training.accounts.models import Agency, Region, Role, User
from sop_training.extensions import db

from .conftest import PASSWORD


def _ids():
    agency = db.session.scalar(sa.select(Agency).order_by(Agency.id))
    region = db.session.scalar(sa.select(Region).where(Region.code == "gjilan"))
    return agency.id, region.id


def _register(client, **overrides):
    agency_id, region_id = _ids()
    data = {
        "full_name": "Đurđa Šćepanović-Çelë",
        "email": "Durda@Example.org",
        "password": "a-long-password",
        "confirm": "a-long-password",
        "agency_id": agency_id,
        "position": "Social worker",
        "region_id": region_id,
        "locale": "sr",
    }
    data.update(overrides)
    return client.post("/accounts/register", data=data)


def test_register_creates_trainee_and_logs_in(client):
    response = _register(client)
    assert response.status_code == 302
    user = db.session.scalar(sa.select(User).where(User.email == "durda@example.org"))
    assert user.full_name == "Đurđa Šćepanović-Çelë"
    assert user.role == Role.TRAINEE and user.locale == "sr"
    assert user.region.name == "Gjilan/Gnjilane"
    assert user.password_hash and "a-long-password" not in user.password_hash
    assert "Đurđa" in client.get("/").get_data(as_text=True)


def test_register_rejects_duplicate_email_and_short_password(client, make_user):
    make_user(email="taken@example.org")
    page = _register(client, email="TAKEN@example.org").get_data(as_text=True)
    assert "already exists" in page
    page = _register(client, email="new@example.org", password="short", confirm="short").get_data(
        as_text=True
    )
    assert "at least 10 characters" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1


def test_register_requires_agency_and_region(client):
    page = _register(client, agency_id=0, region_id=0).get_data(as_text=True)
    assert "Choose your agency." in page and "Choose your region." in page


def test_login_answers_the_same_for_unknown_email_and_wrong_password(client, make_user):
    user = make_user()
    wrong = client.post("/accounts/login", data={"email": user.email, "password": "nope-nope-nope"})
    unknown = client.post("/accounts/login", data={"email": "who@example.org", "password": "x"})
    assert wrong.status_code == unknown.status_code == 200
    assert "Wrong email or password." in wrong.get_data(as_text=True)
    assert "Wrong email or password." in unknown.get_data(as_text=True)


def test_deactivated_user_cannot_log_in_and_is_logged_out(client, login, make_user):
    user = login()
    assert client.get("/accounts/profile").status_code == 200
    user.is_active = False
    db.session.commit()
    assert client.get("/accounts/profile").status_code == 302
    response = client.post("/accounts/login", data={"email": user.email, "password": PASSWORD})
    assert "Wrong email or password." in response.get_data(as_text=True)


def test_login_redirects_only_to_local_next(client, make_user):
    user = make_user()
    data = {"email": user.email, "password": PASSWORD}
    response = client.post("/accounts/login?next=https://evil.example/", data=data)
    assert response.headers["Location"] == "/"


def test_logout_requires_post_and_ends_session(client, login):
    login()
    assert client.get("/accounts/logout").status_code == 405
    client.post("/accounts/logout")
    assert client.get("/accounts/profile").status_code == 302


def test_change_password(client, login):
    user = login()
    bad = client.post(
        "/accounts/password",
        data={
            "current": "wrong-password",
            "password": "new-password-1",
            "confirm": "new-password-1",
        },
    )
    assert "not correct" in bad.get_data(as_text=True)
    ok = client.post(
        "/accounts/password",
        data={"current": PASSWORD, "password": "new-password-1", "confirm": "new-password-1"},
    )
    assert ok.status_code == 302
    db.session.refresh(user)
    assert user.check_password("new-password-1")


def _link_in(message) -> str:
    return re.search(r"http://localhost(/accounts/\S+)", message.get_content()).group(1)


def test_password_reset_by_emailed_link(client, make_user, outbox):
    user = make_user(email="reset@example.org")
    response = client.post("/accounts/reset", data={"email": "reset@example.org"})
    assert response.status_code == 302
    [message] = outbox()
    assert message["To"] == "reset@example.org"
    link = _link_in(message)
    assert client.get(link).status_code == 200
    response = client.post(link, data={"password": "brand-new-pass", "confirm": "brand-new-pass"})
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.check_password("brand-new-pass")
    # The link works once only.
    again = client.post(link, data={"password": "another-pass-1", "confirm": "another-pass-1"})
    assert again.status_code == 302 and again.headers["Location"].endswith("/accounts/reset")
    db.session.refresh(user)
    assert user.check_password("brand-new-pass")


def test_reset_does_not_reveal_whether_email_exists(client, make_user, outbox):
    make_user(email="known@example.org")
    known = client.post(
        "/accounts/reset", data={"email": "known@example.org"}, follow_redirects=True
    )
    unknown = client.post(
        "/accounts/reset", data={"email": "nobody@example.org"}, follow_redirects=True
    )
    assert "a reset link is on its way" in known.get_data(as_text=True)
    assert "a reset link is on its way" in unknown.get_data(as_text=True)
    assert len(outbox()) == 1


def test_expired_reset_link_is_refused(app, client, make_user):
    user = make_user()
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    token = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="reset").dumps({"uid": user.id})
    page = client.get(f"/accounts/reset/{token}", follow_redirects=True).get_data(as_text=True)
    assert "expired" in page


def test_tampered_reset_link_is_refused(client):
    page = client.get("/accounts/reset/not-a-token", follow_redirects=True).get_data(as_text=True)
    assert "not valid" in page


def test_profile_update(client, login):
    user = login()
    agency_id, region_id = _ids()
    response = client.post(
        "/accounts/profile",
        data={
            "full_name": "New Name",
            "agency_id": agency_id,
            "region_id": region_id,
            "position": "Inspector",
            "locale": "sq",
        },
    )
    assert response.status_code == 302
    db.session.refresh(user)
    assert (user.full_name, user.position, user.locale) == ("New Name", "Inspector", "sq")


def test_create_admin_command(runner):
    result = runner.invoke(
        args=["create-admin", "--email", "Boss@Example.org", "--name", "Boss"],
        input="a-strong-password\na-strong-password\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(sa.select(User).where(User.email == "boss@example.org"))
    assert user.role == Role.ADMIN and user.check_password("a-strong-password")


def test_seed_is_idempotent_and_names_regions_in_both_languages(runner):
    result = runner.invoke(args=["seed"])
    assert "Seeded 0 regions and 0 agencies." in result.output
    names = [r.name for r in db.session.scalars(sa.select(Region).order_by(Region.id))]
    assert names == [
        "Prishtinë/Priština",
        "Prizren",
        "Pejë/Peć",
        "Mitrovicë/Mitrovica",
        "Gjilan/Gnjilane",
        "Ferizaj/Uroševac",
        "Gjakovë/Đakovica",
    ]
    types = set(db.session.scalars(sa.select(Agency.type)))
    assert len(types) == 11


def test_demo_accounts_command_prints_one_per_role(runner):
    result = runner.invoke(args=["create-demo-accounts"])
    assert result.exit_code == 0
    for role in ("trainee", "trainer", "reporter", "admin"):
        assert f"{role}@demo.sop-training.local" in result.output
    again = runner.invoke(args=["create-demo-accounts"])
    assert again.output.count("already existed") == 4

"""Headers, CSRF, rate limits, error pages and the health check."""

import pytest
import sqlalchemy as sa

from sop_training.extensions import db

from .conftest import make_test_app


def test_security_headers(client):
    response = client.get("/accounts/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_pages_carry_no_inline_script(client, make_course):
    make_course()
    for url in ("/", "/courses/", "/accounts/login", "/accounts/register"):
        page = client.get(url).get_data(as_text=True)
        assert "<script>" not in page and " onclick=" not in page


def test_csrf_is_enforced(tmp_path):
    app = make_test_app(tmp_path, WTF_CSRF_ENABLED=True)
    with app.app_context():
        db.create_all()
        client = app.test_client()
        response = client.post("/accounts/login", data={"email": "a@b.org", "password": "x"})
        assert "The form expired" in response.get_data(as_text=True)
        assert client.post("/accounts/logout").status_code == 400
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def app_config(request):
    return getattr(request, "param", {})


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True}], indirect=True)
def test_login_is_rate_limited(client):
    statuses = [
        client.post(
            "/accounts/login", data={"email": "x@example.org", "password": "bad"}
        ).status_code
        for _ in range(11)
    ]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429
    page = client.post("/accounts/login", data={"email": "x@example.org", "password": "bad"})
    assert "Too many attempts" in page.get_data(as_text=True)


def test_error_pages_use_the_site_layout(client, login):
    page = client.get("/no-such-page")
    assert page.status_code == 404
    text = page.get_data(as_text=True)
    assert "Page not found" in text and "SOP Training" in text and "<nav" in text
    login()
    forbidden = client.get("/admin/users")
    assert forbidden.status_code == 403 and "Not allowed" in forbidden.get_data(as_text=True)


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok", "database": "ok"}


def test_healthz_503_when_database_is_down(tmp_path):
    app = make_test_app(tmp_path, DATABASE_URL="postgresql+psycopg://nobody@127.0.0.1:1/none")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "unavailable"
    with app.app_context():
        db.engine.dispose()


def test_internal_error_page(app, client):
    @app.route("/boom")
    def boom():
        raise RuntimeError("boom")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/boom")
    assert response.status_code == 500
    assert "Something went wrong" in response.get_data(as_text=True)
    assert db.session.execute(sa.text("SELECT 1")).scalar() == 1

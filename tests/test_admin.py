"""Admin pages: users, roles, deactivation, regions and agencies."""

import pytest
import sqlalchemy as sa

from sop_training.accounts.models import Agency, AgencyType, Region, Role, User
from sop_training.extensions import db


@pytest.mark.parametrize("role", [Role.TRAINEE, Role.TRAINER, Role.REPORTER])
def test_only_admins_reach_admin_pages(client, login, role):
    login(role=role)
    for url in ("/admin/users", "/admin/agencies", "/admin/regions", "/admin/agencies/new"):
        assert client.get(url).status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get("/admin/users")
    assert response.status_code == 302 and "/accounts/login" in response.headers["Location"]


def test_list_and_search_users(client, login, make_user):
    login(role=Role.ADMIN)
    make_user(full_name="Vjosa Berisha", email="vjosa@example.org")
    make_user(full_name="Miloš Jovanović", role=Role.TRAINER)
    page = client.get("/admin/users?q=berisha").get_data(as_text=True)
    assert "Vjosa Berisha" in page and "Miloš" not in page
    trainers = client.get("/admin/users?role=trainer").get_data(as_text=True)
    assert "Miloš Jovanović" in trainers and "Vjosa" not in trainers


def test_change_role_and_deactivate(client, login, make_user):
    login(role=Role.ADMIN)
    user = make_user()
    response = client.post(f"/admin/users/{user.id}", data={"role": "trainer", "is_active": ""})
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.role == Role.TRAINER and not user.is_active


def test_admin_cannot_demote_or_deactivate_self(client, login):
    admin = login(role=Role.ADMIN)
    page = client.post(f"/admin/users/{admin.id}", data={"role": "trainee", "is_active": "y"})
    assert "cannot remove your own administrator role" in page.get_data(as_text=True)
    db.session.refresh(admin)
    assert admin.role == Role.ADMIN and admin.is_active


def test_bad_role_value_changes_nothing(client, login, make_user):
    login(role=Role.ADMIN)
    user = make_user()
    page = client.post(f"/admin/users/{user.id}", data={"role": "superuser", "is_active": "y"})
    assert page.status_code == 200 and "Not a valid choice" in page.get_data(as_text=True)
    db.session.refresh(user)
    assert user.role == Role.TRAINEE


def test_add_and_edit_agency(client, login):
    login(role=Role.ADMIN)
    region = db.session.scalar(sa.select(Region).where(Region.code == "prizren"))
    data = {
        "name": "Centre for Social Work Suharekë",
        "type": "social_services",
        "region_id": region.id,
        "is_active": "y",
    }
    assert client.post("/admin/agencies/new", data=data).status_code == 302
    agency = db.session.scalar(sa.select(Agency).where(Agency.name == data["name"]))
    assert agency.type == AgencyType.SOCIAL_SERVICES and agency.region_id == region.id
    duplicate = client.post("/admin/agencies/new", data=data).get_data(as_text=True)
    assert "Another agency already has this name." in duplicate
    client.post(f"/admin/agencies/{agency.id}", data={**data, "is_active": "", "region_id": 0})
    db.session.refresh(agency)
    assert not agency.is_active and agency.region_id is None
    assert "Centre for Social Work Suharekë" not in client.get("/accounts/register").get_data(
        as_text=True
    )


def test_add_region(client, login):
    login(role=Role.ADMIN)
    data = {
        "code": "Mitrovica-North",
        "name_sq": "Mitrovicë e Veriut",
        "name_sr": "Severna Mitrovica",
        "is_active": "y",
    }
    assert client.post("/admin/regions/new", data=data).status_code == 302
    region = db.session.scalar(sa.select(Region).where(Region.code == "mitrovica-north"))
    assert region.name == "Mitrovicë e Veriut/Severna Mitrovica"
    again = client.post("/admin/regions/new", data=data).get_data(as_text=True)
    assert "Another region already has this code." in again
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Region)) == 8


def test_deactivated_users_are_listed_as_such(client, login, make_user):
    login(role=Role.ADMIN)
    user = make_user(full_name="Gone Away")
    user.is_active = False
    db.session.commit()
    page = client.get("/admin/users?q=gone").get_data(as_text=True)
    assert "Deactivated" in page
    assert db.session.get(User, user.id) is not None

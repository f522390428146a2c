"""In Chromium: a trainer schedules a session, two trainees want the last seat, attendance."""

import re

import pytest
from playwright.sync_api import expect

from sop_training.accounts.models import Role
from sop_training.accounts.services import create_user
from sop_training.extensions import db

from ..conftest import PASSWORD


@pytest.fixture
def people(live_app):
    with live_app.app_context():
        create_user(
            email="trainer@example.org",
            full_name="Vjosa Trainer",
            password=PASSWORD,
            role=Role.TRAINER,
        )
        create_user(email="arben@example.org", full_name="Arben Morina", password=PASSWORD)
        create_user(email="dragana@example.org", full_name="Dragana Ilić", password=PASSWORD)
        db.session.commit()
    return live_app


def log_in(browser, base, email):
    context = browser.new_context(locale="en-GB", viewport={"width": 412, "height": 860})
    context.set_default_timeout(15000)
    page = context.new_page()
    page.goto(f"{base}/accounts/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="My learning")).to_be_visible()
    return page


def test_schedule_register_waitlist_promote_attend(people, live_server, browser):
    trainer = log_in(browser, live_server, "trainer@example.org")
    trainer.goto(f"{live_server}/sessions/new")
    trainer.get_by_label("Course", exact=True).select_option(
        label="Identification of victims of trafficking"
    )
    trainer.get_by_label("Region", exact=True).select_option(label="Gjilan/Gnjilane")
    trainer.get_by_label("Venue", exact=True).fill("Municipal assembly hall")
    trainer.get_by_label("Starts", exact=True).fill("2030-03-12T09:00")
    trainer.get_by_label("Ends", exact=True).fill("2030-03-12T15:00")
    trainer.get_by_label("Registration closes").fill("2030-03-10T17:00")
    trainer.get_by_label("Seats", exact=True).fill("1")
    trainer.get_by_role("button", name="Save").click()
    expect(trainer.get_by_text("Session scheduled.")).to_be_visible()
    session_url = trainer.url

    arben = log_in(browser, live_server, "arben@example.org")
    dragana = log_in(browser, live_server, "dragana@example.org")
    for page in (arben, dragana):
        page.goto(session_url)
        expect(page.get_by_text("1 of 1 free")).to_be_visible()
    # Both press Register on the page showing one free seat.
    arben.get_by_role("button", name="Register").click()
    expect(arben.get_by_text("Your seat is confirmed.").first).to_be_visible()
    dragana.get_by_role("button", name="Register").click()
    expect(dragana.get_by_text("you are on the waiting list", exact=False).first).to_be_visible()

    arben.get_by_role("button", name="Withdraw").click()
    expect(arben.get_by_text("You withdrew from this session.")).to_be_visible()
    dragana.goto(session_url)
    expect(dragana.locator('[data-registration="confirmed"]')).to_be_visible()

    trainer.goto(session_url)
    trainer.get_by_role("link", name="Attendance").click()
    trainer.get_by_role("group", name=re.compile("Dragana Ilić")).get_by_label("Present").check()
    trainer.get_by_role("button", name="Save attendance").click()
    expect(trainer.get_by_text("Attendance saved.")).to_be_visible()
    expect(
        trainer.get_by_role("group", name=re.compile("Dragana Ilić")).get_by_label("Present")
    ).to_be_checked()

"""In Chromium: a reporter filters the dashboard by region and downloads the CSV."""

from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from sop_training.accounts.models import Agency, Region, Role
from sop_training.accounts.services import create_user
from sop_training.extensions import db

from ..conftest import PASSWORD


@pytest.fixture
def reporter(live_app):
    with live_app.app_context():
        regions = db.session.scalars(sa.select(Region).order_by(Region.id)).all()
        agency = db.session.scalar(sa.select(Agency).order_by(Agency.id))
        create_user(
            email="reporter@example.org",
            full_name="Ina Reporter",
            password=PASSWORD,
            role=Role.REPORTER,
        )
        for n, region in enumerate(regions[:3]):
            for i in range(n + 1):
                create_user(
                    email=f"t{n}-{i}@example.org",
                    full_name=f"Trainee {n}-{i}",
                    password=PASSWORD,
                    region=region,
                    agency=agency,
                )
        db.session.commit()
        return regions[1].name


def test_filter_by_region_and_download_csv(reporter, live_server, page, tmp_path):
    page.goto(f"{live_server}/accounts/login")
    page.get_by_label("Email").fill("reporter@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", name="Training coverage by region")).to_be_visible()

    page.locator("select[name=region]").select_option(label=reporter)
    page.get_by_role("button", name="Filter").click()
    rows = page.locator("table.report tbody tr")
    expect(rows).to_have_count(2)  # the region and the total
    expect(rows.first.locator('[data-col="registered"]')).to_have_text("2")

    with page.expect_download() as info:
        page.get_by_role("link", name="CSV").first.click()
    text = Path(info.value.path()).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.startswith(reporter)]
    assert lines and lines[0].split(",")[1] == "2"
    assert "Region:" in text

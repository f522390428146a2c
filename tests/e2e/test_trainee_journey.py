"""A new trainee registers, learns, leaves, comes back, and switches to Albanian."""

import re

from playwright.sync_api import expect

COURSE_TITLE = "Identification of victims of trafficking"


def _progress_text(page):
    return page.locator("[data-progress] [data-progress-text]")


def test_register_enrol_read_resume_and_switch_language(live_server, page):
    page.goto(f"{live_server}/accounts/register")
    page.get_by_label("Full name").fill("Đurđa Šćepanović-Çelë")
    page.get_by_label("Email").fill("durda@example.org")
    page.get_by_label("Password", exact=True).fill("a-long-password")
    page.get_by_label("Repeat password").fill("a-long-password")
    page.get_by_label("Agency").select_option(label="Centre for Social Work Prizren")
    page.get_by_label("Position").fill("Social worker")
    page.get_by_label("Region").select_option(label="Prizren")
    page.get_by_label("Preferred language").select_option("en")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("Your account is ready.")).to_be_visible()

    page.get_by_role("link", name=COURSE_TITLE).first.click()
    page.get_by_role("button", name="Enrol").click()
    expect(page.locator("article.lesson h1")).to_be_visible()
    first_lesson_url = page.url
    first_title = page.locator("article.lesson h1").inner_text()
    total = int(re.search(r"0 of (\d+) lessons done", _progress_text(page).inner_text()).group(1))
    assert total >= 3

    # Reading to the end of the lesson marks it done; the progress bar moves without a reload.
    page.locator("#lesson-end").scroll_into_view_if_needed()
    expect(_progress_text(page)).to_contain_text(f"1 of {total} lessons done")
    expect(page.locator("[data-progress] progress")).to_have_attribute("value", "1")
    expect(page.get_by_text("Lesson done")).to_be_visible()
    assert page.url == first_lesson_url

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    page.get_by_label("Email").fill("durda@example.org")
    page.get_by_label("Password").fill("a-long-password")
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("heading", name="My learning")).to_be_visible()
    expect(page.get_by_text(f"1 of {total} lessons done").first).to_be_visible()
    page.get_by_role("link", name="Continue").first.click()
    expect(page.locator("article.lesson h1")).not_to_have_text(first_title)
    expect(page.get_by_text(f"Lesson 2 of {total}")).to_be_visible()

    page.get_by_role("link", name="Shqip").click()
    expect(page.locator("html")).to_have_attribute("lang", "sq")
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)
    # The choice is stored on the profile: a fresh visit stays in Albanian.
    page.goto(f"{live_server}/")
    expect(page.locator("html")).to_have_attribute("lang", "sq")

"""Interface languages: catalogs, switcher, profile, browser preference."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from sop_training.extensions import db

CATALOGS = Path(__file__).resolve().parent.parent / "sop_training" / "translations"


@pytest.mark.parametrize("locale", ["sq", "sr"])
def test_catalogs_are_complete_and_translated(locale):
    with open(CATALOGS / locale / "LC_MESSAGES" / "messages.po", "rb") as f:
        catalog = read_po(f, locale=locale)
    messages = [m for m in catalog if m.id]
    assert len(messages) > 150
    untranslated = [m.id for m in messages if not m.string or not all(m.string)]
    assert untranslated == []
    fuzzy = [m.id for m in messages if m.fuzzy]
    assert fuzzy == []
    same = [m.id for m in messages if m.string == m.id]
    # A few words (e.g. "Email", "NGO") may legitimately coincide; most must not.
    assert len(same) < len(messages) * 0.05, same


def test_language_switcher_changes_interface(client):
    assert "Log in" in client.get("/accounts/login").get_data(as_text=True)
    sq = client.get("/accounts/login?lang=sq").get_data(as_text=True)
    assert '<html lang="sq">' in sq and "Hyr" in sq
    # The choice is kept for the next pages of an anonymous visitor.
    again = client.get("/courses/").get_data(as_text=True)
    assert '<html lang="sq">' in again


def test_browser_language_is_used_when_nothing_chosen(client):
    page = client.get("/accounts/login", headers={"Accept-Language": "sr-Latn-RS,sr;q=0.9"})
    assert '<html lang="sr">' in page.get_data(as_text=True)


def test_choice_is_remembered_on_the_profile(client, login):
    user = login()
    client.get("/?lang=sr")
    db.session.refresh(user)
    assert user.locale == "sr"
    client.post("/accounts/logout")
    client.get("/?lang=en")
    client.post("/accounts/login", data={"email": user.email, "password": "correct-horse-battery"})
    assert '<html lang="sr">' in client.get("/").get_data(as_text=True)


def test_place_names_in_both_forms(client):
    page = client.get("/accounts/register").get_data(as_text=True)
    for name in ("Prishtinë/Priština", "Gjilan/Gnjilane", "Gjakovë/Đakovica", "Pejë/Peć"):
        assert name in page

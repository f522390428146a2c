"""Interface language: the user's profile, then ``?lang=``, then the browser's preference."""

import logging

from flask import Flask, current_app, g, request, session
from flask_babel import get_locale
from flask_login import current_user

logger = logging.getLogger(__name__)

LANGUAGE_NAMES = {"en": "English", "sq": "Shqip", "sr": "Srpski"}


def select_locale() -> str:
    """Return the locale for this request."""
    languages = current_app.config["LANGUAGES"]
    chosen = getattr(g, "chosen_lang", None)
    if chosen:
        return chosen
    if current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("lang") in languages:
        return session["lang"]
    return (
        request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def remember_language_choice() -> None:
    """Apply a ``?lang=`` choice: store it on the profile, or in the session when anonymous."""
    lang = request.args.get("lang")
    if not lang or lang not in current_app.config["LANGUAGES"]:
        return
    g.chosen_lang = lang
    session["lang"] = lang
    if current_user.is_authenticated and current_user.locale != lang:
        from .extensions import db

        current_user.locale = lang
        db.session.commit()
        logger.info("User %s switched language to %s", current_user.id, lang)


def init_i18n(app: Flask) -> None:
    """Register the language hook and template helpers."""
    app.before_request(remember_language_choice)
    app.jinja_env.globals["LANGUAGE_NAMES"] = LANGUAGE_NAMES
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.filters["day"] = format_day


#: Babel locale used for dates and numbers; Serbian is written in Latin script here.
BABEL_LOCALES = {"en": "en", "sq": "sq", "sr": "sr_Latn"}


def format_day(moment, locale: str | None = None, style: str = "long") -> str:
    """Format a date (or the local date of a UTC datetime) in the interface's language."""
    from babel.dates import format_date
    from flask_babel import to_user_timezone

    if hasattr(moment, "hour"):
        moment = to_user_timezone(moment).date()
    code = locale or str(get_locale() or "en")
    return format_date(moment, format=style, locale=BABEL_LOCALES.get(code, code))


def format_clock(moment, locale: str | None = None) -> str:
    """Format the local time of day of a UTC datetime (e.g. 09:00) in the interface's language."""
    from babel.dates import format_time
    from flask_babel import to_user_timezone

    code = locale or str(get_locale() or "en")
    return format_time(to_user_timezone(moment), "short", locale=BABEL_LOCALES.get(code, code))

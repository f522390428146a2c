"""Turn sessions into calendar events and readable times (URLs, time zone, language)."""

import secrets

import sqlalchemy as sa
from flask import url_for

from ..accounts.models import User
from ..db import utcnow
from ..extensions import db
from ..i18n import format_clock, format_day
from .calendar import SessionEvent, calendar_bytes
from .models import CalendarFeed, TrainingSession


def event_of(session: TrainingSession, locale: str = "en") -> SessionEvent:
    """Return the calendar event of a session."""
    title = session.course.text("title", locale)
    return SessionEvent(
        uid=f"session-{session.id}@sop-training",
        title=title,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        location=", ".join(p for p in (session.venue, session.address, session.region.name) if p),
        description=session.notes or title,
        url=url_for("sessions.detail", session_id=session.id, _external=True),
        is_cancelled=session.is_cancelled,
        sequence=session.revision,
        stamp=utcnow(),
    )


def session_ics(session: TrainingSession, locale: str = "en") -> bytes:
    """Return the .ics file of one session."""
    return calendar_bytes([event_of(session, locale)], session.course.text("title", locale))


def feed_token(user: User) -> str:
    """Return the user's secret calendar-feed token, creating it on first use."""
    feed = db.session.scalar(sa.select(CalendarFeed).where(CalendarFeed.user_id == user.id))
    if feed is None:
        feed = CalendarFeed(user_id=user.id, token=secrets.token_urlsafe(32))
        db.session.add(feed)
        db.session.flush()
    return feed.token


def user_of_feed(token: str) -> User | None:
    """Return the user a calendar-feed token belongs to."""
    feed = db.session.scalar(sa.select(CalendarFeed).where(CalendarFeed.token == token))
    return db.session.get(User, feed.user_id) if feed else None


def when(session: TrainingSession) -> str:
    """Return the session's start and end in Kosovo time, in the current language."""
    day = format_day(session.starts_at, style="full")
    return f"{day}, {format_clock(session.starts_at)} – {format_clock(session.ends_at)}"

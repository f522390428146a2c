"""iCalendar files for sessions: one event, or a person's whole feed (no database access)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import icalendar

PRODID = "-//SOP Training//Regional sessions//EN"


@dataclass(frozen=True)
class SessionEvent:
    """What a calendar needs to know about one session."""

    uid: str
    title: str
    starts_at: datetime
    ends_at: datetime
    location: str
    description: str
    url: str
    is_cancelled: bool = False
    #: Bumped on each change so calendars pick up edits.
    sequence: int = 0
    stamp: datetime | None = None


def calendar_bytes(events: Iterable[SessionEvent], name: str) -> bytes:
    """Return an iCalendar (.ics) document holding ``events``."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for item in events:
        event = icalendar.Event()
        event.add("uid", item.uid)
        event.add("dtstamp", item.stamp or item.starts_at)
        event.add("dtstart", item.starts_at)
        event.add("dtend", item.ends_at)
        event.add("summary", item.title)
        event.add("location", item.location)
        event.add("description", item.description)
        event.add("url", item.url)
        event.add("sequence", item.sequence)
        event.add("status", "CANCELLED" if item.is_cancelled else "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()

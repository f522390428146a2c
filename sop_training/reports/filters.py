"""Read report filters from query parameters; bad values are named, never guessed."""

from datetime import date

from flask_babel import gettext as _

from ..accounts.models import AgencyType
from .queries import ReportFilter

LANGUAGES = ("en", "sq", "sr")


def _int(args, name: str, problems: list[str]) -> int | None:
    value = args.get(name, "").strip()
    if not value:
        return None
    if value.isdigit():
        return int(value)
    problems.append(_("Ignored the filter “%(name)s”: not a number.", name=name))
    return None


def _day(args, name: str, problems: list[str]) -> date | None:
    value = args.get(name, "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        problems.append(_("Ignored the date “%(value)s”: use YYYY-MM-DD.", value=value))
        return None


def read_filter(args) -> tuple[ReportFilter, list[str]]:
    """Return the filter described by ``args`` and the problems found in it."""
    problems: list[str] = []
    kind = args.get("agency_type", "").strip()
    agency_type = None
    if kind:
        try:
            agency_type = AgencyType(kind)
        except ValueError:
            problems.append(_("Ignored the agency type “%(value)s”.", value=kind))
    language = args.get("language", "").strip() or None
    if language and language not in LANGUAGES:
        problems.append(_("Ignored the language “%(value)s”.", value=language))
        language = None
    wanted = ReportFilter(
        course_id=_int(args, "course", problems),
        region_id=_int(args, "region", problems),
        agency_id=_int(args, "agency", problems),
        agency_type=agency_type,
        language=language,
        date_from=_day(args, "from", problems),
        date_to=_day(args, "to", problems),
        cohort_id=_int(args, "group", problems),
    )
    if wanted.date_from and wanted.date_to and wanted.date_from > wanted.date_to:
        problems.append(_("The start date is after the end date; no dates were applied."))
        wanted = ReportFilter(**{**wanted.__dict__, "date_from": None, "date_to": None})
    return wanted, problems

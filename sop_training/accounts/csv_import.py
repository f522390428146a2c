"""Reading a participants CSV (name, email, agency, region, position), without the database."""

import csv
import io
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

REQUIRED_COLUMNS = ("name", "email", "agency", "region")
OPTIONAL_COLUMNS = ("position",)


class UnreadableFile(ValueError):
    """The file cannot be read as a participants CSV at all; nothing is imported."""


@dataclass(frozen=True)
class ParticipantRow:
    """One valid row, with agency and region resolved to ids."""

    line: int
    name: str
    email: str
    agency_id: int
    region_id: int
    position: str


@dataclass(frozen=True)
class RowError:
    """A rejected row and why."""

    line: int
    reason: str


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1250"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(_("The file is not a text CSV file (UTF-8 expected)."))


def read_rows(data: bytes, required: tuple[str, ...]):
    """Yield ``(line, values)`` for each non-empty row of a CSV with a header line.

    Columns are matched case-insensitively; ``,``, ``;`` and tabs are accepted as separators.

    :raise UnreadableFile: when the file is not text, is empty, or lacks a required column.
    """
    text = _decode(data)
    if not text.strip():
        raise UnreadableFile(_("The file is empty."))
    try:
        dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    header = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in required if c not in header]
    if missing:
        raise UnreadableFile(
            _("The first line must name the columns; missing: %(cols)s.", cols=", ".join(missing))
        )
    reader.fieldnames = header
    try:
        for record in reader:
            values = {k: (v or "").strip() for k, v in record.items() if k}
            if any(values.values()):
                yield reader.line_num, values
    except csv.Error as exc:
        raise UnreadableFile(_("The file could not be read as CSV: %(error)s", error=exc)) from exc


def parse_participants(
    data: bytes, agencies: dict[str, int], regions: dict[str, int]
) -> tuple[list[ParticipantRow], list[RowError]]:
    """Parse the CSV; ``agencies`` and ``regions`` map lower-cased names to ids.

    :raise UnreadableFile: when the file has no usable header or is not text.
    """
    rows: list[ParticipantRow] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for line, values in list(read_rows(data, REQUIRED_COLUMNS)):
        reason, row = _check_row(line, values, agencies, regions, seen)
        if reason:
            errors.append(RowError(line, reason))
        else:
            seen[row.email] = line
            rows.append(row)
    return rows, errors


def _check_row(line, values, agencies, regions, seen):
    name = values.get("name", "")
    if not name:
        return _("The name is empty."), None
    try:
        email = validate_email(values.get("email", ""), check_deliverability=False).normalized
    except EmailNotValidError:
        return _("“%(email)s” is not a valid email address.", email=values.get("email", "")), None
    email = email.lower()
    if email in seen:
        return _("This email address is already on line %(line)d.", line=seen[email]), None
    agency_id = agencies.get(values.get("agency", "").lower())
    if agency_id is None:
        return _("Unknown agency “%(agency)s”.", agency=values.get("agency", "")), None
    region_id = regions.get(values.get("region", "").lower())
    if region_id is None:
        return _("Unknown region “%(region)s”.", region=values.get("region", "")), None
    return None, ParticipantRow(line, name, email, agency_id, region_id, values.get("position", ""))

"""Report tables as CSV (streamed), XLSX (typed cells, a header block) and PDF."""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.styles import Font

from .queries import Row

#: Counts below this are shown as "<5" when small cells are suppressed.
SMALL_CELL = 5


@dataclass(frozen=True)
class Column:
    """One column of a report table."""

    key: str
    title: object
    #: "count", "rate" (percent) or "text".
    kind: str = "count"
    #: For rates: the count the rate is taken over (suppressed when that is small).
    base: str | None = None


COLUMNS = [
    Column("label", _l("Name"), "text"),
    Column("registered", _l("Registered trainees")),
    Column("enrolled", _l("Enrolled")),
    Column("completed", _l("Completed")),
    Column("pass_rate", _l("Pass rate (%)"), "rate", "finished_attempts"),
    Column("valid", _l("Valid certificates")),
    Column("expired", _l("Expired certificates")),
    Column("expiring", _l("Expiring within 90 days")),
    Column("sessions_held", _l("Sessions held")),
    Column("attendance_rate", _l("Attendance rate (%)"), "rate", "seats"),
    Column("target", _l("Target")),
    Column("covered", _l("Certified against target")),
    Column("coverage", _l("Coverage (%)"), "rate", "target"),
    Column("gap", _l("Gap")),
]


def cell(row: Row, column: Column, suppress: bool):
    """Return the value of one cell: a number, None (no data) or "<5" when suppressed."""
    value = getattr(row, column.key)
    if not suppress or value is None or column.kind == "text":
        return value
    if column.kind == "count" and 0 < value < SMALL_CELL:
        return f"<{SMALL_CELL}"
    if column.kind == "rate" and 0 < getattr(row, column.base) < SMALL_CELL:
        return f"<{SMALL_CELL}"
    return value


def table(rows: list[Row], totals: Row, suppress: bool, total_label: str) -> list[list]:
    """Return the table as lists of cell values, the total line last."""
    totals.label = total_label
    return [[cell(row, c, suppress) for c in COLUMNS] for row in [*rows, totals]]


def csv_lines(header: list[str], lines: list[list], notes: list[str]) -> Iterator[str]:
    """Yield a CSV document line by line: notes (filters, time), the header, the rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for line in [*([n] for n in notes), [], header, *lines]:
        writer.writerow(["" if v is None else v for v in line])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def xlsx_bytes(title: str, header: list[str], lines: list[list], notes: list[str]) -> bytes:
    """Return a workbook: a header block (title, filters, time), then the typed table."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    bold = Font(bold=True)
    from openpyxl.cell import WriteOnlyCell

    def styled(value):
        item = WriteOnlyCell(sheet, value=value)
        item.font = bold
        return item

    sheet.append([styled(title)])
    for note in notes:
        sheet.append([note])
    sheet.append([])
    sheet.append([styled(h) for h in header])
    for line in lines:
        sheet.append(line)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def generated_note(moment: datetime, text) -> str:
    """Return the "generated at" line of an export."""
    return str(text) + " " + moment.strftime("%Y-%m-%d %H:%M UTC")

"""Reading an attendance CSV (email, attendance), without the database."""

from dataclasses import dataclass

from flask_babel import gettext as _

from ..accounts.csv_import import RowError, read_rows
from .models import Attendance

#: Words accepted in the attendance column, in the three interface languages.
WORDS = {
    Attendance.PRESENT: ("present", "p", "prezent", "i pranishëm", "e pranishme", "prisutan"),
    Attendance.LATE: ("late", "l", "vonë", "me vonesë", "kasni", "zakasnio", "zakasnila"),
    Attendance.ABSENT: ("absent", "a", "mungon", "i munguar", "odsutan", "odsutna"),
}
_LOOKUP = {word: status for status, words in WORDS.items() for word in words}


@dataclass(frozen=True)
class AttendanceRow:
    """One row naming a person by email and what they did."""

    line: int
    email: str
    attendance: Attendance


def parse_attendance(data: bytes) -> tuple[list[AttendanceRow], list[RowError]]:
    """Parse the file; rows with an unknown word are rejected with their line number.

    :raise UnreadableFile: when the file has no usable header or is not text.
    """
    rows, errors = [], []
    for line, values in list(read_rows(data, ("email", "attendance"))):
        word = values["attendance"].lower()
        status = _LOOKUP.get(word)
        if status is None:
            reason = _("“%(word)s” is not present, late or absent.", word=values["attendance"])
            errors.append(RowError(line, reason))
            continue
        rows.append(AttendanceRow(line, values["email"].lower(), status))
    return rows, errors

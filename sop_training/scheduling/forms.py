"""Forms for scheduling sessions, cancelling them, and rosters."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from ..accounts.forms import choices
from ..accounts.models import AgencyType, Role, User
from ..accounts.services import active_agencies, active_regions
from ..courses.services import list_courses
from ..extensions import db
from ..i18n import LANGUAGE_NAMES

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


def local_zone() -> ZoneInfo:
    """Return the zone sessions are entered and shown in (Kosovo: Europe/Belgrade)."""
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def to_utc(local: datetime) -> datetime:
    """Read a naive local time from a form as a UTC datetime."""
    return local.replace(tzinfo=local_zone()).astimezone(UTC)


def to_local(moment: datetime) -> datetime:
    """Return a UTC datetime as the naive local time a form shows."""
    return moment.astimezone(local_zone()).replace(tzinfo=None)


class SessionForm(FlaskForm):
    """Create or edit a session; times are local (Europe/Belgrade)."""

    course_id = SelectField(_l("Course"), coerce=int)
    region_id = SelectField(_l("Region"), coerce=int)
    venue = StringField(_l("Venue"), validators=[DataRequired(), Length(max=200)])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=300)])
    starts_at = DateTimeLocalField(
        _l("Starts"), format=LOCAL_FORMAT, validators=[DataRequired(_l("Enter the start."))]
    )
    ends_at = DateTimeLocalField(
        _l("Ends"), format=LOCAL_FORMAT, validators=[DataRequired(_l("Enter the end."))]
    )
    registration_deadline = DateTimeLocalField(
        _l("Registration closes"),
        format=LOCAL_FORMAT,
        validators=[DataRequired(_l("Enter the registration deadline."))],
    )
    capacity = IntegerField(
        _l("Seats"),
        validators=[
            InputRequired(_l("Enter the number of seats.")),
            NumberRange(1, 500, _l("Seats must be between 1 and 500.")),
        ],
    )
    eligible_agency_types = SelectMultipleField(_l("Open to agency types"))
    eligible_agency_ids = SelectMultipleField(_l("Open to agencies"), coerce=int)
    language = SelectField(_l("Language of instruction"))
    trainer_ids = SelectMultipleField(_l("Trainers"), coerce=int)
    requires_online_lessons = BooleanField(
        _l("Confirm seats only once the course's online lessons are finished")
    )
    notes = TextAreaField(_l("Notes for participants"), validators=[Length(max=4000)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.course_id.choices = choices((c.id, c.title) for c in list_courses())
        self.region_id.choices = choices((r.id, r.name) for r in active_regions())
        self.eligible_agency_types.choices = choices((t.value, t.label) for t in AgencyType)
        self.eligible_agency_ids.choices = choices((a.id, a.name) for a in active_agencies())
        self.language.choices = choices(LANGUAGE_NAMES.items())
        trainers = db.session.scalars(
            sa.select(User)
            .where(User.role.in_([Role.TRAINER, Role.ADMIN]), User.is_active)
            .order_by(User.full_name)
        )
        self.trainer_ids.choices = choices((u.id, u.full_name) for u in trainers)

    def validate_ends_at(self, field):
        if self.starts_at.data and field.data and field.data <= self.starts_at.data:
            raise ValidationError(_("The session must end after it starts."))

    def validate_registration_deadline(self, field):
        if self.starts_at.data and field.data and field.data > self.starts_at.data:
            raise ValidationError(_("The registration deadline must be before the session starts."))


class CancelForm(FlaskForm):
    """Cancel a session and tell everyone registered."""

    reason = TextAreaField(
        _l("Reason, sent to everyone registered"),
        validators=[DataRequired(_l("Give a reason for the participants.")), Length(max=500)],
    )


class RosterImportForm(FlaskForm):
    """Add participants from a CSV file (name, email, agency, region, position)."""

    file = FileField(
        _l("CSV file"),
        validators=[
            FileRequired(_l("Choose a CSV file.")),
            FileAllowed(["csv", "txt"], _l("Upload a .csv file.")),
        ],
    )


class AttendanceImportForm(FlaskForm):
    """Record attendance from a CSV file (email, attendance)."""

    file = FileField(
        _l("CSV file"),
        validators=[
            FileRequired(_l("Choose a CSV file.")),
            FileAllowed(["csv", "txt"], _l("Upload a .csv file.")),
        ],
    )

"""Forms for registration, login, passwords, profile and user administration."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError

from ..i18n import LANGUAGE_NAMES
from .models import AgencyType, Role
from .services import MIN_PASSWORD_LENGTH, active_agencies, active_regions


def choices(pairs) -> list[SelectChoice]:
    """Turn ``(value, label)`` pairs into select options."""
    return [SelectChoice(value, label) for value, label in pairs]


_password_rules = [
    DataRequired(),
    Length(
        min=MIN_PASSWORD_LENGTH,
        max=200,
        message=_l("Choose a password of at least %(min)d characters."),
    ),
]


def fill_agency_region(form) -> None:
    form.agency_id.choices = choices(
        [(0, _l("— choose your agency —"))] + [(a.id, a.name) for a in active_agencies()]
    )
    form.region_id.choices = choices(
        [(0, _l("— choose your region —"))] + [(r.id, r.name) for r in active_regions()]
    )


def _language_choices():
    return choices(LANGUAGE_NAMES.items())


class AgencyRegionMixin:
    """Where a person works: both required (reports count people by agency and region)."""

    agency_id = SelectField(_l("Agency"), coerce=int)
    region_id = SelectField(_l("Region"), coerce=int)

    def validate_agency_id(self, field):
        if not field.data:
            raise ValidationError(_("Choose your agency."))

    def validate_region_id(self, field):
        if not field.data:
            raise ValidationError(_("Choose your region."))


class ProfileFieldsMixin(AgencyRegionMixin):
    """Fields shared by registration and the profile page."""

    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    position = StringField(_l("Position"), validators=[Optional(), Length(max=200)])
    locale = SelectField(_l("Preferred language"), choices=_language_choices())


class RegisterForm(ProfileFieldsMixin, FlaskForm):
    """Self-registration as a trainee."""

    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=_password_rules)
    confirm = PasswordField(
        _l("Repeat password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )
    submit = SubmitField(_l("Create account"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fill_agency_region(self)


class ProfileForm(ProfileFieldsMixin, FlaskForm):
    """A user's own details."""

    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fill_agency_region(self)


class LoginForm(FlaskForm):
    """Email and password."""

    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    remember = BooleanField(_l("Keep me logged in on this device"))
    submit = SubmitField(_l("Log in"))


class ChangePasswordForm(FlaskForm):
    """Change a password while logged in."""

    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    password = PasswordField(_l("New password"), validators=_password_rules)
    confirm = PasswordField(
        _l("Repeat new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )
    submit = SubmitField(_l("Change password"))


class ResetRequestForm(FlaskForm):
    """Ask for a password-reset link."""

    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    submit = SubmitField(_l("Send me a link"))


class SetPasswordForm(FlaskForm):
    """Set a password from a reset or invitation link."""

    password = PasswordField(_l("New password"), validators=_password_rules)
    confirm = PasswordField(
        _l("Repeat new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )
    submit = SubmitField(_l("Set password"))


class UserSearchForm(FlaskForm):
    """Filter the admin user list (GET, no CSRF)."""

    class Meta:
        csrf = False

    q = StringField(_l("Name or email"), validators=[Optional(), Length(max=200)])
    role = SelectField(
        _l("Role"),
        choices=choices([("", _l("All roles"))] + [(r.value, r.label) for r in Role]),
        validators=[Optional()],
    )


class UserAdminForm(FlaskForm):
    """Change a user's role and whether the account is active."""

    role = SelectField(_l("Role"), choices=choices((r.value, r.label) for r in Role))
    is_active = BooleanField(_l("Account active"))
    scope_region_id = SelectField(_l("Sees people of region"), coerce=int)
    scope_agency_id = SelectField(_l("Sees people of agency"), coerce=int)
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope_region_id.choices = choices(
            [(0, _l("All regions"))] + [(r.id, r.name) for r in active_regions()]
        )
        self.scope_agency_id.choices = choices(
            [(0, _l("All agencies"))] + [(a.id, a.name) for a in active_agencies()]
        )


class AgencyForm(FlaskForm):
    """Create or edit an agency."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    type = SelectField(_l("Type"), choices=choices((t.value, t.label) for t in AgencyType))
    region_id = SelectField(_l("Region"), coerce=int)
    is_active = BooleanField(_l("Active"), default=True)
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.region_id.choices = choices(
            [(0, _l("All of Kosovo"))] + [(r.id, r.name) for r in active_regions()]
        )


class RegionForm(FlaskForm):
    """Create or edit a region."""

    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40)])
    name_sq = StringField(_l("Name in Albanian"), validators=[DataRequired(), Length(max=100)])
    name_sr = StringField(_l("Name in Serbian"), validators=[DataRequired(), Length(max=100)])
    is_active = BooleanField(_l("Active"), default=True)
    submit = SubmitField(_l("Save"))


class ImportForm(FlaskForm):
    """Upload a participants CSV."""

    file = FileField(
        _l("CSV file"),
        validators=[
            FileRequired(_l("Choose a file.")),
            FileAllowed(["csv", "txt"], _l("Upload a .csv file.")),
        ],
    )
    course_id = SelectField(_l("Enrol them in"), coerce=int)
    submit = SubmitField(_l("Import"))

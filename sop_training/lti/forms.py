"""The platform registration form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import Length

from ..accounts.forms import AgencyRegionMixin, fill_agency_region


class PlatformForm(FlaskForm):
    """Register or edit an LMS platform; the service checks the values."""

    name = StringField(_l("Name"), validators=[Length(max=200)])
    issuer = StringField(_l("Issuer"), validators=[Length(max=300)])
    client_id = StringField(_l("Client ID"), validators=[Length(max=300)])
    deployment_ids = TextAreaField(_l("Deployment IDs, one per line"))
    auth_login_url = StringField(_l("OIDC login URL"), validators=[Length(max=500)])
    auth_token_url = StringField(_l("Access token URL"), validators=[Length(max=500)])
    key_set_url = StringField(_l("Key set URL"), validators=[Length(max=500)])
    is_active = BooleanField(_l("Active"), default=True)


class WelcomeForm(AgencyRegionMixin, FlaskForm):
    """Asked once after the first launch: where the person works."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fill_agency_region(self)

"""Forms for verification, certificate language, revocation and reissue."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..accounts.forms import choices
from ..i18n import LANGUAGE_NAMES


class VerifyForm(FlaskForm):
    """Look up a certificate by the code printed on it."""

    class Meta:
        # A public, read-only look-up: it changes nothing, so it needs no CSRF token.
        csrf = False

    code = StringField(
        _l("Verification code"),
        validators=[DataRequired(message=_l("Enter the code printed on the certificate."))],
    )


class LanguageForm(FlaskForm):
    """Choose the language a certificate is printed in."""

    locale = SelectField(_l("Language"), choices=choices(LANGUAGE_NAMES.items()))
    is_bilingual = BooleanField(_l("Also print the English text"))


class RevokeForm(FlaskForm):
    """Withdraw a certificate, with the reason shown to verifiers."""

    reason = TextAreaField(
        _l("Reason"),
        validators=[
            DataRequired(message=_l("Give the reason for revoking this certificate.")),
            Length(max=500),
        ],
    )


class ReissueForm(FlaskForm):
    """Replace a certificate after correcting the holder's name."""

    holder_name = StringField(
        _l("Holder's name as it should be printed"),
        validators=[
            DataRequired(message=_l("Enter the holder's corrected name.")),
            Length(max=200),
        ],
    )

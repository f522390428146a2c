"""Emails about accounts: password reset and invitations."""

from flask import render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from ..mail import send_mail
from .models import User
from .services import make_password_token


def send_password_reset(user: User) -> None:
    """Email a reset link, in the user's language."""
    with force_locale(user.locale):
        link = url_for("accounts.reset_password", token=make_password_token(user), _external=True)
        body = render_template("accounts/email_reset.txt", user=user, link=link)
        send_mail(user.email, _("Reset your SOP Training password"), body)


def send_invitation(user: User, invited_by: User) -> None:
    """Email an invitation to set a password, in the inviter's language."""
    with force_locale(invited_by.locale):
        token = make_password_token(user, "invite")
        link = url_for("accounts.accept_invitation", token=token, _external=True)
        body = render_template("accounts/email_invite.txt", user=user, link=link, by=invited_by)
        send_mail(user.email, _("You are invited to SOP Training"), body)

"""Register, log in and out, passwords and profile."""

import logging

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import db, limiter
from . import services
from .forms import (
    ChangePasswordForm,
    LoginForm,
    ProfileForm,
    RegisterForm,
    ResetRequestForm,
    SetPasswordForm,
)
from .models import Agency, Region
from .notifications import send_password_reset

logger = logging.getLogger(__name__)
bp = Blueprint("accounts", __name__, url_prefix="/accounts")


def _safe_next(default: str) -> str:
    target = request.args.get("next", "")
    # Only local paths: an absolute or protocol-relative URL would be an open redirect.
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default


@bp.route("/register", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("courses.home"))
    form = RegisterForm(locale=request.args.get("lang") or None)
    if form.validate_on_submit():
        try:
            user = services.create_user(
                email=form.email.data,
                full_name=form.full_name.data,
                password=form.password.data,
                agency=db.session.get(Agency, form.agency_id.data),
                region=db.session.get(Region, form.region_id.data),
                position=form.position.data or "",
                locale=form.locale.data,
            )
        except services.AccountError as exc:
            form.email.errors.append(str(exc))
        else:
            db.session.commit()
            login_user(user)
            flash(_("Welcome, %(name)s. Your account is ready.", name=user.full_name), "success")
            return redirect(url_for("courses.catalogue"))
    return render_template("accounts/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(_safe_next(url_for("courses.home")))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            flash(_("Wrong email or password."), "error")
        else:
            login_user(user, remember=form.remember.data)
            db.session.commit()
            return redirect(_safe_next(url_for("courses.home")))
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current.data, form.password.data)
        except services.AccountError as exc:
            form.current.errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/change_password.html", form=form)


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def request_reset():
    form = ResetRequestForm()
    if form.validate_on_submit():
        user = services.find_user_by_email(form.email.data)
        if user is not None and user.is_active:
            send_password_reset(user)
        # The same answer whether or not the address has an account.
        flash(_("If an account uses this address, a reset link is on its way."), "info")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/request_reset.html", form=form)


def _set_password_page(token: str, purpose: str, template: str):
    try:
        user = services.user_from_password_token(token, purpose)
    except services.AccountError as exc:
        flash(str(exc), "error")
        return redirect(url_for("accounts.request_reset"))
    form = SetPasswordForm()
    if form.validate_on_submit():
        services.set_password_from_token(token, form.password.data, purpose)
        db.session.commit()
        login_user(user)
        flash(_("Your password is set."), "success")
        return redirect(url_for("courses.home"))
    return render_template(template, form=form, user=user)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token):
    return _set_password_page(token, "reset", "accounts/reset_password.html")


@bp.route("/invite/<token>", methods=["GET", "POST"])
def accept_invitation(token):
    return _set_password_page(token, "invite", "accounts/accept_invitation.html")


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        form.populate_obj(current_user)
        db.session.commit()
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("accounts.profile"))
    return render_template("accounts/profile.html", form=form)

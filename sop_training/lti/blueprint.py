"""The LTI blueprint, shared by the set-up, launch and LMS-roster pages."""

from flask import Blueprint, render_template

bp = Blueprint("lti", __name__, url_prefix="/lti")


def refused(message: str):
    """Answer a refused LTI request with a page that says why (HTTP 400)."""
    return render_template("lti/error.html", message=message), 400

"""Security headers on every response."""

from functools import wraps

from flask import Flask, g, has_request_context, request, session
from flask.sessions import SecureCookieSessionInterface

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'{targets}; frame-ancestors {ancestors}"
)


def allow_form_target(origin: str) -> None:
    """Let this response's forms post to ``origin`` too (an LMS's deep-linking return)."""
    g.form_targets = [*g.get("form_targets", []), origin]


def allow_framing(view):
    """Let an LMS show this view in an iframe (LTI launch pages only)."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        g.allow_framing = True
        return view(*args, **kwargs)

    return wrapped


def set_security_headers(response):
    """Add CSP without inline script, nosniff, referrer and framing rules."""
    framed = g.get("allow_framing", False)
    targets = "".join(" " + origin for origin in g.get("form_targets", []))
    response.headers.setdefault(
        "Content-Security-Policy",
        CSP.format(ancestors="*" if framed else "'none'", targets=targets),
    )
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if not framed:
        response.headers.setdefault("X-Frame-Options", "DENY")
    return response


class FramedSessionInterface(SecureCookieSessionInterface):
    """Signed-cookie sessions; a session begun by an LMS launch works inside the LMS's frame.

    Browsers send a cookie to a site framed by another site only when it is
    ``SameSite=None; Secure``, which needs HTTPS. Only sessions marked ``lti_framed`` (set at
    launch) get those attributes; everyone else keeps ``SameSite=Lax``.
    """

    @staticmethod
    def _framed() -> bool:
        return has_request_context() and request.is_secure and bool(session.get("lti_framed"))

    def get_cookie_samesite(self, app):
        return "None" if self._framed() else super().get_cookie_samesite(app)

    def get_cookie_secure(self, app):
        return True if self._framed() else super().get_cookie_secure(app)


def init_security(app: Flask) -> None:
    """Register the response hook and the session cookie rules."""
    app.after_request(set_security_headers)
    app.session_interface = FramedSessionInterface()

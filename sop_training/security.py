"""Security headers on every response."""

from functools import wraps

from flask import Flask, g

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


def init_security(app: Flask) -> None:
    """Register the response hook."""
    app.after_request(set_security_headers)

"""Open Badges 2.0 documents (hosted verification) for certificates."""

import hashlib
from datetime import datetime

CONTEXT = "https://w3id.org/openbadges/v2"


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def hashed_identity(email: str, salt: str) -> dict:
    """Return a recipient object that proves the email without publishing it."""
    digest = hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()
    return {"type": "email", "hashed": True, "salt": salt, "identity": f"sha256${digest}"}


def issuer_profile(url: str, name: str, homepage: str, email: str) -> dict:
    """Return the issuer Profile document."""
    return {
        "@context": CONTEXT,
        "type": "Issuer",
        "id": url,
        "name": name,
        "url": homepage,
        "email": email,
    }


def badge_class(url: str, name: str, description: str, image: str, criteria: str, issuer: str):
    """Return the BadgeClass document of one course."""
    return {
        "@context": CONTEXT,
        "type": "BadgeClass",
        "id": url,
        "name": name,
        "description": description,
        "image": image,
        "criteria": {
            "id": criteria,
            "narrative": "Complete the course's lessons and pass its quiz.",
        },
        "issuer": issuer,
    }


def assertion(
    url: str,
    badge: str,
    email: str,
    salt: str,
    issued_at: datetime,
    expires_at: datetime,
    evidence: str,
) -> dict:
    """Return the Assertion of one certificate, verified by fetching ``url`` (hosted)."""
    return {
        "@context": CONTEXT,
        "type": "Assertion",
        "id": url,
        "recipient": hashed_identity(email, salt),
        "badge": badge,
        "verification": {"type": "HostedBadge"},
        "issuedOn": _iso(issued_at),
        "expires": _iso(expires_at),
        "evidence": evidence,
    }


def revoked_assertion(url: str, reason: str) -> dict:
    """Return what a revoked assertion's URL answers (with HTTP 410)."""
    return {
        "@context": CONTEXT,
        "type": "Assertion",
        "id": url,
        "revoked": True,
        "revocationReason": reason,
    }

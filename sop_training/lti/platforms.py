"""Registering LMS platforms: validation that names each problem, and look-ups."""

import logging
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask_babel import gettext as _

from ..errors import DomainError
from ..extensions import db
from .models import LtiPlatform

logger = logging.getLogger(__name__)
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class PlatformError(DomainError):
    """A platform registration was refused; ``problems`` lists every reason."""

    def __init__(self, problems: list[str]):
        super().__init__(" ".join(problems))
        self.problems = problems


@dataclass
class PlatformData:
    """What an administrator enters to register a platform."""

    name: str
    issuer: str
    client_id: str
    auth_login_url: str
    auth_token_url: str
    deployment_ids: list[str] = field(default_factory=list)
    key_set_url: str | None = None
    key_set: dict | None = None
    auth_audience: str | None = None


def _secure_url(value: str) -> bool:
    parts = urlsplit(value or "")
    if parts.scheme == "https" and parts.netloc:
        return True
    return parts.scheme == "http" and parts.hostname in LOOPBACK


def check(data: PlatformData) -> list[str]:
    """Return every problem with ``data`` (empty when it can be saved)."""
    problems = []
    for label, value in ((_("Name"), data.name), (_("Client ID"), data.client_id)):
        if not (value or "").strip():
            problems.append(_("%(field)s is required.", field=label))
    for label, value in (
        (_("Issuer"), data.issuer),
        (_("OIDC login URL"), data.auth_login_url),
        (_("Access token URL"), data.auth_token_url),
    ):
        if not _secure_url(value):
            problems.append(_("%(field)s must be an https:// address.", field=label))
    if data.key_set_url and not _secure_url(data.key_set_url):
        problems.append(_("%(field)s must be an https:// address.", field=_("Key set URL")))
    if not data.key_set_url and not data.key_set:
        problems.append(_("Give the platform's key set URL (or its keys)."))
    if not [d for d in data.deployment_ids if d.strip()]:
        problems.append(_("Give at least one deployment ID."))
    return problems


def save_platform(data: PlatformData, platform: LtiPlatform | None = None) -> LtiPlatform:
    """Create or update a platform; refuse with every problem found, saving nothing."""
    problems = check(data)
    duplicate = db.session.scalar(
        sa.select(LtiPlatform).where(
            LtiPlatform.issuer == data.issuer.strip(),
            LtiPlatform.client_id == data.client_id.strip(),
        )
    )
    if duplicate is not None and duplicate is not platform:
        problems.append(_("This issuer and client ID are already registered."))
    if problems:
        raise PlatformError(problems)
    platform = platform or LtiPlatform()
    platform.name = data.name.strip()
    platform.issuer = data.issuer.strip()
    platform.client_id = data.client_id.strip()
    platform.auth_login_url = data.auth_login_url.strip()
    platform.auth_token_url = data.auth_token_url.strip()
    platform.deployment_ids = [d.strip() for d in data.deployment_ids if d.strip()]
    platform.key_set_url = (data.key_set_url or "").strip() or None
    platform.key_set = data.key_set
    platform.auth_audience = data.auth_audience
    if platform.id is None:
        db.session.add(platform)
    db.session.flush()
    logger.info("LTI platform %s saved (%s)", platform.id, platform.issuer)
    return platform


def all_platforms() -> list[LtiPlatform]:
    """Return every registered platform, by name."""
    return list(db.session.scalars(sa.select(LtiPlatform).order_by(LtiPlatform.name)))


def tool_configuration(platforms: list[LtiPlatform]) -> dict:
    """Return pylti1p3's configuration dictionary for the active platforms."""
    config: dict = {}
    for platform in platforms:
        if not platform.is_active:
            continue
        config.setdefault(platform.issuer, []).append(
            {
                "default": not config.get(platform.issuer),
                "client_id": platform.client_id,
                "auth_login_url": platform.auth_login_url,
                "auth_token_url": platform.auth_token_url,
                "auth_audience": platform.auth_audience,
                "key_set_url": platform.key_set_url,
                "key_set": platform.key_set,
                "deployment_ids": list(platform.deployment_ids),
            }
        )
    return config

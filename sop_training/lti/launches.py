"""LTI 1.3 launches: pylti1p3 validation, replay guard, account linking, role mapping."""

import hashlib
import logging
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from pylti1p3.contrib.flask import FlaskMessageLaunch, FlaskOIDCLogin, FlaskRequest
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.exception import LtiException
from pylti1p3.tool_config import ToolConfDict
from sqlalchemy.exc import IntegrityError

from ..accounts.models import Role, User
from ..accounts.services import find_user_by_email, normalise_email
from ..errors import DomainError
from ..extensions import db
from . import keys, platforms
from .models import LtiAccount, LtiPlatform, LtiUsedNonce
from .storage import DatabaseLaunchStorage

logger = logging.getLogger(__name__)

LIS = "http://purl.imsglobal.org/vocab/lis/v2/"
#: LMS roles, most powerful first, and the role each becomes here.
ROLE_MAP = [
    (LIS + "institution/person#Administrator", Role.ADMIN),
    (LIS + "system/person#Administrator", Role.ADMIN),
    (LIS + "membership#Administrator", Role.ADMIN),
    (LIS + "membership#Instructor", Role.TRAINER),
    (LIS + "institution/person#Instructor", Role.TRAINER),
    (LIS + "membership#Learner", Role.TRAINEE),
]
CUSTOM = "https://purl.imsglobal.org/spec/lti/claim/custom"
DEEP_LINKING = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"


class LaunchError(DomainError):
    """A launch was refused; the message says why in words an LMS user can pass on."""


def tool_configuration() -> ToolConfDict:
    """Return pylti1p3's view of the registered platforms, signed with the tool's key."""
    active = [p for p in platforms.all_platforms() if p.is_active]
    config = ToolConfDict(platforms.tool_configuration(active))
    key = keys.current_key()
    pem = keys.private_pem(key)
    public = keys.public_pem(key)
    for platform in active:
        config.set_private_key(platform.issuer, pem, client_id=platform.client_id)
        config.set_public_key(platform.issuer, public, client_id=platform.client_id)
    return config


def registration_of(platform: LtiPlatform):
    """Return pylti1p3's registration of ``platform``, with the tool's keys, for services."""
    return tool_configuration().find_registration_by_params(platform.issuer, platform.client_id)


def storage() -> DatabaseLaunchStorage:
    """Return the launch-data storage shared by all workers."""
    return DatabaseLaunchStorage()


def login_redirect(target_link_uri: str):
    """Answer an OIDC login initiation with the redirect to the platform's authorisation."""
    login = FlaskOIDCLogin(FlaskRequest(), tool_configuration(), launch_data_storage=storage())
    try:
        return login.redirect(target_link_uri)
    except LtiException as exc:
        raise LaunchError(_("This LMS could not start a launch: %(reason)s", reason=exc)) from exc


@dataclass
class Launch:
    """A validated launch: who, from where, and what they asked for."""

    issuer: str
    subject: str
    claims: dict
    launch_id: str
    is_deep_link: bool = False

    @property
    def custom(self) -> dict:
        return self.claims.get(CUSTOM) or {}

    @property
    def roles(self) -> list[str]:
        return self.claims.get("https://purl.imsglobal.org/spec/lti/claim/roles") or []


def validate_launch() -> Launch:
    """Validate the launch request (signature, issuer, audience, deployment, nonce, state)."""
    message = FlaskMessageLaunch(
        FlaskRequest(), tool_configuration(), launch_data_storage=storage()
    )
    try:
        claims = message.get_launch_data()
    except LtiException as exc:
        raise LaunchError(_("The launch was rejected: %(reason)s", reason=exc)) from exc
    except Exception as exc:  # jwt and key errors surface as several exception types
        logger.warning("LTI launch rejected: %r", exc)
        raise LaunchError(_("The launch was rejected: its token could not be verified.")) from exc
    launch = Launch(
        claims["iss"],
        claims["sub"],
        claims,
        message.get_launch_id(),
        message.is_deep_link_launch(),
    )
    _use_nonce(launch)
    return launch


def deep_link_response(launch_id: str, items: list[dict]) -> tuple[str, str]:
    """Return the deep-linking return URL and the signed JWT naming the chosen ``items``.

    Each item has ``title``, ``url`` and ``custom`` (the parameters a later launch carries).
    """
    message = FlaskMessageLaunch.from_cache(
        launch_id, FlaskRequest(), tool_configuration(), launch_data_storage=storage()
    )
    if not message.is_deep_link_launch():
        raise LaunchError(_("This launch did not ask for content to be chosen."))
    resources = [
        DeepLinkResource()
        .set_url(item["url"])
        .set_title(item["title"])
        .set_custom_params(item["custom"])
        for item in items
    ]
    deep_link = message.get_deep_link()
    settings = message.get_launch_data()[DEEP_LINKING]
    return settings["deep_link_return_url"], deep_link.get_response_jwt(resources)


def _use_nonce(launch: Launch) -> None:
    try:
        with db.session.begin_nested():
            db.session.add(LtiUsedNonce(issuer=launch.issuer, nonce=launch.claims["nonce"]))
    except IntegrityError:
        raise LaunchError(
            _("This launch was already used; start it again from your LMS.")
        ) from None


def mapped_role(roles: list[str]) -> Role:
    """Return our role for the LMS roles (the most powerful one wins; default trainee)."""
    for lms_role, ours in ROLE_MAP:
        if lms_role in roles:
            return ours
    return Role.TRAINEE


def account_for(launch: Launch) -> tuple[User, bool]:
    """Return the local account linked to the platform user, creating it on first launch."""
    return link_account(launch.issuer, launch.subject, launch.claims, launch.roles)


def link_account(issuer: str, subject: str, claims: dict, roles: list[str]) -> tuple[User, bool]:
    """Return the account linked to (issuer, subject), creating and linking one if needed."""
    link = db.session.scalar(
        sa.select(LtiAccount).where(LtiAccount.issuer == issuer, LtiAccount.subject == subject)
    )
    if link is not None:
        return db.session.get(User, link.user_id), False
    email = normalise_email(claims.get("email") or "")
    if not email or find_user_by_email(email) is not None:
        # Never take over an existing account on the LMS's word: make a separate one.
        digest = hashlib.sha256(f"{issuer} {subject}".encode()).hexdigest()[:16]
        email = f"lti-{digest}@lti.sop-training.local"
    name = claims.get("name") or " ".join(
        p for p in (claims.get("given_name"), claims.get("family_name")) if p
    )
    user = User(
        email=email,
        full_name=(name or _("LMS user")).strip()[:200],
        role=mapped_role(roles),
        locale=_locale(claims.get("locale")),
    )
    db.session.add(user)
    db.session.flush()
    db.session.add(LtiAccount(issuer=issuer, subject=subject, user_id=user.id))
    db.session.flush()
    logger.info("LTI user from %s linked to new user %s", issuer, user.id)
    return user, True


def _locale(value: str | None) -> str:
    code = (value or "en").split("-")[0].split("_")[0].lower()
    return code if code in ("en", "sq", "sr") else "en"


def platform_of(launch: Launch) -> LtiPlatform | None:
    """Return the registration the launch came through."""
    audience = launch.claims.get("aud")
    client_id = audience[0] if isinstance(audience, list) else audience
    return db.session.scalar(
        sa.select(LtiPlatform).where(
            LtiPlatform.issuer == launch.issuer, LtiPlatform.client_id == client_id
        )
    )

"""Names and Role Provisioning: bring an LMS course's learners into a regional session."""

import logging

import sqlalchemy as sa
from pylti1p3.exception import LtiServiceException
from pylti1p3.names_roles import NamesRolesProvisioningService
from pylti1p3.service_connector import ServiceConnector
from requests import RequestException

from ..accounts.models import User
from ..extensions import db
from .launches import LaunchError, link_account, registration_of
from .models import LtiLaunchContext, LtiPlatform

logger = logging.getLogger(__name__)
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"


def roster_source(user: User) -> LtiLaunchContext | None:
    """Return the user's latest launch that can list its LMS course's members."""
    return db.session.scalar(
        sa.select(LtiLaunchContext)
        .where(LtiLaunchContext.user_id == user.id, LtiLaunchContext.memberships_url.is_not(None))
        .order_by(LtiLaunchContext.launched_at.desc())
        .limit(1)
    )


def _is_learner(member: dict) -> bool:
    roles = member.get("roles") or []
    return any(role in (LEARNER, "Learner") or role.endswith("#Learner") for role in roles)


def lms_learners(context: LtiLaunchContext) -> list[User]:
    """Fetch the LMS course's active learners and return their (linked) accounts here."""
    platform = db.session.get(LtiPlatform, context.platform_id)
    service = NamesRolesProvisioningService(
        ServiceConnector(registration_of(platform)),
        {"context_memberships_url": context.memberships_url},
    )
    try:
        members = service.get_members()
    except (LtiServiceException, RequestException) as exc:
        logger.warning("Roster of %s not read: %s", platform.issuer, exc)
        raise LaunchError(str(exc)) from exc
    users = []
    for member in members:
        if member.get("status", "Active") != "Active" or not _is_learner(member):
            continue
        user, _created = link_account(platform.issuer, member["user_id"], member, [LEARNER])
        users.append(user)
    return users

"""LTI Dynamic Registration: an LMS administrator registers the tool by pasting one URL.

The LMS opens ``/lti/register`` with its OpenID configuration URL and a one-time registration
token; the tool reads the configuration, registers itself as a client and records the
platform. A platform registered this way stays inactive until an SOP Training administrator
activates it, so nobody can make themselves a platform (and so an administrator) unseen.
"""

import logging

import requests
from flask_babel import gettext as _

from .launches import LaunchError
from .models import LtiPlatform
from .platforms import PlatformData, PlatformError, save_platform

logger = logging.getLogger(__name__)
TOOL_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-tool-configuration"
PLATFORM_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-platform-configuration"
SCOPES = " ".join(
    [
        "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
        "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
        "https://purl.imsglobal.org/spec/lti-ags/scope/score",
        "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly",
    ]
)
TIMEOUT = 15


def client_metadata(urls: dict, domain: str) -> dict:
    """Return the registration request describing this tool (LTI Dynamic Registration)."""
    return {
        "application_type": "web",
        "response_types": ["id_token"],
        "grant_types": ["implicit", "client_credentials"],
        "initiate_login_uri": urls["login"],
        "redirect_uris": [urls["launch"]],
        "client_name": "SOP Training",
        "jwks_uri": urls["jwks"],
        "token_endpoint_auth_method": "private_key_jwt",
        "scope": SCOPES,
        TOOL_CONFIGURATION: {
            "domain": domain,
            "target_link_uri": urls["launch"],
            "claims": ["iss", "sub", "name", "given_name", "family_name", "email", "locale"],
            "messages": [
                {"type": "LtiResourceLinkRequest"},
                {"type": "LtiDeepLinkingRequest", "target_link_uri": urls["launch"]},
            ],
        },
    }


def _get_json(response: requests.Response, refused: str, unreadable: str) -> dict:
    if not response.ok:
        raise LaunchError(f"{refused} (HTTP {response.status_code})")
    try:
        return response.json()
    except ValueError:
        raise LaunchError(unreadable) from None


def register(configuration_url: str, token: str | None, urls: dict, domain: str) -> LtiPlatform:
    """Read the platform's configuration, register this tool with it, record the platform."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        config = _get_json(
            requests.get(configuration_url, headers=headers, timeout=TIMEOUT),
            _("The LMS refused to send its configuration."),
            _("The LMS sent a configuration that cannot be read."),
        )
        endpoint = config.get("registration_endpoint")
        if not endpoint:
            raise LaunchError(_("The LMS configuration names no registration endpoint."))
        client = _get_json(
            requests.post(
                endpoint, json=client_metadata(urls, domain), headers=headers, timeout=TIMEOUT
            ),
            _("The LMS refused the registration."),
            _("The LMS answered the registration with something that cannot be read."),
        )
    except requests.RequestException as exc:
        raise LaunchError(_("The LMS could not be reached: %(reason)s", reason=exc)) from exc
    tool = client.get(TOOL_CONFIGURATION) or {}
    platform_info = config.get(PLATFORM_CONFIGURATION) or {}
    data = PlatformData(
        name=platform_info.get("product_family_code") or config.get("issuer", "LMS"),
        issuer=config.get("issuer", ""),
        client_id=str(client.get("client_id", "")),
        auth_login_url=config.get("authorization_endpoint", ""),
        auth_token_url=config.get("token_endpoint", ""),
        deployment_ids=[str(tool["deployment_id"])] if tool.get("deployment_id") else [],
        key_set_url=config.get("jwks_uri"),
    )
    try:
        platform = save_platform(data)
    except PlatformError as exc:
        raise LaunchError(" ".join(exc.problems)) from exc
    platform.is_active = False
    logger.info("LTI platform %s registered itself; waiting for an administrator", data.issuer)
    return platform

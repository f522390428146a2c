"""LTI set-up pages: the tool's key set, its configuration for LMS admins, platform admin."""

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..auth import role_required
from ..extensions import db
from ..security import allow_framing
from . import keys, launches, platforms
from .blueprint import bp, refused
from .forms import PlatformForm
from .models import LtiPlatform


@bp.route("/jwks.json")
def jwks():
    published = keys.published_keys()
    db.session.commit()  # the first request creates the key
    response = jsonify(published)
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


def tool_urls() -> dict:
    """Return the addresses an LMS administrator enters for this tool."""
    return {
        "login": url_for("lti.login", _external=True),
        "launch": url_for("lti.launch", _external=True),
        "jwks": url_for("lti.jwks", _external=True),
        "deep_linking": url_for("lti.launch", _external=True),
        "domain": request.host,
    }


def canvas_configuration(urls: dict) -> dict:
    """Return the JSON a Canvas administrator pastes when adding a developer key."""
    return {
        "title": "SOP Training",
        "description": "Training on the Standard Operating Procedures for victims of trafficking.",
        "oidc_initiation_url": urls["login"],
        "target_link_uri": urls["launch"],
        "public_jwk_url": urls["jwks"],
        "scopes": [
            "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
            "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
            "https://purl.imsglobal.org/spec/lti-ags/scope/score",
            "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly",
        ],
        "extensions": [
            {
                "platform": "canvas.instructure.com",
                "privacy_level": "public",
                "domain": urls["domain"],
                "settings": {
                    "placements": [
                        {
                            "placement": "link_selection",
                            "message_type": "LtiDeepLinkingRequest",
                            "target_link_uri": urls["deep_linking"],
                        },
                        {
                            "placement": "assignment_selection",
                            "message_type": "LtiDeepLinkingRequest",
                            "target_link_uri": urls["deep_linking"],
                        },
                    ]
                },
            }
        ],
        "custom_fields": {},
    }


@bp.route("/register")
@allow_framing
def dynamic_registration():
    from .dynamic_registration import register

    configuration_url = request.args.get("openid_configuration", "")
    if not configuration_url:
        return refused(_("Paste this address into your LMS's tool registration, not a browser."))
    try:
        platform = register(
            configuration_url,
            request.args.get("registration_token"),
            tool_urls(),
            request.host,
        )
    except launches.LaunchError as exc:
        db.session.rollback()
        return refused(str(exc))
    db.session.commit()
    return render_template("lti/registered.html", platform=platform)


@bp.route("/config")
@role_required()
def configuration():
    urls = tool_urls()
    return render_template(
        "lti/configuration.html",
        urls=urls,
        canvas=canvas_configuration(urls),
        platforms=platforms.all_platforms(),
    )


@bp.route("/platforms/new", methods=["GET", "POST"], defaults={"platform_id": None})
@bp.route("/platforms/<int:platform_id>", methods=["GET", "POST"])
@role_required()
def platform(platform_id):
    existing = db.get_or_404(LtiPlatform, platform_id) if platform_id else None
    form = PlatformForm(obj=existing)
    if existing and request.method == "GET":
        form.deployment_ids.data = "\n".join(existing.deployment_ids)
    problems = []
    if form.validate_on_submit():
        data = platforms.PlatformData(
            name=form.name.data or "",
            issuer=form.issuer.data or "",
            client_id=form.client_id.data or "",
            auth_login_url=form.auth_login_url.data or "",
            auth_token_url=form.auth_token_url.data or "",
            deployment_ids=(form.deployment_ids.data or "").splitlines(),
            key_set_url=form.key_set_url.data or None,
        )
        try:
            saved = platforms.save_platform(data, existing)
        except platforms.PlatformError as exc:
            db.session.rollback()
            problems = exc.problems
        else:
            saved.is_active = form.is_active.data
            db.session.commit()
            flash(_("Platform %(name)s saved.", name=saved.name), "success")
            return redirect(url_for(".configuration"))
    return render_template("lti/platform.html", form=form, platform=existing, problems=problems)

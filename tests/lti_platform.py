"""A real LTI 1.3 platform for tests, built on lti1p3platform, driving the tool's endpoints."""

import threading
from urllib.parse import parse_qs, urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Flask, jsonify, request
from lti1p3platform.ltiplatform import LTI1P3PlatformConfAbstract
from lti1p3platform.message_launch import LTIAdvantageMessageLaunchAbstract
from lti1p3platform.oidc_login import OIDCLoginAbstract
from lti1p3platform.registration import Registration
from werkzeug.serving import make_server

from sop_training.lti import platforms

ISSUER = "https://lms.example.org"
CLIENT_ID = "sop-training-client"
DEPLOYMENT = "deployment-1"
LIS = "http://purl.imsglobal.org/vocab/lis/v2/"
LEARNER = [LIS + "membership#Learner"]
INSTRUCTOR = [LIS + "membership#Instructor"]


def new_private_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def public_of(private_pem: str) -> str:
    key = serialization.load_pem_private_key(private_pem.encode(), password=None)
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


class PlatformConf(LTI1P3PlatformConfAbstract):
    """The platform's side of the registration."""

    def init_platform_config(self, registration=None, **kwargs):
        self._registration = registration

    def get_registration_by_params(self, **kwargs):
        return self._registration


class Login(OIDCLoginAbstract):
    def set_lti_message_hint(self, **kwargs):
        self._lti_message_hint = kwargs.get("hint", "resource-1")

    def get_redirect(self, url):
        return url


class Launch(LTIAdvantageMessageLaunchAbstract):
    def render_launch_form(self, launch_data, **kwargs):
        return launch_data


class _Request:
    """The part of a request lti1p3platform reads: the tool's authorisation parameters."""

    def __init__(self, data: dict):
        self.get_data, self.form_data = data, None


class LmsPlatform:
    """One LMS: its keys, its registration of the tool, and launches into the tool."""

    def __init__(self, tool_base: str, tool_jwks: dict, private_key: str | None = None):
        self.private_key = private_key or new_private_key()
        self.registration = (
            Registration()
            .set_iss(ISSUER)
            .set_client_id(CLIENT_ID)
            .set_deployment_id(DEPLOYMENT)
            .set_oidc_login_url(f"{tool_base}/lti/login")
            .set_launch_url(f"{tool_base}/lti/launch")
            .set_platform_public_key(public_of(self.private_key))
            .set_platform_private_key(self.private_key)
            # lti1p3platform will not fetch key sets from loopback: give the tool's keys inline.
            .set_tool_key_set(tool_jwks)
        )
        self.conf = PlatformConf(registration=self.registration)

    def key_set(self) -> dict:
        """Return the platform's public keys, as registered with the tool."""
        return {"keys": self.registration.get_jwks()}

    def register_with_tool(self, deployment_ids=(DEPLOYMENT,), token_url=None):
        """Register this platform in the tool's database (as an admin would)."""
        return platforms.save_platform(
            platforms.PlatformData(
                name="Test LMS",
                issuer=ISSUER,
                client_id=CLIENT_ID,
                auth_login_url=f"{ISSUER}/auth",
                auth_token_url=token_url or f"{ISSUER}/token",
                deployment_ids=list(deployment_ids),
                key_set=self.key_set(),
            )
        )

    def login_url(self, user_id: str) -> str:
        """Return the OIDC login initiation URL the platform sends the browser to."""
        login = Login(None, self.conf)
        login.set_lti_message_hint(hint="resource-1")
        return login.prepare_preflight_url(user_id)

    def launch(
        self,
        preflight: dict,
        user_id: str,
        roles,
        custom=None,
        lineitem=None,
        deep_link_return=None,
        memberships=None,
        **claims,
    ) -> dict:
        """Answer the tool's authorisation request: return the form fields to post."""
        launch = Launch(_Request(preflight), self.conf)
        launch._registration = self.registration
        launch.set_user_data(
            user_id,
            roles,
            full_name=claims.pop("name", "Ardita Berisha"),
            email_address=claims.pop("email", "ardita@lms.example.org"),
        )
        launch.set_resource_link_claim("resource-1")
        if custom:
            launch.set_custom_parameters_claim(custom)
        if lineitem:
            launch.set_ags(lineitems_url=lineitem.rsplit("/", 1)[0], lineitem_url=lineitem)
        if memberships:
            launch.set_nrps(memberships)
            launch.set_launch_context_claim("course-1", context_title="SOP refresher, Prizren")
        if deep_link_return:
            self.registration.set_deeplink_launch_url(self.registration.get_launch_url())
            launch.set_dl(deep_link_return, title="Add content")
        if claims:
            launch.set_extra_claims(claims)
        return launch.generate_launch_request()


def authorisation_params(location: str) -> dict:
    """Return the query of the tool's redirect to the platform's authorisation endpoint."""
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


class GradebookServer:
    """The platform's token and score endpoints, served on loopback while a test runs."""

    def __init__(self, platform: "LmsPlatform"):
        self.platform = platform
        self.scores: list[dict] = []
        self.failing = False
        self.custom: dict = {}
        self.members: list[dict] = []
        self.registrations: list[dict] = []
        app = Flask("test-platform")

        @app.get("/auth")
        def auth():
            # The platform's authorisation endpoint: answer with the auto-posted launch.
            form = platform.launch(
                request.args.to_dict(), request.args["login_hint"], LEARNER, custom=self.custom
            )
            fields = "".join(
                f'<input type="hidden" name="{name}" value="{value}">'
                for name, value in form.items()
            )
            return (
                f'<form id="launch" method="post" action="{request.args["redirect_uri"]}">'
                f"{fields}</form><script>document.getElementById('launch').submit()</script>"
            )

        @app.get("/memberships")
        def memberships():
            bearer = request.headers.get("Authorization", "").removeprefix("Bearer ")
            scope = ["https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"]
            if not platform.conf.validate_token(bearer, allowed_scopes=scope):
                return jsonify(error="forbidden"), 403
            return jsonify(id=request.url, context={"id": "course-1"}, members=self.members)

        @app.get("/.well-known/openid-configuration")
        def openid_configuration():
            if request.headers.get("Authorization") != "Bearer one-time-token":
                return jsonify(error="forbidden"), 403
            return jsonify(
                issuer=ISSUER,
                authorization_endpoint=f"{self.base}/auth",
                token_endpoint=f"{self.base}/token",
                jwks_uri=f"{self.base}/jwks",
                registration_endpoint=f"{self.base}/register",
                **{
                    "https://purl.imsglobal.org/spec/lti-platform-configuration": {
                        "product_family_code": "moodle"
                    }
                },
            )

        @app.post("/register")
        def register():
            if request.headers.get("Authorization") != "Bearer one-time-token":
                return jsonify(error="forbidden"), 403
            self.registrations.append(request.get_json())
            tool = request.get_json()["https://purl.imsglobal.org/spec/lti-tool-configuration"]
            return jsonify(
                client_id="dyn-client-1",
                **{
                    "https://purl.imsglobal.org/spec/lti-tool-configuration": {
                        **tool,
                        "deployment_id": "7",
                    }
                },
            )

        @app.post("/token")
        def token():
            return jsonify(platform.conf.get_access_token(request.form.to_dict()))

        @app.post("/lineitems/<item>/lineitem/scores")
        def scores(item):
            if self.failing:
                return jsonify(error="unavailable"), 503
            bearer = request.headers.get("Authorization", "").removeprefix("Bearer ")
            scope = ["https://purl.imsglobal.org/spec/lti-ags/scope/score"]
            if not platform.conf.validate_token(bearer, allowed_scopes=scope):
                return jsonify(error="forbidden"), 403
            self.scores.append({"item": item, **request.get_json(force=True)})
            return "", 204

        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()

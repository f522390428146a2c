"""LTI set-up pages: the tool's key set, its configuration for LMS admins, platform admin."""

from urllib.parse import urlencode, urlsplit

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user

from ..accounts.models import Role
from ..auth import role_required
from ..courses.services import course_completed, list_courses
from ..extensions import csrf, db
from ..quizzes.services import attempt_finished
from ..security import allow_form_target, allow_framing
from . import grades, keys, launches, platforms
from .forms import PlatformForm, WelcomeForm
from .models import LtiPlatform

bp = Blueprint("lti", __name__, url_prefix="/lti")


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
        return _refused(_("Paste this address into your LMS's tool registration, not a browser."))
    try:
        platform = register(
            configuration_url,
            request.args.get("registration_token"),
            tool_urls(),
            request.host,
        )
    except launches.LaunchError as exc:
        db.session.rollback()
        return _refused(str(exc))
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


def _refused(message: str):
    return render_template("lti/error.html", message=message), 400


@bp.route("/login", methods=["GET", "POST"])
@csrf.exempt
@allow_framing
def login():
    target = request.values.get("target_link_uri", "")
    if not request.values.get("iss") or not target:
        return _refused(_("This address is for LMS launches; start from your LMS."))
    try:
        response = launches.login_redirect(target)
    except launches.LaunchError as exc:
        db.session.rollback()
        return _refused(str(exc))
    db.session.commit()  # the state and nonce must outlive this request
    if request.headers.get("Sec-Fetch-Dest") == "iframe":
        return _cookie_check(response)
    return response


def _cookie_check(redirect_response):
    """Inside an LMS frame, check that cookies get through before going on.

    When the browser blocks cookies in frames, the page offers the same launch in a new window.
    """
    new_window = (
        request.base_url + "?" + urlencode({**request.values.to_dict(), "lti1p3_new_window": "1"})
    )
    page = make_response(
        render_template(
            "lti/cookie_check.html",
            next_url=redirect_response.headers["Location"],
            new_window=new_window,
        )
    )
    for cookie in redirect_response.headers.getlist("Set-Cookie"):
        page.headers.add("Set-Cookie", cookie)
    return page


def _destination(launch: launches.Launch) -> str:
    custom = launch.custom
    if custom.get("quiz"):
        return url_for("quizzes.overview", slug=custom["quiz"])
    if custom.get("course"):
        return url_for("courses.course", slug=custom["course"])
    return url_for("courses.catalogue")


@bp.route("/launch", methods=["POST"])
@csrf.exempt
@allow_framing
def launch():
    try:
        found = launches.validate_launch()
    except launches.LaunchError as exc:
        db.session.rollback()
        return _refused(str(exc))
    user, _created = launches.account_for(found)
    if not user.is_active:
        db.session.commit()
        return _refused(_("Your account here is deactivated; ask an administrator."))
    if found.is_deep_link and user.role not in (Role.TRAINER, Role.ADMIN):
        db.session.commit()
        return _refused(_("Only instructors can choose content for the LMS."))
    platform = launches.platform_of(found)
    if not found.is_deep_link:
        grades.record_context(platform, user.id, found)
    login_user(user)
    session["lti_framed"] = True
    session.setdefault("lti_launches", [])
    session["lti_launches"] = [*session["lti_launches"][-4:], found.launch_id]
    db.session.commit()
    if found.is_deep_link:
        return redirect(url_for(".deep_link", launch_id=found.launch_id))
    # Scores the platform has not accepted yet go now that it is reachable again.
    grades.deliver(grades.pending(user_id=user.id))
    target = _destination(found)
    if user.agency_id is None or user.region_id is None:
        return redirect(url_for(".welcome", next=target))
    return redirect(target)


@bp.route("/welcome", methods=["GET", "POST"])
@login_required
@allow_framing
def welcome():
    form = WelcomeForm(obj=current_user)
    target = request.args.get("next", "")
    if not target.startswith("/") or target.startswith("//"):
        target = url_for("courses.home")
    if form.validate_on_submit():
        current_user.agency_id = form.agency_id.data
        current_user.region_id = form.region_id.data
        db.session.commit()
        return redirect(target)
    return render_template("lti/welcome.html", form=form)


def _choices() -> list[dict]:
    """Return what an instructor may place in the LMS: each course and each course's quiz."""
    items = []
    for course in list_courses():
        items.append(
            {
                "key": f"course:{course.slug}",
                "title": course.title,
                "custom": {"course": course.slug},
            }
        )
        if course.quiz_slug:
            title = _("Final quiz: %(title)s", title=course.title)
            items.append(
                {
                    "key": f"quiz:{course.quiz_slug}",
                    "title": title,
                    "custom": {"quiz": course.quiz_slug},
                }
            )
    return items


@bp.route("/deep-link/<launch_id>", methods=["GET", "POST"])
@login_required
@allow_framing
def deep_link(launch_id):
    if launch_id not in session.get("lti_launches", []):
        return _refused(_("This choice belongs to another launch; start again from your LMS."))
    items = _choices()
    if request.method == "POST":
        chosen = [i for i in items if i["key"] in request.form.getlist("item")]
        if not chosen:
            flash(_("Choose at least one course or quiz."), "error")
        else:
            for item in chosen:
                item["url"] = url_for(".launch", _external=True)
            try:
                return_url, token = launches.deep_link_response(launch_id, chosen)
            except launches.LaunchError as exc:
                return _refused(str(exc))
            db.session.commit()
            parts = urlsplit(return_url)
            allow_form_target(f"{parts.scheme}://{parts.netloc}")
            return render_template("lti/deep_link_return.html", url=return_url, token=token)
    return render_template("lti/deep_link.html", items=items)


@bp.route("/roster/<int:session_id>", methods=["POST"])
@role_required(Role.TRAINER)
def import_roster(session_id):
    from ..scheduling import notifications as session_notifications
    from ..scheduling import services as scheduling
    from ..scheduling.models import TrainingSession
    from . import roster

    training = db.get_or_404(TrainingSession, session_id)
    if not scheduling.may_manage(current_user, training):
        abort(403)
    source = roster.roster_source(current_user)
    if source is None:
        flash(_("Launch SOP Training from your LMS course first."), "error")
        return redirect(url_for("rosters.roster", session_id=session_id))
    try:
        learners = roster.lms_learners(source)
        added = scheduling.add_participants(training, learners)
    except (launches.LaunchError, scheduling.SchedulingError) as exc:
        db.session.rollback()
        flash(_("The LMS roster could not be read: %(reason)s", reason=exc), "error")
        return redirect(url_for("rosters.roster", session_id=session_id))
    db.session.commit()
    for registration in added:
        session_notifications.send_registration_notice(registration)
    flash(_("%(n)d people from your LMS course are on the roster.", n=len(added)), "success")
    return redirect(url_for("rosters.roster", session_id=session_id))


@bp.route("/group", methods=["POST"])
@role_required(Role.TRAINER)
def import_group():
    from ..accounts.models import Cohort
    from . import roster

    back = request.form.get("next", "")
    if not back.startswith("/") or back.startswith("//"):
        back = url_for("courses.home")
    source = roster.roster_source(current_user)
    if source is None:
        flash(_("Launch SOP Training from your LMS course first."), "error")
        return redirect(back)
    try:
        learners = roster.lms_learners(source)
    except launches.LaunchError as exc:
        db.session.rollback()
        flash(_("The LMS roster could not be read: %(reason)s", reason=exc), "error")
        return redirect(back)
    name = source.context_title or _("LMS course")
    cohort = Cohort(name=name, created_by_id=current_user.id, members=learners)
    db.session.add(cohort)
    db.session.commit()
    flash(
        _("Report group “%(name)s” saved with %(n)d people.", name=name, n=len(learners)),
        "success",
    )
    return redirect(back)


@bp.app_template_global()
def lms_roster_available() -> bool:
    """Whether the current trainer launched from an LMS course whose members can be read."""
    from .roster import roster_source

    return current_user.is_authenticated and roster_source(current_user) is not None


@attempt_finished.connect
def _queue_score(attempt) -> None:
    grades.queue_attempt(attempt)


@course_completed.connect
def _queue_completion(enrolment) -> None:
    from ..quizzes import services as quizzes

    quiz = quizzes.get_quiz(enrolment.course.quiz_slug) if enrolment.course.quiz_slug else None
    if quiz is None:
        return
    attempts = quizzes.in_cycle(
        quizzes.user_attempts(enrolment.user, quiz), enrolment.cycle_started_at
    )
    passed = [a for a in attempts if a.is_passed]
    best = max(passed, key=lambda a: (a.percent or 0, a.id), default=None)
    grades.queue_completion(enrolment, best)


@bp.after_app_request
def _send_queued_scores(response):
    """Post the scores this request queued, once its transaction has committed."""
    ids = g.pop("lti_scores", None)
    if ids:
        grades.deliver(grades.pending(ids=ids))
    return response

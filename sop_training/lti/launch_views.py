"""LTI launches: OIDC login, the launch itself, the first-launch questions, deep linking."""

from urllib.parse import urlencode, urlsplit

from flask import flash, make_response, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user

from ..accounts.models import Role
from ..courses.services import list_courses
from ..extensions import csrf, db
from ..security import allow_form_target, allow_framing
from . import grades, launches
from .blueprint import bp, refused
from .forms import WelcomeForm


@bp.route("/login", methods=["GET", "POST"])
@csrf.exempt
@allow_framing
def login():
    target = request.values.get("target_link_uri", "")
    if not request.values.get("iss") or not target:
        return refused(_("This address is for LMS launches; start from your LMS."))
    try:
        response = launches.login_redirect(target)
    except launches.LaunchError as exc:
        db.session.rollback()
        return refused(str(exc))
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
        return refused(str(exc))
    user, _created = launches.account_for(found)
    if not user.is_active:
        db.session.commit()
        return refused(_("Your account here is deactivated; ask an administrator."))
    if found.is_deep_link and user.role not in (Role.TRAINER, Role.ADMIN):
        db.session.commit()
        return refused(_("Only instructors can choose content for the LMS."))
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
        return refused(_("This choice belongs to another launch; start again from your LMS."))
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
                return refused(str(exc))
            db.session.commit()
            parts = urlsplit(return_url)
            allow_form_target(f"{parts.scheme}://{parts.netloc}")
            return render_template("lti/deep_link_return.html", url=return_url, token=token)
    return render_template("lti/deep_link.html", items=items)

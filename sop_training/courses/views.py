"""Home, catalogue, course pages, lessons and progress."""

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..accounts.models import AgencyType
from ..extensions import db
from . import services
from .glossary import load_glossary

bp = Blueprint("courses", __name__)


def _course_or_404(slug):
    return services.get_course(slug) or abort(404)


def _lesson_or_404(course, lesson_slug):
    for lesson in course.active_lessons:
        if lesson.slug == lesson_slug:
            return lesson
    abort(404)


@bp.route("/")
def home():
    if not current_user.is_authenticated:
        return render_template("courses/welcome.html", courses=services.list_courses())
    return render_template("courses/home.html", items=services.my_learning(current_user))


@bp.route("/courses/")
def catalogue():
    audience = request.args.get("audience") or None
    if audience and audience not in {t.value for t in AgencyType}:
        audience = None
    return render_template(
        "courses/catalogue.html",
        courses=services.list_courses(audience),
        audience=audience,
        audiences=list(AgencyType),
    )


@bp.route("/courses/<slug>")
def course(slug):
    course = _course_or_404(slug)
    enrolment = services.get_enrolment(current_user, course)
    return render_template(
        "courses/course.html",
        course=course,
        enrolment=enrolment,
        progress=services.progress_of(enrolment, course),
        done=enrolment.done_lesson_ids if enrolment else set(),
    )


@bp.route("/courses/<slug>/enrol", methods=["POST"])
@login_required
def enrol(slug):
    course = _course_or_404(slug)
    services.enroll(current_user, course)
    db.session.commit()
    flash(
        _("You are enrolled in “%(title)s”.", title=course.text("title", str(get_locale()))),
        "success",
    )
    return redirect(url_for("courses.resume", slug=slug))


@bp.route("/courses/<slug>/continue")
@login_required
def resume(slug):
    course = _course_or_404(slug)
    enrolment = services.get_enrolment(current_user, course)
    if enrolment is None:
        return redirect(url_for("courses.course", slug=slug))
    lesson = services.next_lesson(enrolment)
    if lesson is None:
        return redirect(url_for("courses.course", slug=slug))
    return redirect(url_for("courses.lesson", slug=slug, lesson_slug=lesson.slug))


@bp.route("/courses/<slug>/lessons/<lesson_slug>")
@login_required
def lesson(slug, lesson_slug):
    course = _course_or_404(slug)
    lesson = _lesson_or_404(course, lesson_slug)
    enrolment = services.get_enrolment(current_user, course)
    if enrolment is None:
        flash(_("Enrol in the course to read its lessons."), "info")
        return redirect(url_for("courses.course", slug=slug))
    services.open_lesson(enrolment, lesson)
    db.session.commit()
    lessons = course.active_lessons
    index = lessons.index(lesson)
    return render_template(
        "courses/lesson.html",
        course=course,
        lesson=lesson,
        content=lesson.localized(str(get_locale())),
        enrolment=enrolment,
        progress=services.progress_of(enrolment, course),
        is_done=lesson.id in enrolment.done_lesson_ids,
        previous=lessons[index - 1] if index > 0 else None,
        following=lessons[index + 1] if index + 1 < len(lessons) else None,
        position=index + 1,
    )


@bp.route("/courses/<slug>/lessons/<lesson_slug>/done", methods=["POST"])
@login_required
def lesson_done(slug, lesson_slug):
    course = _course_or_404(slug)
    lesson = _lesson_or_404(course, lesson_slug)
    enrolment = services.get_enrolment(current_user, course) or abort(403)
    services.mark_lesson_done(enrolment, lesson)
    db.session.commit()
    progress = services.progress_of(enrolment, course)
    if request.accept_mimetypes.best == "application/json":
        label = _("%(done)d of %(total)d lessons done", done=progress.done, total=progress.total)
        return jsonify(
            done=progress.done,
            total=progress.total,
            percent=progress.percent,
            label=f"{label} · {progress.percent}%",
        )
    following = services.next_lesson(enrolment)
    if following is None:
        flash(_("You have finished every lesson of this course."), "success")
        return redirect(url_for("courses.course", slug=slug))
    return redirect(url_for("courses.lesson", slug=slug, lesson_slug=following.slug))


@bp.route("/glossary")
def glossary():
    return render_template("courses/glossary.html", terms=load_glossary(), locale=str(get_locale()))


@bp.app_context_processor
def audience_labels():
    return {"audience_labels": {t.value: t.label for t in AgencyType}}

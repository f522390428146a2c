"""Load, validate and import the courses in ``courses/<slug>/``."""

import logging
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from ..accounts.models import AgencyType
from ..content_files import (
    ContentError,
    LineDict,
    Problem,
    hash_files,
    read_yaml,
    split_front_matter,
)
from ..db import utcnow
from ..extensions import db
from ..markup import render_markdown
from .models import CompletionRule, Course, Lesson

logger = logging.getLogger(__name__)

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TRANSLATION_LOCALES = ("sq", "sr")
WORDS_PER_MINUTE = 180
COURSE_KEYS = {
    "title", "summary", "audience", "sop_edition", "completion", "certificate_validity_months",
    "quiz", "translations", "lessons",
}  # fmt: skip
LESSON_KEYS = {"title", "objectives", "sources", "reading_minutes"}
AUDIENCE_CODES = {t.value for t in AgencyType}


@dataclass
class LessonData:
    """A lesson read from disk, with its translations."""

    slug: str
    title: str
    objectives: list[str]
    sources: list[str]
    reading_minutes: int
    body_html: str
    translations: dict = field(default_factory=dict)


@dataclass
class CourseData:
    """A course read from disk, ready to import."""

    slug: str
    title: str
    summary: str
    audience: list[str]
    sop_edition: str
    completion: CompletionRule
    certificate_validity_months: int
    quiz_slug: str | None
    translations: dict
    lessons: list[LessonData]
    content_hash: str

    @property
    def languages(self) -> list[str]:
        complete = [
            loc for loc in TRANSLATION_LOCALES if all(loc in ls.translations for ls in self.lessons)
        ]
        return ["en", *complete]


class _Checker:
    """Collects problems for one file."""

    def __init__(self, path: Path, root: Path, problems: list[Problem]):
        self.path = path
        self.name = str(path.relative_to(root.parent)) if root.parent in path.parents else str(path)
        self.problems = problems

    def add(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.name, line, message))

    def text(self, data: LineDict, key: str, required: bool = True) -> str:
        value = data.get(key)
        if value is None:
            if required:
                self.add(data.line, f"'{key}' is required")
            return ""
        if not isinstance(value, str) or not value.strip():
            self.add(data.line_of(key), f"'{key}' must be non-empty text")
            return ""
        return value.strip()

    def text_list(self, data: LineDict, key: str) -> list[str]:
        value = data.get(key)
        if not isinstance(value, list) or not value:
            self.add(data.line_of(key), f"'{key}' must be a non-empty list")
            return []
        items = []
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.add(value.line_of(index), f"'{key}' entries must be non-empty text")
            else:
                items.append(item.strip())
        return items

    def unknown_keys(self, data: LineDict, allowed: set[str]) -> None:
        for key in data:
            if key not in allowed:
                self.add(data.line_of(key), f"unknown key '{key}'")


def _reading_minutes(check: _Checker, meta: LineDict, body: str) -> int:
    value = meta.get("reading_minutes")
    if value is None:
        return max(1, math.ceil(len(body.split()) / WORDS_PER_MINUTE))
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        check.add(
            meta.line_of("reading_minutes"), "'reading_minutes' must be a positive whole number"
        )
        return 1
    return value


def _load_lesson_file(path: Path, root: Path, problems: list[Problem]) -> dict | None:
    check = _Checker(path, root, problems)
    try:
        meta, body, body_line = split_front_matter(path.read_text(encoding="utf-8"))
    except ContentError as exc:
        check.add(exc.line, str(exc))
        return None
    check.unknown_keys(meta, LESSON_KEYS)
    result = {
        "title": check.text(meta, "title"),
        "objectives": check.text_list(meta, "objectives"),
        "sources": check.text_list(meta, "sources"),
        "reading_minutes": _reading_minutes(check, meta, body),
    }
    if len(body.split()) < 50:
        check.add(body_line, "the lesson text is missing or shorter than 50 words")
    result["body_html"] = render_markdown(body)
    return result


def _load_lessons(check: _Checker, folder: Path, root: Path, data: LineDict) -> list[LessonData]:
    entries = data.get("lessons")
    if not isinstance(entries, list) or not entries:
        check.add(data.line_of("lessons"), "'lessons' must list at least one lesson")
        return []
    lessons, seen = [], set()
    for index, entry in enumerate(entries):
        line = entries.line_of(index)
        slug = entry.get("slug") if isinstance(entry, dict) else None
        if not isinstance(slug, str) or not SLUG_RE.match(slug):
            check.add(line, "each lesson needs a 'slug' of lower-case letters, digits and dashes")
            continue
        if slug in seen:
            check.add(line, f"lesson '{slug}' is listed twice")
            continue
        seen.add(slug)
        path = folder / f"{slug}.md"
        if not path.is_file():
            check.add(line, f"lesson file {slug}.md does not exist")
            continue
        english = _load_lesson_file(path, root, check.problems)
        if english is None:
            continue
        lesson = LessonData(slug=slug, **english)
        for locale in TRANSLATION_LOCALES:
            translated_path = folder / f"{slug}.{locale}.md"
            if translated_path.is_file():
                translated = _load_lesson_file(translated_path, root, check.problems)
                if translated is not None:
                    lesson.translations[locale] = translated
        lessons.append(lesson)
    return lessons


def _course_translations(check: _Checker, data: LineDict) -> dict:
    value = data.get("translations") or {}
    if not isinstance(value, dict):
        check.add(data.line_of("translations"), "'translations' must map a language to texts")
        return {}
    result = {}
    for locale, texts in value.items():
        if locale not in TRANSLATION_LOCALES or not isinstance(texts, dict):
            check.add(value.line_of(locale), f"translations: unknown language '{locale}'")
            continue
        result[locale] = {k: str(v).strip() for k, v in texts.items() if k in ("title", "summary")}
    return result


def load_course(folder: Path, root: Path, problems: list[Problem]) -> CourseData | None:
    """Read and validate one course folder; append problems, return None if unusable."""
    path = folder / "course.yaml"
    check = _Checker(path, root, problems)
    before = len(problems)
    if not SLUG_RE.match(folder.name):
        check.add(1, f"the folder name '{folder.name}' is not a valid slug")
    try:
        data = read_yaml(path)
    except ContentError as exc:
        check.add(exc.line, str(exc))
        return None
    if not isinstance(data, dict):
        check.add(1, "course.yaml must be a mapping of keys to values")
        return None
    check.unknown_keys(data, COURSE_KEYS)
    audience = data.get("audience") or []
    for index, code in enumerate(audience if isinstance(audience, list) else []):
        if code not in AUDIENCE_CODES:
            check.add(audience.line_of(index), f"unknown audience '{code}'")
    completion = data.get("completion", "online")
    if completion not in {c.value for c in CompletionRule}:
        check.add(data.line_of("completion"), "'completion' must be online, session or both")
        completion = "online"
    validity = data.get("certificate_validity_months", 24)
    if not isinstance(validity, int) or isinstance(validity, bool) or validity < 1:
        check.add(data.line_of("certificate_validity_months"), "must be a positive whole number")
    quiz = data.get("quiz")
    if quiz is not None and (not isinstance(quiz, str) or not SLUG_RE.match(quiz)):
        check.add(data.line_of("quiz"), "'quiz' must be the slug of a quiz in quizzes/")
    course = CourseData(
        slug=folder.name,
        title=check.text(data, "title"),
        summary=check.text(data, "summary"),
        audience=list(audience) if isinstance(audience, list) else [],
        sop_edition=check.text(data, "sop_edition", required=False),
        completion=CompletionRule(completion),
        certificate_validity_months=validity if isinstance(validity, int) else 24,
        quiz_slug=quiz if isinstance(quiz, str) else None,
        translations=_course_translations(check, data),
        lessons=_load_lessons(check, folder, root, data),
        content_hash=hash_files(p for p in folder.iterdir() if p.is_file()),
    )
    return course if len(problems) == before else None


def load_courses(root: Path) -> tuple[list[CourseData], list[Problem]]:
    """Read every course under ``root``; return the valid ones and all problems found."""
    problems: list[Problem] = []
    courses = []
    if not root.is_dir():
        return [], [Problem(str(root), 1, "the courses folder does not exist")]
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        if not (folder / "course.yaml").is_file():
            problems.append(Problem(f"{root.name}/{folder.name}", 1, "course.yaml is missing"))
            continue
        course = load_course(folder, root, problems)
        if course is not None:
            courses.append(course)
    return courses, problems


def import_course(data: CourseData) -> tuple[Course, bool]:
    """Create or update a course and its lessons by slug; return (course, changed)."""
    course = db.session.scalar(sa.select(Course).where(Course.slug == data.slug))
    if course is not None and course.content_hash == data.content_hash:
        return course, False
    if course is None:
        course = Course(slug=data.slug, version=1, content_hash=data.content_hash)
        db.session.add(course)
    else:
        course.version += 1
    course.title, course.summary = data.title, data.summary
    course.audience, course.sop_edition = data.audience, data.sop_edition
    course.completion, course.quiz_slug = data.completion, data.quiz_slug
    course.certificate_validity_months = data.certificate_validity_months
    course.translations, course.languages = data.translations, data.languages
    course.content_hash, course.imported_at, course.is_active = data.content_hash, utcnow(), True
    existing = {lesson.slug: lesson for lesson in course.lessons}
    for position, item in enumerate(data.lessons, start=1):
        lesson = existing.pop(item.slug, None)
        if lesson is None:
            lesson = Lesson(slug=item.slug)
            course.lessons.append(lesson)
        lesson.position, lesson.is_active = position, True
        lesson.title, lesson.objectives, lesson.sources = item.title, item.objectives, item.sources
        lesson.reading_minutes, lesson.body_html = item.reading_minutes, item.body_html
        lesson.translations = item.translations
    for gone in existing.values():
        gone.is_active = False
    db.session.flush()
    logger.info("Imported course %s as version %s", course.slug, course.version)
    return course, True

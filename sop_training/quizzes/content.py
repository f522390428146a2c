"""Load, validate and import the question banks in ``quizzes/<slug>.yaml``."""

import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from ..content_files import ContentError, Problem, hash_files, read_yaml
from ..db import utcnow
from ..extensions import db
from .models import Layout, Quiz, QuizVersion, ShowAnswers
from .question_types import COMMON_KEYS, QUESTION_TYPES

logger = logging.getLogger(__name__)

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")
DEFAULTS = {
    "pass_mark": 70,
    "draw": None,
    "draw_per_tag": {},
    "shuffle_questions": True,
    "shuffle_choices": True,
    "attempt_limit": None,
    "wait_minutes": 0,
    "time_limit_minutes": None,
    "show_answers": ShowAnswers.AFTER_ATTEMPT.value,
    "layout": Layout.PAGED.value,
    "per_page": 1,
}
QUIZ_KEYS = {"title", "questions", *DEFAULTS}


@dataclass
class QuizData:
    """A valid bank read from disk."""

    slug: str
    title: str
    settings: dict
    questions: list
    content_hash: str


def _plain(value):
    """Turn the line-aware YAML values into plain JSON data."""
    return json.loads(json.dumps(value))


class _BankChecker:
    def __init__(self, name: str, problems: list[Problem]):
        self.name, self.problems = name, problems
        self.ids: set[str] = set()

    def add(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.name, line, message))

    def whole_number(self, data, key, minimum, allow_none=False):
        value = data.get(key, DEFAULTS.get(key))
        if value is None and allow_none:
            return None
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            self.add(data.line_of(key), f"'{key}' must be a whole number of at least {minimum}")
            return DEFAULTS.get(key)
        return value

    def question(self, q, line: int, sub: bool = False) -> None:
        if not isinstance(q, dict):
            self.add(line, "each question must be a mapping")
            return
        qid = q.get("id")
        if not isinstance(qid, str) or not ID_RE.match(qid):
            self.add(line, "each question needs an 'id' of letters, digits, '-', '_' or '.'")
        elif qid in self.ids:
            self.add(q.line_of("id"), f"duplicate question id '{qid}'")
        else:
            self.ids.add(qid)
        kind = QUESTION_TYPES.get(q.get("type"))
        allowed = ("single", "multiple", "true_false") if sub else tuple(QUESTION_TYPES)
        if kind is None or kind.name not in allowed:
            self.add(q.line_of("type"), f"unknown question type '{q.get('type')}'")
            return
        for key in q:
            if key not in COMMON_KEYS and key not in kind.keys:
                self.add(q.line_of(key), f"unknown key '{key}' for a {kind.name} question")
        for key in ("prompt", "explanation", "source"):
            if key == "prompt" and kind.name == "case" and "prompt" not in q:
                continue
            if not isinstance(q.get(key), str) or not q[key].strip():
                self.add(q.line_of(key), f"question '{qid}' needs '{key}' text")
        if not sub:
            tags = q.get("tags")
            if not isinstance(tags, list) or not tags or not all(isinstance(t, str) for t in tags):
                self.add(q.line_of("tags"), f"question '{qid}' needs a list of 'tags'")
        kind.check(q, self.add)
        if kind.name == "case":
            subs = q.get("questions") or []
            for index, item in enumerate(subs):
                self.question(item, subs.line_of(index), sub=True)


def _settings(check: _BankChecker, data, questions) -> dict:
    settings = {}
    settings["pass_mark"] = check.whole_number(data, "pass_mark", 1)
    if settings["pass_mark"] > 100:
        check.add(data.line_of("pass_mark"), "'pass_mark' is a percentage, at most 100")
    settings["draw"] = check.whole_number(data, "draw", 1, allow_none=True)
    if settings["draw"] and settings["draw"] > len(questions):
        check.add(
            data.line_of("draw"),
            f"'draw' asks for {settings['draw']} questions but the bank has {len(questions)}",
        )
    per_tag = data.get("draw_per_tag") or {}
    if not isinstance(per_tag, dict):
        check.add(data.line_of("draw_per_tag"), "'draw_per_tag' must map tags to counts")
        per_tag = {}
    for tag, count in per_tag.items():
        tagged = sum(1 for q in questions if isinstance(q, dict) and tag in (q.get("tags") or []))
        if not isinstance(count, int) or count < 1:
            check.add(per_tag.line_of(tag), f"draw_per_tag: '{tag}' needs a positive count")
        elif count > tagged:
            check.add(per_tag.line_of(tag), f"draw_per_tag: only {tagged} questions carry '{tag}'")
    if (
        settings["draw"]
        and sum(v for v in per_tag.values() if isinstance(v, int)) > settings["draw"]
    ):
        check.add(data.line_of("draw_per_tag"), "draw_per_tag asks for more than 'draw'")
    settings["draw_per_tag"] = dict(per_tag)
    for key in ("shuffle_questions", "shuffle_choices"):
        value = data.get(key, DEFAULTS[key])
        if not isinstance(value, bool):
            check.add(data.line_of(key), f"'{key}' must be true or false")
        settings[key] = bool(value)
    settings["attempt_limit"] = check.whole_number(data, "attempt_limit", 1, allow_none=True)
    settings["wait_minutes"] = check.whole_number(data, "wait_minutes", 0)
    settings["time_limit_minutes"] = check.whole_number(
        data, "time_limit_minutes", 1, allow_none=True
    )
    settings["per_page"] = check.whole_number(data, "per_page", 1)
    for key, enum_cls in (("show_answers", ShowAnswers), ("layout", Layout)):
        value = data.get(key, DEFAULTS[key])
        if value not in {m.value for m in enum_cls}:
            allowed = ", ".join(m.value for m in enum_cls)
            check.add(data.line_of(key), f"'{key}' must be one of {allowed}")
            value = DEFAULTS[key]
        settings[key] = value
    return settings


def load_quiz(path: Path, problems: list[Problem]) -> QuizData | None:
    """Read and validate one bank; append problems and return None if it has any."""
    name = f"{path.parent.name}/{path.name}"
    check = _BankChecker(name, problems)
    before = len(problems)
    if not SLUG_RE.match(path.stem):
        check.add(1, f"the file name '{path.stem}' is not a valid slug")
    try:
        data = read_yaml(path)
    except ContentError as exc:
        check.add(exc.line, str(exc))
        return None
    if not isinstance(data, dict):
        check.add(1, "a quiz file must be a mapping of keys to values")
        return None
    for key in data:
        if key not in QUIZ_KEYS:
            check.add(data.line_of(key), f"unknown key '{key}'")
    if not isinstance(data.get("title"), str) or not data["title"].strip():
        check.add(data.line, "'title' is required")
    questions = data.get("questions")
    if not isinstance(questions, list) or not questions:
        check.add(data.line_of("questions"), "'questions' must list at least one question")
        questions = []
    for index, q in enumerate(questions):
        check.question(q, questions.line_of(index))
    settings = _settings(check, data, questions)
    if len(problems) != before:
        return None
    return QuizData(
        slug=path.stem,
        title=data["title"].strip(),
        settings=settings,
        questions=_plain(questions),
        content_hash=hash_files([path]),
    )


def load_quizzes(root: Path) -> tuple[list[QuizData], list[Problem]]:
    """Read every bank under ``root``."""
    problems: list[Problem] = []
    if not root.is_dir():
        return [], [Problem(str(root), 1, "the quizzes folder does not exist")]
    quizzes = [q for path in sorted(root.glob("*.yaml")) if (q := load_quiz(path, problems))]
    return quizzes, problems


def import_quiz(data: QuizData) -> tuple[Quiz, bool]:
    """Create or update a quiz by slug; a changed bank becomes a new version."""
    quiz = db.session.scalar(sa.select(Quiz).where(Quiz.slug == data.slug))
    if quiz is not None and quiz.content_hash == data.content_hash:
        return quiz, False
    if quiz is None:
        quiz = Quiz(slug=data.slug, version=0, content_hash=data.content_hash)
        db.session.add(quiz)
    quiz.version += 1
    quiz.title, quiz.content_hash = data.title, data.content_hash
    quiz.imported_at, quiz.is_active = utcnow(), True
    quiz.versions.append(
        QuizVersion(
            version=quiz.version,
            content_hash=data.content_hash,
            settings=data.settings,
            questions=data.questions,
        )
    )
    db.session.flush()
    logger.info("Imported quiz %s as version %s", quiz.slug, quiz.version)
    return quiz, True

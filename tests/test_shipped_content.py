"""The four SOP courses and their banks as shipped: structure, sources, coverage, no duplicates."""

import re
from collections import Counter
from pathlib import Path

import pytest

from sop_training.content_files import read_yaml
from sop_training.courses.content import load_courses
from sop_training.quizzes.content import load_quizzes
from sop_training.quizzes.question_types import QUESTION_TYPES

ROOT = Path(__file__).resolve().parent.parent
COURSES = ("identification", "referral", "care", "rights")
MIN_LESSON_WORDS = 450
GLOSSARY_LINK = re.compile(r"\(/glossary#([a-z0-9-]+)\)")
# "Kosovo ... ratified" anywhere in one sentence, unless the sentence negates it.
RATIFIED = re.compile(r"[^.]*\bKosovo\b[^.]*\bratif\w*[^.]*\.", re.IGNORECASE)


@pytest.fixture(scope="module")
def courses():
    loaded, problems = load_courses(ROOT / "courses")
    assert problems == []
    return {course.slug: course for course in loaded}


@pytest.fixture(scope="module")
def banks():
    loaded, problems = load_quizzes(ROOT / "quizzes")
    assert problems == []
    return {bank.slug: bank for bank in loaded}


@pytest.fixture(scope="module")
def glossary_slugs():
    return {term["slug"] for term in read_yaml(ROOT / "courses" / "glossary.yaml")["terms"]}


def lesson_text(course_slug: str, lesson_slug: str) -> str:
    text = (ROOT / "courses" / course_slug / f"{lesson_slug}.md").read_text(encoding="utf-8")
    return text.split("---", 2)[2]


def test_all_four_courses_ship(courses):
    assert set(COURSES) <= set(courses)


@pytest.mark.parametrize("slug", COURSES)
def test_course_settings(courses, slug):
    course = courses[slug]
    assert 5 <= len(course.lessons) <= 7
    assert course.audience
    assert course.certificate_validity_months == 24
    assert course.quiz_slug == slug
    assert {"sq", "sr"} <= set(course.translations)


@pytest.mark.parametrize("slug", COURSES)
def test_every_lesson_is_complete(courses, glossary_slugs, slug):
    for lesson in courses[slug].lessons:
        text = lesson_text(slug, lesson.slug)
        where = f"{slug}/{lesson.slug}"
        assert len(lesson.objectives) >= 2, where
        assert lesson.sources, where
        assert lesson.reading_minutes >= 3, where
        assert len(text.split()) >= MIN_LESSON_WORDS, where
        assert "## Summary" in text, where
        links = GLOSSARY_LINK.findall(text)
        assert links, f"{where} links to no glossary term"
        assert set(links) <= glossary_slugs, f"{where}: {set(links) - glossary_slugs}"


@pytest.mark.parametrize("slug", COURSES)
def test_each_course_has_role_boxes_and_a_worked_case(slug, courses):
    texts = [lesson_text(slug, lesson.slug) for lesson in courses[slug].lessons]
    assert sum(t.count("::: role ") for t in texts) >= len(texts)
    assert any(re.search(r"(?im)^#+ .*case", t) for t in texts)


@pytest.mark.parametrize("slug", COURSES)
def test_no_lesson_says_kosovo_ratified_the_convention(courses, slug):
    for lesson in courses[slug].lessons:
        for sentence in RATIFIED.findall(lesson_text(slug, lesson.slug)):
            assert re.search(r"\bnot\b|\bnever\b|n't", sentence), sentence


@pytest.mark.parametrize("slug", COURSES)
def test_bank_settings_cover_every_lesson(courses, banks, slug):
    bank = banks[slug]
    assert len(bank.questions) >= 30
    assert bank.settings["draw"] == 15
    assert bank.settings["pass_mark"] == 70
    lessons = {lesson.slug for lesson in courses[slug].lessons}
    assert set(bank.settings["draw_per_tag"]) == lessons
    tagged = Counter(tag for q in bank.questions for tag in q.get("tags", []))
    assert all(tagged[lesson] >= 4 for lesson in lessons), tagged


@pytest.mark.parametrize("slug", COURSES)
def test_bank_uses_every_question_type(banks, slug):
    types = Counter(q["type"] for q in banks[slug].questions)
    assert set(types) == set(QUESTION_TYPES)
    assert types["case"] >= 6


def _all_questions(bank):
    for question in bank.questions:
        yield question
        yield from question.get("questions", [])


@pytest.mark.parametrize("slug", COURSES)
def test_every_question_has_explanation_and_source(banks, slug):
    for question in _all_questions(banks[slug]):
        assert question.get("explanation", "").strip(), question["id"]
        assert question.get("source", "").strip(), question["id"]


@pytest.mark.parametrize("slug", COURSES)
def test_no_two_questions_in_a_bank_are_alike(banks, slug):
    def normal(text):
        return re.sub(r"\W+", " ", text.lower()).strip()

    keys = Counter()
    for question in banks[slug].questions:
        keys[normal(question.get("prompt") or question["case"])] += 1
        for sub in question.get("questions", []):
            keys[normal(question["case"] + " " + sub["prompt"])] += 1
    assert [key for key, count in keys.items() if count > 1] == []


def test_glossary_holds_the_briefs_terms(glossary_slugs):
    required = {
        "vot",
        "nrm-trm",
        "sop",
        "reflection-period",
        "non-punishment",
        "presumption-of-minority",
        "informed-consent",
        "best-interests",
        "guardian",
        "smuggling",
    }
    assert required <= glossary_slugs

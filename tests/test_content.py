"""Course files: validation with file:line problems, idempotent import, safe Markdown."""

import re
import textwrap
from pathlib import Path

import pytest
import sqlalchemy as sa

from sop_training.courses.content import import_course, load_courses
from sop_training.courses.models import Course, Enrolment, Lesson
from sop_training.extensions import db
from sop_training.markup import render_markdown

BODY = " ".join(["Trafficking has three elements: act, means and purpose."] * 12)


def write_course(root: Path, slug="sample", lessons=("first", "second"), extra="", body=BODY):
    folder = root / slug
    folder.mkdir(parents=True, exist_ok=True)
    lesson_lines = "".join(f"  - slug: {name}\n" for name in lessons)
    (folder / "course.yaml").write_text(
        textwrap.dedent(
            """\
            title: Sample course
            summary: A sample.
            audience: [police, shelter]
            completion: online
            certificate_validity_months: 24
            translations:
              sq: {title: Kurs shembull, summary: Një shembull.}
            """
        )
        + extra
        + "lessons:\n"
        + lesson_lines
    )
    for name in lessons:
        (folder / f"{name}.md").write_text(
            f"---\ntitle: Lesson {name}\nobjectives:\n  - Know {name}.\nsources:\n"
            f"  - Palermo Protocol, Art. 3\nreading_minutes: 4\n---\n{body}\n"
        )
    return folder


def test_valid_course_loads(tmp_path):
    write_course(tmp_path)
    courses, problems = load_courses(tmp_path)
    assert problems == []
    [course] = courses
    assert course.slug == "sample" and [ls.slug for ls in course.lessons] == ["first", "second"]
    assert course.translations["sq"]["title"] == "Kurs shembull"


def test_problems_name_file_and_line(tmp_path):
    folder = write_course(tmp_path, extra="colour: blue\naudience_typo: x\n")
    (folder / "second.md").write_text("---\ntitle: Second\nobjectives: []\n---\nshort\n")
    _, problems = load_courses(tmp_path)
    text = [str(p).removeprefix(tmp_path.name + "/") for p in problems]
    assert "sample/course.yaml:8: unknown key 'colour'" in text
    assert "sample/course.yaml:9: unknown key 'audience_typo'" in text
    assert "sample/second.md:3: 'objectives' must be a non-empty list" in text
    assert "sample/second.md:2: 'sources' is required" not in text
    assert "sample/second.md:5: the lesson text is missing or shorter than 50 words" in text


def test_missing_lesson_file_and_bad_yaml(tmp_path):
    folder = write_course(tmp_path)
    (folder / "second.md").unlink()
    other = write_course(tmp_path, slug="broken")
    (other / "course.yaml").write_text("title: [unclosed\n")
    _, problems = load_courses(tmp_path)
    text = [str(p).removeprefix(tmp_path.name + "/") for p in problems]
    assert any(
        t.startswith("sample/course.yaml:") and "second.md does not exist" in t for t in text
    )
    assert any(t.startswith("broken/course.yaml:") and "YAML error" in t for t in text)


def test_import_is_idempotent_and_versions_changes(app, tmp_path):
    folder = write_course(tmp_path)
    [data], _ = load_courses(tmp_path)
    course, changed = import_course(data)
    db.session.commit()
    assert changed and course.version == 1
    [data], _ = load_courses(tmp_path)
    course, changed = import_course(data)
    assert not changed and course.version == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Course)) == 1
    old_hash = course.content_hash
    # Drop a lesson and edit another: a new version; the dropped lesson stays, inactive.
    write_course(tmp_path, lessons=("first",), body=BODY + " Edited.")
    (folder / "second.md").unlink()
    [data], _ = load_courses(tmp_path)
    course, changed = import_course(data)
    db.session.commit()
    assert changed and course.version == 2 and course.content_hash != old_hash
    lessons = db.session.scalars(sa.select(Lesson).order_by(Lesson.slug)).all()
    assert [(ls.slug, ls.is_active) for ls in lessons] == [("first", True), ("second", False)]


def test_translations_are_imported_and_fall_back(app, tmp_path):
    folder = write_course(tmp_path)
    (folder / "first.sq.md").write_text(
        "---\ntitle: Mësimi i parë\nobjectives: [Dije.]\nsources: [Protokolli i Palermos]\n---\n"
        + " ".join(["Trafikimi ka tre elemente."] * 20)
    )
    [data], _ = load_courses(tmp_path)
    course, _ = import_course(data)
    first, second = course.lessons
    assert first.localized("sq")["title"] == "Mësimi i parë"
    assert second.localized("sq")["title"] == "Lesson second"
    assert course.languages == ["en"]  # Albanian is not complete until every lesson has it.


@pytest.mark.parametrize(
    "evil",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<a href="#" onclick="steal()">x</a>',
    ],
)
def test_markdown_is_sanitised(evil):
    html = render_markdown(f"Text\n\n{evil}\n")
    # Raw HTML may survive only as visible, escaped text: never as a tag or attribute.
    assert "<script" not in html and "<img" not in html
    assert not re.search(r"<[^>]*\son\w+\s*=", html)
    assert 'href="javascript' not in html


def test_role_box_renders_as_aside():
    html = render_markdown("::: role police\n**Police.** Call the THB unit.\n:::\n")
    assert '<aside class="role-box role-police" data-role="police">' in html
    assert "<strong>Police.</strong>" in html


def test_script_in_lesson_never_reaches_the_page(app, client, login, tmp_path):
    write_course(
        tmp_path, body=BODY + '\n\n<script>alert("x")</script>\n<img src=x onerror=alert(1)>'
    )
    [data], _ = load_courses(tmp_path)
    course, _ = import_course(data)
    user = login()
    db.session.add(Enrolment(user=user, course=course))
    db.session.commit()
    page = client.get("/courses/sample/lessons/first").get_data(as_text=True)
    assert "Trafficking has three elements" in page
    assert "<script>alert" not in page and "<img" not in page


def test_check_content_command_reports_problems(app, runner, tmp_path):
    write_course(tmp_path, extra="colour: blue\n")
    app.config["COURSES_DIR"] = str(tmp_path)
    result = runner.invoke(args=["check-content"])
    assert result.exit_code == 1
    assert f"{tmp_path.name}/sample/course.yaml:8: unknown key 'colour'" in result.output
    imported = runner.invoke(args=["import-content"])
    assert imported.exit_code == 1 and "Nothing imported" in imported.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Course)) == 0


def test_shipped_content_passes_checks_and_imports(runner):
    result = runner.invoke(args=["check-content"])
    assert result.exit_code == 0, result.output
    first = runner.invoke(args=["import-content"])
    assert "identification: imported (version 1)" in first.output
    second = runner.invoke(args=["import-content"])
    assert "identification: unchanged (version 1)" in second.output
    course = db.session.scalar(sa.select(Course).where(Course.slug == "identification"))
    assert len(course.active_lessons) >= 3
    for lesson in course.active_lessons:
        assert lesson.objectives and lesson.sources
        assert len(lesson.body_html.split()) > 300

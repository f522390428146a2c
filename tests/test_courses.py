"""Catalogue, enrolment, lessons and progress as a trainee sees them."""

import sqlalchemy as sa

from sop_training.courses.models import Enrolment, LessonProgress
from sop_training.courses.progress import Progress, lesson_progress
from sop_training.extensions import db

from .conftest import PASSWORD


def test_progress_arithmetic():
    assert lesson_progress([1, 2, 3], {2}).percent == 33
    assert lesson_progress([1, 2, 3], {1, 2, 3, 99}) == Progress(3, 3)
    assert Progress(3, 3).is_complete and not Progress(2, 3).is_complete
    assert Progress(0, 0).percent == 0 and not Progress(0, 0).is_complete


def test_catalogue_lists_and_filters_by_audience(client, make_course):
    make_course(title="For police", audience=["police"])
    make_course(title="For shelters", audience=["shelter"])
    page = client.get("/courses/").get_data(as_text=True)
    assert "For police" in page and "For shelters" in page
    assert "about 15 minutes of reading" in page
    filtered = client.get("/courses/?audience=shelter").get_data(as_text=True)
    assert "For shelters" in filtered and "For police" not in filtered


def test_course_page_invites_anonymous_to_log_in(client, make_course):
    course = make_course()
    page = client.get(f"/courses/{course.slug}").get_data(as_text=True)
    assert "Log in to enrol" in page and "Lesson 1" in page


def test_lessons_need_enrolment(client, login, make_course):
    course = make_course()
    login()
    response = client.get(f"/courses/{course.slug}/lessons/lesson-1")
    assert response.status_code == 302 and response.headers["Location"].endswith(course.slug)
    assert client.post(f"/courses/{course.slug}/lessons/lesson-1/done").status_code == 403


def test_enrol_continue_and_progress_survive_logout(client, login, make_course):
    course = make_course(lessons=3)
    user = login()
    response = client.post(f"/courses/{course.slug}/enrol")
    assert response.headers["Location"].endswith(f"/courses/{course.slug}/continue")
    assert client.get(response.headers["Location"]).headers["Location"].endswith("lesson-1")
    # Enrolling twice keeps one enrolment.
    client.post(f"/courses/{course.slug}/enrol")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Enrolment)) == 1

    page = client.get(f"/courses/{course.slug}/lessons/lesson-1").get_data(as_text=True)
    assert "Body of lesson 1" in page and "0 of 3 lessons done" in page
    done = client.post(f"/courses/{course.slug}/lessons/lesson-1/done")
    assert done.headers["Location"].endswith("lesson-2")

    client.post("/accounts/logout")
    client.post("/accounts/login", data={"email": user.email, "password": PASSWORD})
    home = client.get("/").get_data(as_text=True)
    assert "My learning" in home and "1 of 3 lessons done · 33%" in home
    assert client.get(f"/courses/{course.slug}/continue").headers["Location"].endswith("lesson-2")


def test_marking_done_by_script_returns_progress_and_is_idempotent(client, login, make_course):
    course = make_course(lessons=2)
    login()
    client.post(f"/courses/{course.slug}/enrol")
    url = f"/courses/{course.slug}/lessons/lesson-2/done"
    first = client.post(url, headers={"Accept": "application/json"})
    second = client.post(url, headers={"Accept": "application/json"})
    assert first.json == second.json
    assert first.json["done"] == 1 and first.json["percent"] == 50
    assert "1 of 2 lessons done" in first.json["label"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LessonProgress)) == 1


def test_finishing_all_lessons_completes_a_course_without_quiz(client, login, make_course):
    course = make_course(lessons=2)
    login()
    client.post(f"/courses/{course.slug}/enrol")
    client.post(f"/courses/{course.slug}/lessons/lesson-1/done")
    last = client.post(f"/courses/{course.slug}/lessons/lesson-2/done", follow_redirects=True)
    assert "You have finished every lesson" in last.get_data(as_text=True)
    enrolment = db.session.scalar(sa.select(Enrolment))
    assert enrolment.completed_at is not None


def test_course_with_quiz_is_not_complete_after_lessons_alone(client, login, make_course):
    course = make_course(lessons=1, quiz_slug="some-quiz")
    login()
    client.post(f"/courses/{course.slug}/enrol")
    page = client.post(
        f"/courses/{course.slug}/lessons/lesson-1/done", follow_redirects=True
    ).get_data(as_text=True)
    assert "The final quiz completes the course." in page
    assert db.session.scalar(sa.select(Enrolment)).completed_at is None


def test_a_trainee_sees_only_their_own_learning(client, login, make_user, make_course):
    course = make_course(title="Private progress")
    other = make_user()
    db.session.add(Enrolment(user=other, course=course))
    db.session.commit()
    login()
    page = client.get("/").get_data(as_text=True)
    assert "You are not enrolled in any course yet." in page
    assert "Private progress" not in page


def test_unknown_course_and_lesson_are_404(client, login, make_course):
    course = make_course()
    login()
    assert client.get("/courses/nope").status_code == 404
    client.post(f"/courses/{course.slug}/enrol")
    assert client.get(f"/courses/{course.slug}/lessons/nope").status_code == 404


def test_lesson_shows_translation_or_says_it_falls_back(client, login, make_course):
    course = make_course(lessons=2)
    course.lessons[0].translations = {
        "sq": {
            "title": "Mësimi 1",
            "objectives": ["Objektivi"],
            "sources": ["Burimi"],
            "body_html": "<p>Trupi</p>",
        }
    }
    db.session.commit()
    login()
    client.post(f"/courses/{course.slug}/enrol")
    page = client.get(f"/courses/{course.slug}/lessons/lesson-1?lang=sq").get_data(as_text=True)
    assert "Mësimi 1" in page and "Trupi" in page
    fallback = client.get(f"/courses/{course.slug}/lessons/lesson-2").get_data(as_text=True)
    assert "Body of lesson 2" in fallback and 'lang="en"' in fallback

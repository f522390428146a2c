"""Question-bank files: problems reported as file:line, idempotent versioned import."""

import textwrap

import sqlalchemy as sa

from sop_training.extensions import db
from sop_training.quizzes.content import import_quiz, load_quizzes
from sop_training.quizzes.models import QuizVersion

GOOD = textwrap.dedent(
    """\
    title: Sample quiz
    pass_mark: 70
    draw: 2
    questions:
      - id: s-1
        type: single
        tags: [first]
        prompt: Pick a.
        choices:
          - {id: a, text: A}
          - {id: b, text: B}
        answer: a
        explanation: A is right.
        source: Palermo Protocol, Art. 3
      - id: s-2
        type: true_false
        tags: [first]
        prompt: True?
        answer: true
        explanation: Yes.
        source: CETS 197, Art. 10
    """
)


def problems_for(tmp_path, text):
    (tmp_path / "sample.yaml").write_text(text)
    _, problems = load_quizzes(tmp_path)
    return [str(p).removeprefix(tmp_path.name + "/") for p in problems]


def test_good_bank_has_no_problems(tmp_path):
    assert problems_for(tmp_path, GOOD) == []


def test_unknown_type(tmp_path):
    text = GOOD.replace("type: true_false", "type: essay")
    assert "sample.yaml:16: unknown question type 'essay'" in problems_for(tmp_path, text)


def test_answer_key_pointing_at_no_choice(tmp_path):
    text = GOOD.replace("answer: a", "answer: z")
    assert "sample.yaml:12: answer 'z' is not one of the choices" in problems_for(tmp_path, text)


def test_draw_larger_than_bank(tmp_path):
    text = GOOD.replace("draw: 2", "draw: 5")
    assert "sample.yaml:3: 'draw' asks for 5 questions but the bank has 2" in problems_for(
        tmp_path, text
    )


def test_duplicate_ids(tmp_path):
    text = GOOD.replace("id: s-2", "id: s-1")
    assert "sample.yaml:15: duplicate question id 's-1'" in problems_for(tmp_path, text)


def test_missing_explanation_and_unknown_setting(tmp_path):
    text = GOOD.replace("    explanation: Yes.\n", "").replace(
        "pass_mark: 70", "pass_mark: 70\nshuffle: yes"
    )
    found = problems_for(tmp_path, text)
    assert "sample.yaml:3: unknown key 'shuffle'" in found
    assert any("question 's-2' needs 'explanation' text" in p for p in found)


def test_check_content_prints_bank_problems(app, runner, tmp_path):
    (tmp_path / "sample.yaml").write_text(GOOD.replace("type: true_false", "type: essay"))
    app.config["QUIZZES_DIR"] = str(tmp_path)
    result = runner.invoke(args=["check-content"])
    assert result.exit_code == 1
    assert f"{tmp_path.name}/sample.yaml:16: unknown question type 'essay'" in result.output


def test_import_keeps_old_versions_for_old_attempts(app, tmp_path):
    (tmp_path / "sample.yaml").write_text(GOOD)
    [data], _ = load_quizzes(tmp_path)
    quiz, changed = import_quiz(data)
    assert changed and quiz.version == 1
    [data], _ = load_quizzes(tmp_path)
    assert import_quiz(data) == (quiz, False)
    (tmp_path / "sample.yaml").write_text(GOOD.replace("pass_mark: 70", "pass_mark: 80"))
    [data], _ = load_quizzes(tmp_path)
    quiz, changed = import_quiz(data)
    db.session.commit()
    assert changed and quiz.version == 2 and quiz.current.pass_mark == 80
    marks = db.session.scalars(sa.select(QuizVersion.settings).order_by(QuizVersion.version)).all()
    assert [m["pass_mark"] for m in marks] == [70, 80]

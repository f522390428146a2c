"""Scoring, parsing, drawing and hiding keys, without a database."""

import json
import random

import pytest

from sop_training.quizzes.question_types import QUESTION_TYPES, InvalidAnswer
from sop_training.quizzes.scoring import draw_questions, is_answered, paginate, score_attempt

from .quiz_bank import ALL_RIGHT, LEAVES, QUESTIONS, SETTINGS

BY_ID = {q["id"]: q for q in QUESTIONS}
LEAF = {**BY_ID, "q-case-a": QUESTIONS[5]["questions"][0], "q-case-b": QUESTIONS[5]["questions"][1]}


def parse_all(form):
    return {qid: QUESTION_TYPES[LEAF[qid]["type"]].parse(LEAF[qid], form) for qid in LEAVES}


def test_every_type_is_registered():
    assert set(QUESTION_TYPES) == {
        "single",
        "multiple",
        "true_false",
        "ordering",
        "matching",
        "case",
    }


def test_all_right_scores_full_marks():
    responses = parse_all(ALL_RIGHT)
    result = score_attempt(BY_ID, list(BY_ID), responses)
    assert result.points == 6 and result.max_points == 6 and result.percent == 100.0
    assert result.passed(70)


def test_nothing_answered_scores_zero():
    result = score_attempt(BY_ID, list(BY_ID), {})
    assert result.points == 0 and not result.passed(70)


@pytest.mark.parametrize(
    ("picked", "expected"),
    [(["a", "c"], 1.0), (["a"], 0.5), (["a", "b"], 0.0), (["a", "c", "d"], 0.5), (["b", "d"], 0.0)],
)
def test_multiple_partial_credit(picked, expected):
    q = BY_ID["q-multi"]
    assert QUESTION_TYPES["multiple"].score(q, picked) == expected


def test_multiple_all_or_nothing():
    q = {**BY_ID["q-multi"], "scoring": "all_or_nothing"}
    assert QUESTION_TYPES["multiple"].score(q, ["a"]) == 0.0
    assert QUESTION_TYPES["multiple"].score(q, ["c", "a"]) == 1.0


def test_ordering_all_or_nothing_and_partial():
    q = BY_ID["q-order"]
    swapped = {"a": 2, "b": 1, "c": 3}
    assert QUESTION_TYPES["ordering"].score(q, swapped) == 0.0
    partial = {**q, "scoring": "partial"}
    assert QUESTION_TYPES["ordering"].score(partial, swapped) == pytest.approx(1 / 3)


def test_matching_partial_by_default():
    q = BY_ID["q-match"]
    assert QUESTION_TYPES["matching"].score(q, {"a": "a", "b": "c", "c": "b"}) == pytest.approx(
        1 / 3
    )


def test_case_shares_one_point_between_its_questions():
    q = BY_ID["q-case"]
    assert QUESTION_TYPES["case"].score(q, {"q-case-a": "b", "q-case-b": True}) == 0.5


@pytest.mark.parametrize(
    ("qid", "form"),
    [
        ("q-single", {"q-q-single": ["z"]}),
        ("q-single", {"q-q-single": ["a", "b"]}),
        ("q-multi", {"q-q-multi": ["a", "x"]}),
        ("q-tf", {"q-q-tf": ["maybe"]}),
        ("q-order", {"q-q-order-a": ["9"]}),
        ("q-order", {"q-q-order-zz": ["1"]}),
        ("q-match", {"q-q-match-a": ["nope"]}),
    ],
)
def test_unknown_choices_are_refused(qid, form):
    with pytest.raises(InvalidAnswer):
        QUESTION_TYPES[LEAF[qid]["type"]].parse(LEAF[qid], form)


def test_public_view_never_carries_the_key():
    for q in QUESTIONS:
        kind = QUESTION_TYPES[q["type"]]
        shown = json.dumps(kind.public(q, kind.order(q, random.Random(1), True)))
        assert '"answer"' not in shown and "feedback" not in shown and "explanation" not in shown
    order = QUESTION_TYPES["ordering"].order(BY_ID["q-order"], random.Random(3), False)
    assert order != ["a", "b", "c"]  # The right order is never the starting order.


def test_draw_covers_each_tag_and_respects_count():
    bank = [
        {"id": f"q{i}", "type": "true_false", "tags": [f"t{i % 3}"], "answer": True}
        for i in range(30)
    ]
    settings = {
        **SETTINGS,
        "draw": 9,
        "draw_per_tag": {"t0": 3, "t1": 3, "t2": 3},
        "shuffle_questions": True,
    }
    for seed in range(20):
        ids, _ = draw_questions(bank, settings, random.Random(seed))
        assert len(ids) == len(set(ids)) == 9
        tags = [bank[int(i[1:])]["tags"][0] for i in ids]
        assert tags.count("t0") == tags.count("t1") == tags.count("t2") == 3


def test_draw_without_limit_keeps_bank_order_when_not_shuffled():
    ids, orders = draw_questions(QUESTIONS, SETTINGS, random.Random(0))
    assert ids == [q["id"] for q in QUESTIONS]
    assert orders["q-single"] == ["a", "b", "c"] and set(orders) >= {
        "q-order",
        "q-match",
        "q-case-a",
    }


def test_pages_and_answered_state():
    assert paginate(["a", "b", "c"], 2, False) == [["a", "b"], ["c"]]
    assert paginate(["a", "b", "c"], 2, True) == [["a", "b", "c"]]
    assert not is_answered(BY_ID["q-case"], {"q-case-a": "b"})
    assert is_answered(BY_ID["q-case"], {"q-case-a": "b", "q-case-b": False})

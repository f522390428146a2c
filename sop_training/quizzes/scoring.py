"""Drawing questions, laying out pages and scoring, free of the database."""

import random
from dataclasses import dataclass

from .question_types import QUESTION_TYPES


def draw_questions(questions: list[dict], settings: dict, rng: random.Random):
    """Return (question ids in the order shown, per-question choice orders).

    ``draw_per_tag`` guarantees a minimum from each tag; the rest is drawn from the whole bank.
    """
    bank = [q["id"] for q in questions]
    draw = settings.get("draw")
    if not draw or draw >= len(bank):
        chosen = bank[:]
    else:
        chosen: list[str] = []
        for tag, count in (settings.get("draw_per_tag") or {}).items():
            pool = [
                q["id"] for q in questions if tag in q.get("tags", []) and q["id"] not in chosen
            ]
            chosen += rng.sample(pool, min(count, len(pool), draw - len(chosen)))
        rest = [i for i in bank if i not in chosen]
        chosen += rng.sample(rest, draw - len(chosen))
    if settings.get("shuffle_questions"):
        rng.shuffle(chosen)
    else:
        chosen.sort(key=bank.index)
    by_id = {q["id"]: q for q in questions}
    orders = {}
    for qid in chosen:
        for leaf in QUESTION_TYPES[by_id[qid]["type"]].leaves(by_id[qid]):
            order = QUESTION_TYPES[leaf["type"]].order(
                leaf, rng, bool(settings.get("shuffle_choices"))
            )
            if order is not None:
                orders[leaf["id"]] = order
    return chosen, orders


def paginate(question_ids: list[str], per_page: int, single_page: bool) -> list[list[str]]:
    """Split the shown questions into pages."""
    if single_page or not question_ids:
        return [question_ids]
    return [question_ids[i : i + per_page] for i in range(0, len(question_ids), per_page)]


def response_for(question: dict, responses: dict):
    """Return the stored response of a question; a case gathers its sub-questions'."""
    if question["type"] == "case":
        subs = QUESTION_TYPES["case"].leaves(question)
        gathered = {s["id"]: responses[s["id"]] for s in subs if s["id"] in responses}
        return gathered or None
    return responses.get(question["id"])


def is_answered(question: dict, responses: dict) -> bool:
    """Return whether every part of a question has a response."""
    leaves = QUESTION_TYPES[question["type"]].leaves(question)
    return all(responses.get(leaf["id"]) not in (None, [], {}) for leaf in leaves)


@dataclass(frozen=True)
class Score:
    """The outcome of an attempt."""

    points: float
    max_points: int
    per_question: dict

    @property
    def percent(self) -> float:
        return round(100 * self.points / self.max_points, 2) if self.max_points else 0.0

    def passed(self, pass_mark: int) -> bool:
        return self.percent >= pass_mark


def score_attempt(by_id: dict, question_ids: list[str], responses: dict) -> Score:
    """Score each shown question (one point each) from the saved responses."""
    per_question = {}
    for qid in question_ids:
        question = by_id[qid]
        kind = QUESTION_TYPES[question["type"]]
        per_question[qid] = round(kind.score(question, response_for(question, responses)), 4)
    return Score(round(sum(per_question.values()), 4), len(question_ids), per_question)

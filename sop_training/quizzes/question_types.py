"""The question types: each checks its definition, hides its key, reads and scores a response.

A question definition is the dict from the bank file. Responses arrive as form data, a mapping
of field name to list of values, from a page submit or from the autosave script alike; each type
reads only its own fields (``q-<id>`` or ``q-<id>-<part>``) and returns a JSON-able response, or
None when the question was left unanswered.
"""

import random
from collections.abc import Callable, Mapping

Report = Callable[[int, str], None]
Form = Mapping[str, list[str]]


class InvalidAnswer(ValueError):
    """A response names a choice, item or question the attempt does not have."""


def _line(q, key=None) -> int:
    line_of = getattr(q, "line_of", None)
    return line_of(key) if line_of and key else getattr(q, "line", 1)


def _ids(entries) -> list[str]:
    return [str(e.get("id")) for e in entries if isinstance(e, Mapping)]


def _check_entries(q, key: str, fields: tuple[str, ...], report: Report, minimum: int) -> list:
    entries = q.get(key)
    if not isinstance(entries, list) or len(entries) < minimum:
        report(_line(q, key), f"'{key}' must list at least {minimum} entries")
        return []
    seen = set()
    for index, entry in enumerate(entries):
        line = entries.line_of(index) if hasattr(entries, "line_of") else _line(q, key)
        if not isinstance(entry, Mapping) or "id" not in entry:
            report(line, f"each entry of '{key}' needs an 'id'")
            continue
        if str(entry["id"]) in seen:
            report(line, f"duplicate id '{entry['id']}' in '{key}'")
        seen.add(str(entry["id"]))
        for field in fields:
            if not isinstance(entry.get(field), str) or not entry[field].strip():
                report(line, f"entry '{entry['id']}' of '{key}' needs '{field}' text")
    return entries


def _scoring(q, report: Report | None = None, default: str = "all_or_nothing") -> str:
    value = q.get("scoring", default)
    if value not in ("partial", "all_or_nothing"):
        if report:
            report(_line(q, "scoring"), "'scoring' must be partial or all_or_nothing")
        return default
    return value


def _values(form: Form, name: str) -> list[str]:
    values = form.get(name) or []
    if isinstance(values, str):
        values = [values]
    return [str(v) for v in values if str(v) != ""]


class QuestionType:
    """Base class: one instance per type, registered in QUESTION_TYPES."""

    name = ""
    #: Keys this type adds to the common ones.
    keys: frozenset[str] = frozenset()

    def check(self, q, report: Report) -> None:
        """Report problems in the definition."""

    def order(self, q, rng: random.Random, shuffle: bool) -> list[str] | None:
        """Return the order in which choices/items are shown (None when not applicable)."""
        return None

    def public(self, q, order: list[str] | None) -> dict:
        """Return what a page may show before submission: never the key."""
        return {"id": q["id"], "type": self.name, "prompt": q.get("prompt", "")}

    def parse(self, q, form: Form) -> object | None:
        """Read this question's response from form data; raise InvalidAnswer for unknown values."""
        raise NotImplementedError

    def score(self, q, response) -> float:
        """Return the share of the point earned, from 0 to 1."""
        raise NotImplementedError

    def correct(self, q):
        """Return the correct response, in the same shape as ``parse`` returns."""
        raise NotImplementedError

    def leaves(self, q) -> list:
        """Return the answerable questions inside this one (itself, except for cases)."""
        return [q]

    def describe(self, q, response) -> list[str]:
        """Return a response as lines of text a reader understands."""
        return []

    def feedback(self, q, response) -> list[str]:
        """Return the feedback written for what the trainee picked."""
        return []


class ChoiceQuestion(QuestionType):
    """Shared by single and multiple choice."""

    keys = frozenset({"choices", "answer"})

    def order(self, q, rng, shuffle):
        ids = _ids(q["choices"])
        if shuffle:
            rng.shuffle(ids)
        return ids

    def public(self, q, order):
        by_id = {str(c["id"]): c for c in q["choices"]}
        choices = [{"id": i, "text": by_id[i]["text"]} for i in (order or by_id) if i in by_id]
        return {**super().public(q, order), "choices": choices}

    def feedback(self, q, response) -> list[str]:
        """Return the feedback written for the choices the trainee picked."""
        picked = response if isinstance(response, list) else [response]
        return [c["feedback"] for c in q["choices"] if str(c["id"]) in picked and c.get("feedback")]

    def describe(self, q, response) -> list[str]:
        picked = response if isinstance(response, list) else [response]
        return [c["text"] for c in q["choices"] if str(c["id"]) in picked]


class SingleChoice(ChoiceQuestion):
    """One correct choice."""

    name = "single"

    def check(self, q, report):
        ids = _ids(_check_entries(q, "choices", ("text",), report, 2))
        if str(q.get("answer")) not in ids:
            report(_line(q, "answer"), f"answer '{q.get('answer')}' is not one of the choices")

    def parse(self, q, form):
        values = _values(form, f"q-{q['id']}")
        if not values:
            return None
        if len(values) > 1 or values[0] not in _ids(q["choices"]):
            raise InvalidAnswer(f"unknown choice for question {q['id']}")
        return values[0]

    def score(self, q, response):
        return 1.0 if response is not None and response == str(q["answer"]) else 0.0

    def correct(self, q):
        return str(q["answer"])


class MultipleChoice(ChoiceQuestion):
    """Several correct choices; all-or-nothing or partial credit."""

    name = "multiple"
    keys = ChoiceQuestion.keys | {"scoring"}

    def check(self, q, report):
        ids = _ids(_check_entries(q, "choices", ("text",), report, 2))
        answer = q.get("answer")
        if not isinstance(answer, list) or not answer:
            report(_line(q, "answer"), "'answer' must list the correct choices")
            return
        for value in answer:
            if str(value) not in ids:
                report(_line(q, "answer"), f"answer '{value}' is not one of the choices")
        _scoring(q, report)

    def parse(self, q, form):
        values = _values(form, f"q-{q['id']}")
        if not values:
            return None
        ids = _ids(q["choices"])
        if any(v not in ids for v in values):
            raise InvalidAnswer(f"unknown choice for question {q['id']}")
        return sorted(set(values), key=ids.index)

    def score(self, q, response):
        if not response:
            return 0.0
        key = {str(a) for a in q["answer"]}
        picked = set(response)
        if _scoring(q) == "all_or_nothing":
            return 1.0 if picked == key else 0.0
        # Each right pick earns a share; each wrong pick takes one back; never below zero.
        earned = len(picked & key) - len(picked - key)
        return max(0.0, earned / len(key))

    def correct(self, q):
        return [str(a) for a in q["answer"]]


class TrueFalse(QuestionType):
    """A statement that is true or false."""

    name = "true_false"
    keys = frozenset({"answer"})

    def check(self, q, report):
        if not isinstance(q.get("answer"), bool):
            report(_line(q, "answer"), "'answer' must be true or false")

    def public(self, q, order):
        return {**super().public(q, order), "choices": [{"id": "true"}, {"id": "false"}]}

    def parse(self, q, form):
        values = _values(form, f"q-{q['id']}")
        if not values:
            return None
        if len(values) > 1 or values[0] not in ("true", "false"):
            raise InvalidAnswer(f"answer true or false to question {q['id']}")
        return values[0] == "true"

    def score(self, q, response):
        return 1.0 if response is not None and response == q["answer"] else 0.0

    def correct(self, q):
        return q["answer"]

    def describe(self, q, response) -> list[str]:
        if response is None:
            return []
        return ["true" if response else "false"]


class Ordering(QuestionType):
    """Put items in order; the bank lists them in the right order."""

    name = "ordering"
    keys = frozenset({"items", "scoring"})

    def check(self, q, report):
        _check_entries(q, "items", ("text",), report, 3)
        _scoring(q, report)

    def order(self, q, rng, shuffle):
        ids = _ids(q["items"])
        shown = ids[:]
        # Always shuffle, and never show the answer as the starting order.
        for _ in range(10):
            rng.shuffle(shown)
            if shown != ids:
                break
        return shown

    def public(self, q, order):
        by_id = {str(i["id"]): i for i in q["items"]}
        items = [{"id": i, "text": by_id[i]["text"]} for i in (order or by_id)]
        return {**super().public(q, order), "items": items, "positions": len(items)}

    def parse(self, q, form):
        ids = _ids(q["items"])
        prefix = f"q-{q['id']}-"
        if any(k.startswith(prefix) and k[len(prefix) :] not in ids for k in form):
            raise InvalidAnswer(f"unknown item for question {q['id']}")
        positions = {}
        for item in ids:
            values = _values(form, prefix + item)
            if values:
                if not values[0].isdigit() or not 1 <= int(values[0]) <= len(ids):
                    raise InvalidAnswer(f"invalid position for question {q['id']}")
                positions[item] = int(values[0])
        return positions or None

    def score(self, q, response):
        if not isinstance(response, Mapping) or not response:
            return 0.0
        ids = _ids(q["items"])
        right = sum(1 for index, item in enumerate(ids, 1) if response.get(item) == index)
        if _scoring(q) == "all_or_nothing":
            return 1.0 if right == len(ids) else 0.0
        return right / len(ids)

    def correct(self, q):
        return {item: index for index, item in enumerate(_ids(q["items"]), 1)}

    def describe(self, q, response) -> list[str]:
        if not isinstance(response, Mapping):
            return []
        texts = {str(i["id"]): i["text"] for i in q["items"]}
        placed = sorted((pos, item) for item, pos in response.items() if item in texts)
        return [f"{pos}. {texts[item]}" for pos, item in placed]


class Matching(QuestionType):
    """Match each left-hand entry to a right-hand one."""

    name = "matching"
    keys = frozenset({"pairs", "scoring"})

    def check(self, q, report):
        pairs = _check_entries(q, "pairs", ("left", "right"), report, 2)
        rights = [p.get("right") for p in pairs if isinstance(p, Mapping)]
        if len(set(rights)) != len(rights):
            report(_line(q, "pairs"), "right-hand texts must differ from one another")
        _scoring(q, report, default="partial")

    def order(self, q, rng, shuffle):
        ids = _ids(q["pairs"])
        rng.shuffle(ids)
        return ids

    def public(self, q, order):
        by_id = {str(p["id"]): p for p in q["pairs"]}
        return {
            **super().public(q, order),
            "lefts": [{"id": i, "text": by_id[i]["left"]} for i in by_id],
            "rights": [{"id": i, "text": by_id[i]["right"]} for i in (order or by_id)],
        }

    def parse(self, q, form):
        ids = _ids(q["pairs"])
        matches = {}
        for left in ids:
            values = _values(form, f"q-{q['id']}-{left}")
            if values:
                if values[0] not in ids:
                    raise InvalidAnswer(f"unknown match for question {q['id']}")
                matches[left] = values[0]
        return matches or None

    def score(self, q, response):
        if not isinstance(response, Mapping) or not response:
            return 0.0
        ids = _ids(q["pairs"])
        right = sum(1 for i in ids if response.get(i) == i)
        if _scoring(q, default="partial") == "all_or_nothing":
            return 1.0 if right == len(ids) else 0.0
        return right / len(ids)

    def correct(self, q):
        return {i: i for i in _ids(q["pairs"])}

    def describe(self, q, response) -> list[str]:
        if not isinstance(response, Mapping):
            return []
        by_id = {str(p["id"]): p for p in q["pairs"]}
        return [
            f"{by_id[left]['left']} → {by_id[right]['right']}"
            for left, right in response.items()
            if left in by_id and right in by_id
        ]


class CaseScenario(QuestionType):
    """A case text followed by several questions; worth one point shared among them."""

    name = "case"
    keys = frozenset({"case", "questions"})
    SUB_TYPES = ("single", "multiple", "true_false")

    def check(self, q, report):
        if not isinstance(q.get("case"), str) or not q["case"].strip():
            report(_line(q, "case"), "'case' must hold the case text")
        subs = q.get("questions")
        if not isinstance(subs, list) or len(subs) < 2:
            report(_line(q, "questions"), "a case needs at least 2 questions")

    def sub_questions(self, q) -> list:
        return [s for s in q.get("questions") or [] if isinstance(s, Mapping)]

    def order(self, q, rng, shuffle):
        return None

    def public(self, q, order):
        return {**super().public(q, order), "case": q["case"]}

    def leaves(self, q):
        return self.sub_questions(q)

    def parse(self, q, form):
        raise InvalidAnswer("answer the questions of a case one by one")

    def score(self, q, response):
        subs = self.sub_questions(q)
        if not subs or not isinstance(response, Mapping):
            return 0.0
        total = sum(QUESTION_TYPES[s["type"]].score(s, response.get(str(s["id"]))) for s in subs)
        return total / len(subs)

    def correct(self, q):
        return {str(s["id"]): QUESTION_TYPES[s["type"]].correct(s) for s in self.sub_questions(q)}


QUESTION_TYPES: dict[str, QuestionType] = {
    t.name: t
    for t in (SingleChoice(), MultipleChoice(), TrueFalse(), Ordering(), Matching(), CaseScenario())
}
COMMON_KEYS = frozenset({"id", "type", "tags", "prompt", "explanation", "source"})

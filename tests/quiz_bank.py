"""A small question bank using every question type, for tests."""

SETTINGS = {
    "pass_mark": 70,
    "draw": None,
    "draw_per_tag": {},
    "shuffle_questions": False,
    "shuffle_choices": False,
    "attempt_limit": None,
    "wait_minutes": 0,
    "time_limit_minutes": None,
    "show_answers": "after_attempt",
    "layout": "paged",
    "per_page": 2,
}


def _common(qid, tag):
    return {
        "id": qid,
        "tags": [tag],
        "explanation": f"Because of {qid}.",
        "source": "Palermo Protocol, Art. 3",
    }


QUESTIONS = [
    {
        **_common("q-single", "elements"),
        "type": "single",
        "prompt": "Which element is never needed for a child victim?",
        "choices": [
            {"id": "a", "text": "Means", "feedback": "Right: Art. 3(c)."},
            {"id": "b", "text": "Act", "feedback": "The act is still needed."},
            {"id": "c", "text": "Purpose"},
        ],
        "answer": "a",
    },
    {
        **_common("q-multi", "indicators"),
        "type": "multiple",
        "scoring": "partial",
        "prompt": "Which are typical signs?",
        "choices": [
            {"id": "a", "text": "No control of ID"},
            {"id": "b", "text": "Owns a car"},
            {"id": "c", "text": "Debt to the employer"},
            {"id": "d", "text": "Speaks two languages"},
        ],
        "answer": ["a", "c"],
    },
    {
        **_common("q-tf", "elements"),
        "type": "true_false",
        "prompt": "Consent is irrelevant once a means was used.",
        "answer": True,
    },
    {
        **_common("q-order", "referral"),
        "type": "ordering",
        "scoring": "all_or_nothing",
        "prompt": "Order the steps.",
        "items": [
            {"id": "a", "text": "Safety first"},
            {"id": "b", "text": "Alert THB unit"},
            {"id": "c", "text": "Risk assessment"},
        ],
    },
    {
        **_common("q-match", "referral"),
        "type": "matching",
        "prompt": "Match actor to role.",
        "pairs": [
            {"id": "a", "left": "Victim advocate", "right": "Represents the victim"},
            {"id": "b", "left": "CSW", "right": "Attends child assessments"},
            {"id": "c", "left": "ISF", "right": "State shelter for high-risk victims"},
        ],
    },
    {
        **_common("q-case", "indicators"),
        "type": "case",
        "case": "In Pejë/Peć a labour inspector meets a waitress whose passport the owner holds.",
        "questions": [
            {
                "id": "q-case-a",
                "type": "single",
                "prompt": "First step?",
                "choices": [
                    {"id": "a", "text": "Tell the owner"},
                    {"id": "b", "text": "Inform the THB unit"},
                ],
                "answer": "b",
                "explanation": "AI 01/2014.",
                "source": "AI 01/2014",
            },
            {
                "id": "q-case-b",
                "type": "true_false",
                "prompt": "Her irregular status is the priority.",
                "answer": False,
                "explanation": "It is not.",
                "source": "SOP",
            },
        ],
    },
]

#: Form data answering every question correctly.
ALL_RIGHT = {
    "q-q-single": ["a"],
    "q-q-multi": ["a", "c"],
    "q-q-tf": ["true"],
    "q-q-order-a": ["1"],
    "q-q-order-b": ["2"],
    "q-q-order-c": ["3"],
    "q-q-match-a": ["a"],
    "q-q-match-b": ["b"],
    "q-q-match-c": ["c"],
    "q-q-case-a": ["b"],
    "q-q-case-b": ["false"],
}
LEAVES = ["q-single", "q-multi", "q-tf", "q-order", "q-match", "q-case-a", "q-case-b"]

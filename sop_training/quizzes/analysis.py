"""Item analysis of finished attempts: facility, discrimination, choice frequencies."""

import csv
import io
from collections import Counter
from dataclasses import dataclass, field

#: Share of attempts in each of the upper and lower groups (Kelley's 27 %).
GROUP_SHARE = 0.27


@dataclass(frozen=True)
class ScoredAttempt:
    """What the analysis needs from one finished attempt."""

    percent: float
    per_question: dict  # question id -> score from 0 to 1
    responses: dict  # answerable id -> response


@dataclass
class ItemStats:
    """Statistics of one question across attempts."""

    question_id: str
    shown: int = 0
    share_correct: float = 0.0
    discrimination: float | None = None
    #: answerable id -> {choice id or "true"/"false": share of attempts that picked it}
    choices: dict = field(default_factory=dict)


def _mean(values) -> float:
    values = list(values)
    return sum(values) / len(values) if values else 0.0


def _picks(response) -> list[str]:
    if isinstance(response, bool):
        return ["true" if response else "false"]
    if isinstance(response, str):
        return [response]
    if isinstance(response, list):
        return [str(v) for v in response]
    return []


def item_analysis(
    attempts: list[ScoredAttempt], leaves_of: dict[str, list[str]]
) -> list[ItemStats]:
    """Analyse each question; ``leaves_of`` maps a question id to its answerable ids, in order."""
    ranked = sorted(attempts, key=lambda a: a.percent)
    group = max(1, round(len(ranked) * GROUP_SHARE)) if len(ranked) >= 2 else 0
    lower, upper = ranked[:group], ranked[len(ranked) - group :] if group else []
    stats = []
    for qid, leaves in leaves_of.items():
        shown = [a for a in attempts if qid in a.per_question]
        item = ItemStats(question_id=qid, shown=len(shown))
        if shown:
            item.share_correct = round(_mean(a.per_question[qid] for a in shown), 4)
            up = [a.per_question[qid] for a in upper if qid in a.per_question]
            low = [a.per_question[qid] for a in lower if qid in a.per_question]
            if up and low:
                item.discrimination = round(_mean(up) - _mean(low), 4)
            for leaf in leaves:
                counts = Counter(p for a in shown for p in _picks(a.responses.get(leaf)))
                if counts:
                    item.choices[leaf] = {
                        k: round(v / len(shown), 4) for k, v in sorted(counts.items())
                    }
        stats.append(item)
    return stats


def items_csv(stats: list[ItemStats], prompts: dict[str, str]) -> str:
    """Write the item analysis as CSV text, one row per question."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["question_id", "prompt", "shown", "share_correct", "discrimination", "choices"]
    )
    for item in stats:
        choices = "; ".join(
            f"{leaf}:{choice}={share:.2f}"
            for leaf, shares in item.choices.items()
            for choice, share in shares.items()
        )
        writer.writerow(
            [
                item.question_id,
                prompts.get(item.question_id, ""),
                item.shown,
                f"{item.share_correct:.4f}",
                "" if item.discrimination is None else f"{item.discrimination:.4f}",
                choices,
            ]
        )
    return out.getvalue()

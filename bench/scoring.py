"""`python -m bench.scoring [--submissions 1000] [--questions 100]`: evaluation scoring speed.

Scores N submissions of a framework with Q questions (levels, choices, multi-choices, booleans,
numbers with target and with bands, `visible_if` skip logic; a quarter of the submissions with
verified answers, so two score sets each) in-process, and prints the time per submission next
to a bare baseline measured in the same run: summing Q floats per submission. The ratio is
what exact (Fraction) scoring with the full rules costs over doing nearly nothing.
"""

from __future__ import annotations

import argparse
import random
import time
from typing import Any

from evaluation.domain import Framework, parse_framework, score_submission

LEVELS = [{"label": f"L{n}", "criteria": f"level {n}"} for n in range(1, 6)]
OPTIONS = [{"value": v, "label": v, "score": s} for v, s in (("a", 0), ("b", 0.5), ("c", 1))]


def question(key: str, n: int) -> dict[str, Any]:
    kind = n % 6
    base: dict[str, Any] = {"key": key, "text": f"{key}?", "weight": 1 + n % 3}
    if kind == 0:
        return {**base, "type": "level", "levels": LEVELS}
    if kind == 1:
        return {**base, "type": "choice", "options": OPTIONS}
    if kind == 2:
        return {**base, "type": "multi_choice", "options": OPTIONS}
    if kind == 3:
        return {**base, "type": "boolean"}
    if kind == 4:
        return {**base, "type": "number", "target": 80}
    bands = [[0, 0.25], [0.33, 0.5], [0.66, 0.75], [0.95, 1]]
    shown = {"question": f"q{n - 2}", "op": "eq", "value": True}  # the boolean two before
    return {**base, "type": "number", "target": 100, "bands": bands, "visible_if": shown}


def framework(questions: int) -> Framework:
    """5 dimensions x 4 indicators, questions spread evenly, SPBE-like bands."""
    per_indicator = max(1, questions // 20)
    n = 0
    dimensions = []
    for d in range(5):
        indicators = []
        for i in range(4):
            items = [question(f"q{n + k}", n + k) for k in range(per_indicator)]
            n += per_indicator
            indicators.append({"key": f"i{d}-{i}", "name": f"I {d}.{i}", "weight": 1 + i % 2,
                               "tags": {"pillar": f"p{i % 3}"}, "questions": items})  # fmt: skip
        dimensions.append(
            {"key": f"d{d}", "name": f"D {d}", "weight": 1 + d, "indicators": indicators}
        )
    return parse_framework(
        {
            "key": "bench",
            "name": "Bench",
            "scale_max": 5,
            "dimensions": dimensions,
            "bands": [{"label": "Kurang", "min": 0}, {"label": "Baik", "min": 2.6}],
        }
    )


def answers_for(fw: Framework, rng: random.Random) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for q in fw.questions():
        kind = q.type.value
        if rng.random() < 0.05:
            continue  # left unanswered: scores 0
        if kind == "level":
            answers[q.key] = rng.randint(1, 5)
        elif kind == "choice":
            answers[q.key] = rng.choice("abc")
        elif kind == "multi_choice":
            answers[q.key] = rng.sample(["a", "b", "c"], rng.randint(0, 3))
        elif kind == "boolean":
            answers[q.key] = rng.random() < 0.6
        else:
            answers[q.key] = round(rng.uniform(0, 120), 1)
    return answers


def _is_level(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--submissions", type=int, default=1000)
    parser.add_argument("--questions", type=int, default=100)
    args = parser.parse_args(argv)
    fw = framework(args.questions)
    rng = random.Random(42)
    inputs = []
    for n in range(args.submissions):
        answers = answers_for(fw, rng)
        verified = {k: v - 1 for k, v in answers.items() if _is_level(v) and v > 1}
        inputs.append((answers, verified if n % 4 == 0 else None))
    numbers = [[rng.random() for _ in range(args.questions)] for _ in range(args.submissions)]

    start = time.perf_counter()
    totals = [sum(row) for row in numbers]
    baseline = time.perf_counter() - start

    start = time.perf_counter()
    cards = [score_submission(fw, answers, verified) for answers, verified in inputs]
    scoring = time.perf_counter() - start

    assert len(cards) == len(totals) == args.submissions
    per_sub, per_base = scoring / args.submissions, baseline / args.submissions
    print(f"framework: {sum(1 for _ in fw.questions())} questions, 20 indicators, 5 dimensions")
    us_sub, us_base = per_sub * 1e6, per_base * 1e6
    print(f"scoring  : {args.submissions} submissions, {scoring:.3f} s = {us_sub:9.1f} us each")
    print(f"baseline : sum of {args.questions} floats     = {us_base:9.1f} us each")
    print(f"ratio    : {per_sub / per_base:,.0f}x the bare baseline")


if __name__ == "__main__":
    main()

"""Use cases of scorecards: per submission, per cycle (aggregate, ranking); publishing is in
`publishing`.

Scores are recomputed from the stored answers and the cycle's frozen framework version
(scoring is pure and deterministic), so the numbers never drift from the rules. Who reads:
the participant (its own, any time), assessors and the region's admin (once submitted); every
role of the region (viewers included) once the cycle's scorecard is published.
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from fractions import Fraction
from typing import TYPE_CHECKING

from smartcity_shared.errors import NotFound
from smartcity_shared.identity import Identity

from .common import Doc, is_reviewer
from .domain import (
    Breakdown,
    Framework,
    Scorecard,
    aggregate_cycle,
    breakdown,
    compare_breakdowns,
    deltas_to_dict,
    rank,
    report,
    score_submission,
)
from .domain.reporting import as_json_number
from .submissions import cycle_of, may_read

if TYPE_CHECKING:
    from .bootstrap import Context

OPEN_STATES = ("submitted", "in_review", "returned", "verified")
EXACT = "_exact"  # the exact Breakdown in a computed cycle result (never sent)


def number(s: Fraction | None, scale_max: Fraction) -> float | None:
    return as_json_number(report(s, scale_max))


def framework_for(c: Context, cycle: Doc) -> Framework:
    return c.frameworks.load(
        c.store("frameworks"), cycle["framework_key"], cycle["framework_version"]
    )


def card_of(framework: Framework, doc: Doc) -> Scorecard:
    return score_submission(framework, doc["answers"], doc["verified"], doc["assessor_scores"])


def card_breakdown(framework: Framework, card: Scorecard) -> Breakdown:
    """A participant's final scores by stable key, for year-on-year comparison."""
    return breakdown(framework, card.overall, card.final.dimensions, card.final.tags)


def comparison(previous: Doc, current: Breakdown, before: Breakdown, scale_max: Fraction) -> Doc:
    """Per dimension and per tag: current, previous, delta and status (kept / new / dropped),
    on this year's scale, naming the previous year's cycle."""
    return {
        "previous": {
            "cycle_id": previous["_id"],
            "year": previous["year"],
            "framework_version": previous["framework_version"],
        },
        **deltas_to_dict(compare_breakdowns(current, before), scale_max),
    }


def labels(framework: Framework) -> Doc:
    return {
        "dimensions": {d.key: d.name for d in framework.dimensions},
        "indicators": {i.key: i.name for _, i in framework.indicators()},
    }


def final_cards(c: Context, cycle: Doc) -> dict[str, tuple[Doc, Scorecard]]:
    """`{unit code: (submission, scorecard)}` of the cycle's final submissions."""
    framework = framework_for(c, cycle)
    docs = c.store("submissions").collection.find({"cycle_id": cycle["_id"], "state": "final"})
    return {doc["unit"]: (doc, card_of(framework, doc)) for doc in docs}


def _readable_published(who: Identity, cycle: Doc) -> bool:
    return bool(cycle.get("published")) and who.sees_region(cycle["region"])


def submission_scorecard(c: Context, who: Identity, cycle_id: str, code: str) -> Doc:
    """Self vs verified vs difference, per dimension, indicator and tag, with the band."""
    cycle = cycle_of(c, who, cycle_id)
    doc = c.store("submissions").get(f"{cycle_id}:{code}")
    published_final = doc is not None and doc["state"] == "final" and cycle.get("published")
    if doc is None or not (published_final or (who.role != "viewer" and may_read(who, doc))):
        raise NotFound(f"submission of {code} in {cycle_id} not found")
    framework = framework_for(c, cycle)
    card = card_of(framework, doc)
    previous = _previous_card(c, cycle, code)
    return {
        "submission_id": doc["_id"],
        "cycle_id": cycle_id,
        "region": cycle["region"],
        "year": cycle["year"],
        "unit": code,
        "unit_name": doc["unit_name"],
        "state": doc["state"],
        "labels": labels(framework),
        **card.to_dict(),
        "comparison": None
        if previous is None
        else comparison(
            previous[0], card_breakdown(framework, card), previous[1], framework.scale_max
        ),
    }


def _previous_card(c: Context, cycle: Doc, code: str) -> tuple[Doc, Breakdown] | None:
    """The participant's final result in the previous published year (None: none there)."""
    previous = previous_published(c, cycle)
    if previous is None:
        return None
    doc = c.store("submissions").get(f"{previous['_id']}:{code}")
    if doc is None or doc["state"] != "final":
        return None
    framework = framework_for(c, previous)
    return previous, card_breakdown(framework, card_of(framework, doc))


def compute_cycle(c: Context, cycle: Doc) -> Doc:
    """The cycle's aggregate (unweighted mean of participants) and ranking, reported."""
    framework = framework_for(c, cycle)
    cards = final_cards(c, cycle)
    aggregate = aggregate_cycle(framework, (card for _, card in cards.values()))
    scale = framework.scale_max
    ranking = []
    for ranked in rank({code: card.overall for code, (_, card) in cards.items()}):
        doc, card = cards[ranked.participant]
        ranking.append(
            {
                "rank": ranked.rank,
                "unit": ranked.participant,
                "unit_name": doc["unit_name"],
                "overall": number(card.overall, scale),
                "band": card.band,
                "self_overall": number(card.self_assessed.overall, scale),
                "difference": number(card.difference().overall, scale),
                "dimensions": {k: number(s, scale) for k, s in card.final.dimensions.items()},
            }
        )
    scored = set(cards)
    return {
        "cycle_id": cycle["_id"],
        "region": cycle["region"],
        "year": cycle["year"],
        "name": cycle["name"],
        "framework": {"key": framework.key, "version": framework.version},
        "scale_max": number(Fraction(1), scale),
        "participants": aggregate.participants,
        "overall": number(aggregate.overall, scale),
        "band": aggregate.band,
        "dimensions": {k: number(s, scale) for k, s in aggregate.dimensions.items()},
        "tags": {
            name: {v: number(s, scale) for v, s in values.items()}
            for name, values in aggregate.tags.items()
        },
        "labels": labels(framework),
        "ranking": ranking,
        "not_scored": [
            p["unit_code"] for p in cycle["participants"] if p["unit_code"] not in scored
        ],
        EXACT: breakdown(framework, aggregate.overall, aggregate.dimensions, aggregate.tags),
    }


def previous_published(c: Context, cycle: Doc) -> Doc | None:
    """The latest published cycle of the same region and framework key before this year."""
    found = c.store("cycles").collection.find(
        {
            "region": cycle["region"],
            "framework_key": cycle["framework_key"],
            "published": True,
            "year": {"$lt": cycle["year"]},
        },
        {"_outbox": 0},
    )
    candidates = sorted(found, key=lambda d: d["year"])
    return candidates[-1] if candidates else None


_PUBLISHED: OrderedDict[tuple[str, str, int], Doc] = OrderedDict()
_PUBLISHED_LOCK = threading.Lock()
_PUBLISHED_MAX = 256


def cycle_result(c: Context, cycle: Doc) -> Doc:
    """`compute_cycle`, remembered for published, closed cycles: no submission of a closed
    cycle can change (owner and reviewer writes are refused) and its framework version is
    frozen, so the result only changes with the cycle document itself (database, id and
    revision are the key; reopening the cycle bumps the revision). Others are computed anew."""
    if not (cycle.get("published") and cycle.get("phase") == "closed"):
        return compute_cycle(c, cycle)
    key = (c.db.name, str(cycle["_id"]), int(cycle.get("_rev", 0)))
    with _PUBLISHED_LOCK:
        hit = _PUBLISHED.get(key)
        if hit is not None:
            _PUBLISHED.move_to_end(key)
            return copy.deepcopy(hit)
    result = compute_cycle(c, cycle)
    with _PUBLISHED_LOCK:
        _PUBLISHED[key] = copy.deepcopy(result)
        while len(_PUBLISHED) > _PUBLISHED_MAX:
            _PUBLISHED.popitem(last=False)
    return result


def year_on_year(c: Context, cycle: Doc, result: Doc) -> tuple[float | None, Doc | None]:
    """(overall delta, comparison) against the previous published year, or (None, None).

    Computed on every call, never cached with the result: which year is "previous" changes
    when an earlier cycle is published, while this cycle's own result does not."""
    previous = previous_published(c, cycle)
    if previous is None:
        return None, None
    before = cycle_result(c, previous)[EXACT]
    found = comparison(previous, result[EXACT], before, framework_for(c, cycle).scale_max)
    return found["overall"]["delta"], found


def cycle_scorecard(c: Context, who: Identity, cycle_id: str) -> Doc:
    cycle = cycle_of(c, who, cycle_id)
    if not (is_reviewer(who, cycle["region"]) or _readable_published(who, cycle)):
        raise NotFound(f"scorecard of {cycle_id} not found")
    result = cycle_result(c, cycle)
    result["delta"], result["comparison"] = year_on_year(c, cycle, result)
    result["published"] = bool(cycle.get("published"))
    result["published_at"] = cycle.get("published_at")
    result.pop(EXACT)
    return result

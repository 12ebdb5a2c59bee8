"""Any JSON a client sends is either accepted or refused with ValidationProblem, never a crash."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from innovation.domain.innovation import PROFILE_FIELDS, register_innovation, update_profile
from innovation.domain.masterplan import PLAN_FIELDS, PROGRAMME_FIELDS, create_master_plan
from innovation.domain.milestones import MILESTONE_FIELDS, parse_milestone
from innovation.domain.quota import POLICY_FIELDS, parse_quota_policy
from innovation.domain.search import FILTER_FIELDS, parse_innovation_filter
from innovation.domain.stages import (
    STAGE_CHANGE_FIELDS,
    VERIFICATION_FIELDS,
    parse_stage_change,
    parse_verification,
)
from smartcity_shared.errors import ValidationProblem
from tests.unit.innovation.inno_factories import REGION, TODAY, make_innovation

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(10**12), 10**12)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.sampled_from(["2020-01-31", "2020-02-30", "trial", "digital", "governance", "u-1"])
)
KEYS = st.text(max_size=6) | st.sampled_from(["$x", "a.b", "url", "description", "indicator"])
JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=12,
)


def bodies(fields: tuple[str, ...]) -> st.SearchStrategy[Any]:
    """Objects mostly made of the known keys with arbitrary values, and arbitrary JSON."""
    known = st.dictionaries(st.sampled_from(fields), JSON, max_size=len(fields))
    return known | JSON


PARSERS: dict[str, tuple[Callable[[Any], object], tuple[str, ...]]] = {
    "register": (
        lambda b: register_innovation(
            b, innovation_id="i", region=REGION, registered_by="u", today=TODAY
        ),
        (*PROFILE_FIELDS, "stage"),
    ),
    "update": (lambda b: update_profile(make_innovation(), b), PROFILE_FIELDS),
    "stage": (lambda b: parse_stage_change(b, today=TODAY), STAGE_CHANGE_FIELDS),
    "verify": (lambda b: parse_verification(b, today=TODAY), VERIFICATION_FIELDS),
    "policy": (lambda b: parse_quota_policy(b, region=REGION, year=2020), POLICY_FIELDS),
    "milestone": (lambda b: parse_milestone(b, milestone_id="m", today=TODAY), MILESTONE_FIELDS),
    "plan": (
        lambda b: create_master_plan(b, plan_id="p", region=REGION, by="u", today=TODAY),
        (*PLAN_FIELDS, *PROGRAMME_FIELDS),
    ),
}


@pytest.mark.parametrize("name", sorted(PARSERS))
def test_parsers_accept_or_refuse_cleanly(name: str) -> None:
    parse, fields = PARSERS[name]

    @settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(bodies(fields))
    def run(data: Any) -> None:
        try:
            parse(data)
        except ValidationProblem as problem:
            assert problem.errors
            assert all(isinstance(m, str) for ms in problem.errors.values() for m in ms)

    run()


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from([*FILTER_FIELDS, "$where"]), st.text(max_size=8)))
def test_query_arguments_accept_or_refuse_cleanly(args: dict[str, str]) -> None:
    try:
        parse_innovation_filter(args)
    except ValidationProblem as problem:
        assert problem.errors

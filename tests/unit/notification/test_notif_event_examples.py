"""The producers' example events (shared/…/events/examples) render with every default rule
that routes them, and plan reminders whose mails render: templates and triggers read the
fields the registered schemas define."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from notification.domain.default_rules import DEFAULT_RULES
from notification.domain.notices import notice_context, notices_for_event
from notification.domain.reminders import plan_reminders, reminder_event
from notification.domain.rules import rule_from_dict
from notification.domain.triggers import plan_requests
from notification.examples import EXAMPLE_DIRECTORY
from notification.mail import render
from smartcity_shared.events import REGISTRY, validate

EXAMPLES = (
    Path(__file__).resolve().parents[3] / "shared" / "smartcity_shared" / "events" / "examples"
)


def example(event_type: str) -> dict[str, Any]:
    envelope = json.loads((EXAMPLES / f"{event_type}.v1.json").read_text())
    schema = REGISTRY[event_type].versions[1]()
    return {**envelope, "data": schema.dump(validate(envelope))}  # as the handler sees it


def to_anyone(raw: dict[str, Any]) -> Any:
    """The rule, enabled, unconditional, addressed to one explicit address."""
    rule = {**raw, "audiences": ["explicit"], "explicit": ["x@batangkab.go.id"]}
    return rule_from_dict({**rule, "enabled": True, "conditions": []})


ROUTED = [r for r in DEFAULT_RULES if r["event_type"] in REGISTRY]
PLANNING = [
    "smartcity.cycle.opened",
    "smartcity.cycle.deadline_set",
    "smartcity.recommendation.issued",
    "smartcity.recommendation.due_changed",
    "smartcity.quota.shortfall_detected",
    "smartcity.quota.compliance_changed",
    "smartcity.quota.policy_set",
    "smartcity.milestone.planned",
]


@pytest.mark.parametrize("raw", ROUTED, ids=[r["id"] for r in ROUTED])
@pytest.mark.parametrize("language", ["id", "en"])
def test_each_routed_example_event_renders(raw: dict[str, Any], language: str) -> None:
    event = example(raw["event_type"])
    [notice] = notices_for_event(event, [to_anyone(raw)], EXAMPLE_DIRECTORY)

    mail = render(raw["template"], language, notice_context(notice, EXAMPLE_DIRECTORY))

    assert mail.subject and "None" not in mail.subject


@pytest.mark.parametrize("event_type", PLANNING)
def test_reminders_planned_from_example_events_render(event_type: str) -> None:
    event = example(event_type)
    reminder_rules = [to_anyone(r) for r in DEFAULT_RULES if ".reminder." in r["event_type"]]
    requests = plan_requests(event)
    assert requests, f"{event_type} plans nothing"
    for request in requests:
        units = request.units or ("kab-batang:dinkes",)  # a moved deadline names no units
        deadline = request.deadline
        early = datetime(2000, 1, 1, tzinfo=UTC)
        plan = plan_reminders(request.kind, request.subject_id, request.region, units, deadline,
                              early, details={**request.details})  # fmt: skip
        assert plan, f"{event_type}: nothing planned"
        for reminder in plan:
            now = reminder.due_at + timedelta(minutes=1)
            fired = reminder_event(reminder, now)
            notices = notices_for_event(fired, reminder_rules, EXAMPLE_DIRECTORY)
            assert notices, f"{fired['type']} reaches no rule"
            for notice in notices:
                context = notice_context(notice, EXAMPLE_DIRECTORY)
                assert render(notice.template, "id", context).subject

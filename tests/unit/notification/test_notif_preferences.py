"""Preferences, the send-now/digest/suppressed decision, and the daily digest."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from notification.domain.digest import build_digest, digest_id, next_digest_time
from notification.domain.notices import Notice
from notification.domain.preferences import (
    Decision,
    Language,
    Preference,
    decide,
    default_preference,
    preference_from_dict,
    preference_to_dict,
)
from notification.domain.rules import Audience, Category, Recipient
from smartcity_shared.errors import ValidationProblem

EMAIL = "dinkes@batangkab.go.id"


def notice(
    category: Category = Category.INFO,
    urgent: bool = False,
    event_id: str = "e1",
    email: str = EMAIL,
    at: datetime | None = None,
    template: str = "scorecard_published",
) -> Notice:
    return Notice(
        event_id=event_id,
        event_type="smartcity.x",
        rule_id="r",
        template=template,
        category=category,
        urgent=urgent,
        recipient=Recipient(email, "Dinas Kesehatan", Audience.UNIT_CONTACTS),
        region="kab-batang",
        unit="kab-batang:dinkes",
        subject=None,
        occurred_at=at,
    )


DIGESTER = Preference(EMAIL, digest_hour=7, opt_out=frozenset({Category.QUOTA}))


@pytest.mark.parametrize(
    ("preference", "item", "expected"),
    [
        (None, notice(), Decision.SEND_NOW),
        (Preference(EMAIL), notice(), Decision.SEND_NOW),
        (DIGESTER, notice(Category.INFO), Decision.DIGEST),
        (DIGESTER, notice(Category.REVIEW), Decision.DIGEST),
        (DIGESTER, notice(Category.REVIEW, urgent=True), Decision.SEND_NOW),
        (DIGESTER, notice(Category.QUOTA), Decision.SUPPRESSED),
        (DIGESTER, notice(Category.QUOTA, urgent=True), Decision.SUPPRESSED),
        (DIGESTER, notice(Category.DEADLINE), Decision.SEND_NOW),
        (DIGESTER, notice(Category.OVERDUE), Decision.SEND_NOW),
    ],
)
def test_decide(preference, item, expected):
    assert decide(preference, item) is expected


def test_deadline_and_overdue_are_never_suppressed_even_if_stored_as_opted_out():
    stubborn = Preference(EMAIL, opt_out=frozenset(Category), digest_hour=7)

    assert decide(stubborn, notice(Category.DEADLINE)) is Decision.SEND_NOW
    assert decide(stubborn, notice(Category.OVERDUE)) is Decision.SEND_NOW
    assert decide(stubborn, notice(Category.INFO)) is Decision.SUPPRESSED


def test_opting_out_of_deadlines_is_refused():
    with pytest.raises(ValidationProblem) as caught:
        preference_from_dict({"email": EMAIL, "opt_out": ["info", "deadline", "gossip"]})

    assert set(caught.value.errors) == {"opt_out.1", "opt_out.2"}


def test_invalid_preferences_list_each_field():
    with pytest.raises(ValidationProblem) as caught:
        preference_from_dict(
            {"email": "nope", "language": "fr", "digest_hour": 24, "timezone": "X/Y", "z": 1}
        )

    assert set(caught.value.errors) == {"email", "language", "digest_hour", "timezone", "z"}


def test_preferences_round_trip_and_default_to_indonesian():
    built = preference_from_dict({"opt_out": ["info"], "digest_hour": 7}, email="A@B.id")

    assert built == Preference("a@b.id", Language.ID, frozenset({Category.INFO}), 7)
    assert preference_from_dict(preference_to_dict(built)) == built
    assert default_preference(EMAIL, language="en").language is Language.EN
    assert default_preference(EMAIL, language="fr").language is Language.ID


def test_next_digest_time_is_the_next_local_hour():
    pref = Preference(EMAIL, digest_hour=7)  # 07:00 WIB = 00:00 UTC

    assert next_digest_time(pref, datetime(2020, 7, 1, 23, 59, tzinfo=UTC)) == datetime(
        2020, 7, 2, 0, 0, tzinfo=UTC
    )
    # At 07:00 WIB exactly, the digest of that moment is being sent: the next one is tomorrow.
    assert next_digest_time(pref, datetime(2020, 7, 2, 0, 0, tzinfo=UTC)) == datetime(
        2020, 7, 3, 0, 0, tzinfo=UTC
    )
    assert next_digest_time(Preference(EMAIL), datetime(2020, 7, 2, tzinfo=UTC)) is None


def test_a_days_notices_become_one_digest_grouped_by_category_oldest_first():
    at = datetime(2020, 7, 2, 0, 0, tzinfo=UTC)
    t0 = datetime(2020, 7, 1, 3, 0, tzinfo=UTC)
    items = [
        notice(Category.INFO, event_id="e3", at=t0 + timedelta(hours=3)),
        notice(Category.REVIEW, event_id="e2", at=t0 + timedelta(hours=2)),
        notice(Category.INFO, event_id="e1", at=t0),
        notice(Category.INFO, event_id="e1", at=t0),  # redelivered
        notice(Category.INFO, event_id="e9", email="someone@else.id", at=t0),
    ]

    digest = build_digest(EMAIL, at, items)

    assert digest is not None
    assert [n.event_id for n in digest.notices] == ["e1", "e2", "e3"]
    assert [(c, [n.event_id for n in ns]) for c, ns in digest.groups] == [
        (Category.REVIEW, ["e2"]),
        (Category.INFO, ["e1", "e3"]),
    ]
    assert digest.id == digest_id("DINKES@batangkab.go.id", at)
    assert digest.delivery_key == (digest.id, EMAIL, "digest")


def test_no_notices_no_digest():
    assert build_digest(EMAIL, datetime(2020, 7, 2, tzinfo=UTC), []) is None

"""Mapping between the domain dataclasses and stored documents (pure: no pymongo).

Documents hold JSON values only: dates as ISO strings (`YYYY-MM-DD`), enums as their string
values, tuples as lists. `*_from` ignores what the domain does not know (`_rev`, audit
fields such as `created_at`), so the same document can carry both.
"""

from .common import Doc, day, iso
from .innovations import (
    evidence_doc,
    evidence_from,
    innovation_doc,
    innovation_from,
    milestone_doc,
    milestone_from,
)
from .plans import plan_doc, plan_doc_id, plan_from, programme_doc
from .quota import policy_doc, policy_from, policy_id, report_doc, report_from

__all__ = [
    "Doc",
    "day",
    "evidence_doc",
    "evidence_from",
    "innovation_doc",
    "innovation_from",
    "iso",
    "milestone_doc",
    "milestone_from",
    "plan_doc",
    "plan_doc_id",
    "plan_from",
    "policy_doc",
    "policy_from",
    "policy_id",
    "programme_doc",
    "report_doc",
    "report_from",
]

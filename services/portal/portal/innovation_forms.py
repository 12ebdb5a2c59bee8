"""The innovation forms read back into the innovation API's bodies.

Field names are the API's own error paths (`name`, `pillar`, `to`, `evidence.0.url`,
`planned_date`, ...), so a 422's `errors` land beside their fields unchanged. Reading only turns
strings into JSON values (a year into a number); whether a value is valid is the API's answer.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

Doc = dict[str, Any]
CHOICES = ("type", "form", "initiator", "pillar")
TEXTS = ("description", "objective", "benefits", "results")


def choices() -> dict[str, list[tuple[str, str]]]:
    """The API's closed sets with the labels the forms show (values are the API's)."""
    return {
        "type": [("non_digital", _("Non-digital")), ("digital", _("Digital"))],
        "form": [
            ("public_service", _("Public service")),
            ("governance", _("Governance")),
            ("other", _("Other")),
        ],
        "initiator": [
            ("opd", _("The OPD")),
            ("head_of_region", _("Head of the region")),
            ("council_member", _("Council member")),
            ("civil_servant", _("Civil servant")),
            ("citizen", _("Citizen")),
        ],
        "pillar": [
            ("governance", _("Smart governance")),
            ("branding", _("Smart branding")),
            ("economy", _("Smart economy")),
            ("living", _("Smart living")),
            ("society", _("Smart society")),
            ("environment", _("Smart environment")),
        ],
        "to": [
            ("initiative", _("initiative")),
            ("trial", _("trial")),
            ("implemented", _("implemented")),
            ("discontinued", _("discontinued")),
        ],
    }


def _text(form: MultiDict[str, str], key: str) -> str:
    return form.get(key, "").strip()


def read_year(raw: str) -> Any:
    text = raw.strip()
    return int(text) if text.isdigit() else (text or None)


def read_profile(form: MultiDict[str, str], editing: bool = False) -> Doc:
    """The profile fields of a register (POST) or edit (PATCH) body.

    Registering leaves out what is empty (the API names what is required); editing sends the
    name as typed and null for a text the form shows emptied (null clears it).
    """
    body: Doc = {}
    name = _text(form, "name")
    if name or editing:
        body["name"] = name
    for key in CHOICES:
        if _text(form, key):
            body[key] = _text(form, key)
    for key in TEXTS:
        if _text(form, key):
            body[key] = _text(form, key)
        elif editing and key in form:  # a text the form does not show stays as it is
            body[key] = None
    if "year" in form:
        body["year"] = read_year(form.get("year", ""))
    return body


def read_evidence(form: MultiDict[str, str], prefix: str = "evidence.0") -> list[Doc]:
    """One evidence link (url and description) when either is filled in."""
    url, description = _text(form, f"{prefix}.url"), _text(form, f"{prefix}.description")
    if not url and not description:
        return []
    return [{"url": url, "description": description, "kind": "link"}]


def read_stage(form: MultiDict[str, str]) -> Doc:
    """A stage change: `to`, and `date`, `reason`, `evidence` when given."""
    body: Doc = {"to": _text(form, "to")}
    for key in ("date", "reason"):
        if _text(form, key):
            body[key] = _text(form, key)
    evidence = read_evidence(form)
    if evidence:
        body["evidence"] = evidence
    return body


def read_milestone(form: MultiDict[str, str]) -> Doc:
    """A new milestone: `title`, `planned_date` and `note` as typed (empty ones left out)."""
    return {k: _text(form, k) for k in ("title", "planned_date", "note") if _text(form, k)}

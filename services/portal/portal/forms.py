"""The self-assessment form, rendered from the framework document, and read back.

Field names are the API's own error paths (`answers.<question key>`,
`evidence.<question key>`), so a 422's `errors` land beside their fields unchanged. Reading a
form only turns strings back into JSON values of the question's type (option values are sent
as JSON so 1, "1" and true stay apart); whether a value is valid is the API's answer.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from werkzeug.datastructures import MultiDict

Doc = dict[str, Any]


@dataclass(frozen=True)
class Item:
    dimension: Doc
    indicator: Doc
    question: Doc

    @property
    def key(self) -> str:
        return str(self.question["key"])


def items(document: Mapping[str, Any]) -> Iterator[Item]:
    for dimension in document.get("dimensions", []):
        for indicator in dimension.get("indicators", []):
            for question in indicator.get("questions", []):
                yield Item(dimension, indicator, question)


def option_value(value: Any) -> str:
    """How an option value travels in a form field."""
    return json.dumps(value)


def _json_or_text(raw: str) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def _number(raw: str) -> Any:
    text = raw.strip().replace(",", ".") if raw.count(",") == 1 and "." not in raw else raw
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return raw  # the API says what is wrong with it


def read_answer(
    question: Mapping[str, Any], form: MultiDict[str, str], prefix: str = "answers"
) -> Any:
    name = f"{prefix}.{question['key']}"
    kind = question.get("type")
    if kind == "multi_choice":
        chosen = [_json_or_text(v) for v in form.getlist(name)]
        return chosen or None
    raw = form.get(name, "").strip()
    if not raw:
        return None
    if kind in ("choice", "boolean"):
        return _json_or_text(raw)
    if kind == "level":
        return int(raw) if raw.isdigit() else raw
    if kind == "number":
        return _number(raw)
    return raw


def read_links(raw: str) -> list[str] | None:
    links = [line.strip() for line in raw.splitlines() if line.strip()]
    return links or None


def read_form(document: Mapping[str, Any], form: MultiDict[str, str]) -> dict[str, Doc]:
    """`{"answers": {...}, "evidence": {...}}` for a draft PATCH (null removes an answer)."""
    answers: Doc = {}
    evidence: Doc = {}
    for item in items(document):
        answers[item.key] = read_answer(item.question, form)
        if f"evidence.{item.key}" in form:
            evidence[item.key] = read_links(form.get(f"evidence.{item.key}", ""))
    return {"answers": answers, "evidence": evidence}


def shown_value(question: Mapping[str, Any], value: Any) -> str:
    """An answer as the check-your-answers page shows it (labels, not codes)."""
    if value is None or value == [] or value == "":
        return ""
    kind = question.get("type")
    if kind == "level":
        levels = question.get("levels", [])
        if isinstance(value, int) and 1 <= value <= len(levels):
            return f"{value}: {levels[value - 1].get('label', '')}"
    if kind in ("choice", "multi_choice"):
        labels = {option_value(o["value"]): o.get("label", "") for o in question.get("options", [])}
        chosen = value if isinstance(value, list) else [value]
        return ", ".join(labels.get(option_value(v), str(v)) for v in chosen)
    return str(value)


def read_review(document: Mapping[str, Any], form: MultiDict[str, str]) -> dict[str, Doc]:
    """The assessor's verified answers and notes (PATCH .../review), and return comments."""
    verified: Doc = {}
    notes: Doc = {}
    comments: Doc = {}
    for item in items(document):
        verified[item.key] = read_answer(item.question, form, "verified")
        notes[item.key] = form.get(f"notes.{item.key}", "").strip() or None
        comment = form.get(f"comments.{item.key}", "").strip()
        if comment:
            comments[item.key] = comment
    return {"verified": verified, "notes": notes, "comments": comments}


FIELD_PREFIXES = ("answers.", "evidence.", "verified.", "notes.", "comments.")


def error_anchor(path: str) -> str:
    """The id of the field an error path names (the path itself; `_schema` goes to the top)."""
    return path if path.startswith(FIELD_PREFIXES) else "form-top"

"""The innovation forms read back into the innovation API's bodies; the unit's quota line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po
from werkzeug.datastructures import MultiDict

from portal import innovation_forms as forms
from portal.app import create_app
from portal.innovations import DONE, STALE, anchor, quota_status
from portal.session import User
from portal.settings import PortalSettings


def test_register_leaves_out_what_is_empty_and_reads_the_year_as_a_number() -> None:
    form = MultiDict(
        {"name": " Pasar Rakyat ", "type": "non_digital", "form": "", "description": "",
         "year": "2026", "pillar": "economy"}
    )  # fmt: skip
    body = forms.read_profile(form)
    assert body == {"name": "Pasar Rakyat", "type": "non_digital", "pillar": "economy",
                    "year": 2026}  # fmt: skip
    assert forms.read_profile(MultiDict({"year": "2o26"}))["year"] == "2o26"  # the API says why
    assert forms.read_profile(MultiDict({"year": " "}))["year"] is None
    assert forms.read_profile(MultiDict()) == {}


def test_editing_sends_the_name_as_typed_and_null_only_for_a_shown_text_emptied() -> None:
    form = MultiDict({"name": "", "objective": "Lebih ramai", "description": " ", "benefits": ""})
    body = forms.read_profile(form, editing=True)
    assert body["name"] == ""
    assert body["objective"] == "Lebih ramai"
    assert body["description"] is None and body["benefits"] is None
    assert "results" not in body  # not on the form: left as it is
    assert "year" not in body and "type" not in body


def test_stage_change_sends_evidence_only_when_a_link_or_its_description_is_given() -> None:
    plain = forms.read_stage(MultiDict({"to": "trial", "date": "", "reason": " "}))
    assert plain == {"to": "trial"}
    form = MultiDict({"to": "trial", "date": "2026-05-01", "evidence.0.url": " https://x.id/a ",
                      "evidence.0.description": "Foto"})  # fmt: skip
    assert forms.read_stage(form) == {
        "to": "trial",
        "date": "2026-05-01",
        "evidence": [{"url": "https://x.id/a", "description": "Foto", "kind": "link"}],
    }
    only_description = forms.read_stage(MultiDict({"to": "trial", "evidence.0.description": "F"}))
    assert only_description["evidence"] == [{"url": "", "description": "F", "kind": "link"}]


def test_milestone_leaves_out_empty_fields() -> None:
    form = MultiDict({"title": "Hari pasar", "planned_date": "", "note": ""})
    assert forms.read_milestone(form) == {"title": "Hari pasar"}


def test_error_paths_are_field_ids_and_the_rest_goes_to_the_top() -> None:
    assert anchor("evidence.0.url") == "evidence.0.url"
    assert anchor("name") == "name"
    assert anchor("_schema") == "form-top"
    assert anchor("") == "form-top"


class Board:
    """The innovation client's compliance call, with a fixed report."""

    def __init__(self, units: list[dict[str, Any]]) -> None:
        self.units = units
        self.asked: list[tuple[str, int]] = []

    def compliance(self, region: str, year: int) -> dict[str, Any]:
        self.asked.append((region, year))
        return {"min_stage": "trial", "units": self.units}


def test_quota_status_is_the_units_line_of_the_report() -> None:
    user = User("s", "n", "e", "opd", "kab-batang", "dlh", "t", 0)
    line = {"unit": "dlh", "required": 3, "counted": 1, "shortfall": 2, "status": "on_track"}
    board = Board([{"unit": "dinkes", "shortfall": 0}, line])
    assert quota_status(board, user, 2026) == {**line, "min_stage": "trial", "year": 2026}  # type: ignore[arg-type]
    assert board.asked == [("kab-batang", 2026)]
    assert quota_status(Board([]), user, 2026) is None  # type: ignore[arg-type]


def test_an_innovation_mail_link_asks_to_sign_in_and_returns_to_it() -> None:
    client = create_app(PortalSettings(profile="test")).test_client()
    answer = client.get("/innovation/regions/kab-batang/innovations/inv-1")
    assert answer.status_code == 302
    assert answer.headers["Location"] == (
        "/login?next=/innovation/regions/kab-batang/innovations/inv-1"
    )


def test_messages_chosen_at_run_time_have_an_indonesian_translation() -> None:
    po = Path(forms.__file__).parent / "translations" / "id" / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as fh:
        catalog = read_po(fh)
    used = {*DONE.values(), STALE, "The milestone is done.", "digital", "non_digital", "done"}
    assert not [m for m in used if not (catalog.get(m) and catalog.get(m).string)]

"""The self-assessment form read back into API bodies, and problem+json into field errors."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from portal import forms
from portal.clients.base import normalize_errors

DOCUMENT = {
    "dimensions": [
        {
            "key": "d",
            "indicators": [
                {
                    "key": "i",
                    "questions": [
                        {"key": "lvl", "type": "level", "levels": [{"label": "a"}, {"label": "b"}]},
                        {"key": "num", "type": "number"},
                        {"key": "yes", "type": "boolean"},
                        {
                            "key": "one",
                            "type": "choice",
                            "options": [{"value": 1, "label": "one"}, {"value": "1", "label": "s"}],
                        },
                        {
                            "key": "many",
                            "type": "multi_choice",
                            "options": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}],
                        },
                        {"key": "txt", "type": "text"},
                    ],
                }
            ],
        }
    ]
}


def test_form_values_become_json_values_of_the_question_type() -> None:
    form = MultiDict(
        [
            ("answers.lvl", "2"),
            ("answers.num", "12,5"),
            ("answers.yes", "false"),
            ("answers.one", '"1"'),
            ("answers.many", '"a"'),
            ("answers.many", '"b"'),
            ("answers.txt", "  "),
            ("evidence.lvl", "https://a.example/x\n\n https://a.example/y "),
            ("evidence.num", ""),
        ]
    )
    body = forms.read_form(DOCUMENT, form)
    assert body["answers"] == {
        "lvl": 2,
        "num": 12.5,
        "yes": False,
        "one": "1",
        "many": ["a", "b"],
        "txt": None,
    }
    assert body["evidence"] == {"lvl": ["https://a.example/x", "https://a.example/y"], "num": None}


def test_a_value_that_is_not_a_number_goes_to_the_api_unchanged() -> None:
    body = forms.read_form(DOCUMENT, MultiDict([("answers.num", "banyak")]))
    assert body["answers"]["num"] == "banyak"


def test_check_page_shows_labels_not_codes() -> None:
    question = DOCUMENT["dimensions"][0]["indicators"][0]["questions"][3]
    assert forms.shown_value(question, 1) == "one"
    assert forms.shown_value(question, "1") == "s"
    level = DOCUMENT["dimensions"][0]["indicators"][0]["questions"][0]
    assert forms.shown_value(level, 2) == "2: b"
    assert forms.shown_value(level, None) == ""


def test_problem_errors_keep_their_paths_and_flatten_nesting() -> None:
    raw = {"answers": {"q-1": ["required"]}, "evidence.q-2": "missing", "x": 3}
    assert normalize_errors(raw) == {
        "answers.q-1": ["required"],
        "evidence.q-2": ["missing"],
        "x": ["3"],
    }
    assert normalize_errors(["not", "a", "dict"]) == {}


def test_error_paths_are_the_field_ids() -> None:
    assert forms.error_anchor("answers.q-1") == "answers.q-1"
    assert forms.error_anchor("_schema") == "form-top"

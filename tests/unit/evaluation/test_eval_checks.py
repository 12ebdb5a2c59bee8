"""Answer shapes while drafting, and the items that block a submit."""

from __future__ import annotations

from typing import Any

import pytest

from evaluation.domain import (
    carry_forward,
    check_complete,
    missing_items,
    parse_framework,
    validate_answers,
    validate_assessor_scores,
    validate_evidence,
)
from smartcity_shared.errors import ValidationProblem
from tests.unit.evaluation.eval_factories import (
    bool_q,
    build,
    dimension,
    indicator,
    level_q,
    text_q,
    valid_document,
)


def problems(call: Any, *args: Any, **kwargs: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationProblem) as caught:
        call(*args, **kwargs)
    return caught.value.errors


def test_partial_and_cleared_answers_are_fine_while_drafting() -> None:
    framework = parse_framework(valid_document())
    validate_answers(framework, {})
    validate_answers(framework, {"q-level": 2, "q-bool": None, "q-multi": [], "q-text": ""})


def test_every_answer_shape_is_checked_with_its_path() -> None:
    framework = parse_framework(valid_document())
    answers = {
        "q-level": 6,
        "q-bool": "yes",
        "q-text": 12,
        "q-choice": "zzz",
        "q-multi": ["x", "x"],
        "q-number": "12",
        "q-file": ["not", "a", "string"],
        "q-unknown": 1,
    }
    assert problems(validate_answers, framework, answers) == {
        "answers.q-level": ["must be a level from 1 to 5"],
        "answers.q-bool": ["must be true or false"],
        "answers.q-text": ["must be a string"],
        "answers.q-choice": ["must be one of: 'a', 'b', 'c'"],
        "answers.q-multi": ["must not repeat an option"],
        "answers.q-number": ["must be a number"],
        "answers.q-file": ["must be a string"],
        "answers.q-unknown": ["unknown question"],
    }


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("q-level", True, "must be a level from 1 to 5"),
        ("q-level", 2.0, "must be a level from 1 to 5"),
        ("q-level", 0, "must be a level from 1 to 5"),
        ("q-multi", "x", "must be a list of option values"),
        ("q-multi", ["x", "nope"], "every item must be one of: 'x', 'y'"),
        ("q-number", float("nan"), "must be a number"),
        ("q-number", True, "must be a number"),
    ],
)
def test_answer_shape_edge_cases(key: str, value: Any, message: str) -> None:
    framework = parse_framework(valid_document())
    assert problems(validate_answers, framework, {key: value}) == {f"answers.{key}": [message]}


def test_answers_must_be_an_object_with_safe_keys() -> None:
    framework = parse_framework(valid_document())
    assert problems(validate_answers, framework, ["q-level"]) == {
        "answers": ["must be an object keyed by question"]
    }
    assert problems(validate_answers, framework, {"$set": 1, "a.b": 2}) == {
        "answers": [
            "key '$set' must not start with '$' or contain '.'",
            "key 'a.b' must not start with '$' or contain '.'",
        ]
    }


def test_verified_answers_use_their_own_field_name() -> None:
    framework = parse_framework(valid_document())
    assert problems(validate_answers, framework, {"q-level": 9}, field="verified") == {
        "verified.q-level": ["must be a level from 1 to 5"]
    }


def test_evidence_and_assessor_scores_are_checked() -> None:
    framework = parse_framework(valid_document())
    validate_evidence(framework, {"q-level": ["https://drive/x.pdf"], "q-bool": None})
    assert problems(validate_evidence, framework, {"q-level": "https://x", "zz": []}) == {
        "evidence.q-level": ["must be a list of links (http(s) URLs)"],
        "evidence.zz": ["unknown question"],
    }
    bad = {"q-level": ["javascript:alert(1)"], "q-bool": [f"https://x.id/{n}" for n in range(51)]}
    assert problems(validate_evidence, framework, bad) == {
        "evidence.q-level": ["must be an http(s) URL (https://host/...)"],
        "evidence.q-bool": ["at most 50 links"],
    }
    validate_assessor_scores(framework, {"q-file": 0.5})
    assert problems(validate_assessor_scores, framework, {"q-file": 2, "q-level": 0.5}) == {
        "assessor_scores.q-file": ["must be a number between 0 and 1"],
        "assessor_scores.q-level": ["this question is not assessor-scored"],
    }


def submit_framework() -> Any:
    return build(
        dimension(
            "d",
            indicator(
                "i",
                level_q("lvl", required=True, evidence={"required_from_level": 3}),
                bool_q("team", required=True, evidence={"required": True}),
                text_q(
                    "why",
                    required=True,
                    visible_if={"question": "team", "op": "eq", "value": False},
                ),
                text_q("note"),
            ),
        )
    )


def test_missing_items_lists_required_answers_and_evidence() -> None:
    framework = submit_framework()
    assert missing_items(framework, {}, {}) == {
        "answers.lvl": ["required"],
        "answers.team": ["required"],
        "evidence.team": ["evidence required"],
    }
    assert missing_items(framework, {"lvl": 3, "team": False}, {}) == {
        "evidence.lvl": ["evidence required for level 3 and above"],
        "evidence.team": ["evidence required"],
        "answers.why": ["required"],
    }


def test_evidence_is_needed_only_from_the_configured_level() -> None:
    framework = submit_framework()
    evidence = {"team": ["https://x/sk.pdf"]}
    assert missing_items(framework, {"lvl": 2, "team": True}, evidence) == {}
    assert missing_items(framework, {"lvl": 3, "team": True}, evidence) == {
        "evidence.lvl": ["evidence required for level 3 and above"]
    }
    evidence["lvl"] = ["  "]
    assert "evidence.lvl" in missing_items(framework, {"lvl": 4, "team": True}, evidence)
    evidence["lvl"] = ["https://x/sop.pdf"]
    assert missing_items(framework, {"lvl": 4, "team": True}, evidence) == {}


def test_an_unanswered_question_lists_its_always_required_evidence_at_once() -> None:
    framework = submit_framework()
    first = missing_items(framework, {"lvl": 1}, {})
    assert first == {"answers.team": ["required"], "evidence.team": ["evidence required"]}
    # answering alone then reveals nothing new about evidence
    assert missing_items(framework, {"lvl": 1, "team": True}, {}).keys() <= first.keys()


def test_an_optional_unanswered_question_needs_no_evidence() -> None:
    framework = build(dimension("d", indicator("i", bool_q("b", evidence={"required": True}))))
    assert missing_items(framework, {}, {}) == {}


def test_hidden_required_questions_are_not_missing() -> None:
    framework = submit_framework()
    evidence = {"team": ["https://x/sk.pdf"]}
    assert missing_items(framework, {"lvl": 1, "team": True}, evidence) == {}


def test_blank_text_counts_as_missing() -> None:
    framework = submit_framework()
    answers = {"lvl": 1, "team": False, "why": "   "}
    assert missing_items(framework, answers, {"team": ["https://x"]}) == {
        "answers.why": ["required"]
    }


def test_check_complete_raises_the_missing_items() -> None:
    framework = submit_framework()
    assert problems(check_complete, framework, {"lvl": 1}, {}) == {
        "answers.team": ["required"],
        "evidence.team": ["evidence required"],
    }
    check_complete(framework, {"lvl": 1, "team": True}, {"team": ["https://x"]})


def test_carry_forward_keeps_answers_that_still_fit() -> None:
    framework = parse_framework(valid_document())
    previous = {
        "q-level": 4,
        "q-choice": "gone",
        "q-multi": ["x"],
        "q-bool": None,
        "q-removed": 3,
        "q-text": "  ",
    }
    assert carry_forward(framework, previous) == {"q-level": 4, "q-multi": ["x"]}

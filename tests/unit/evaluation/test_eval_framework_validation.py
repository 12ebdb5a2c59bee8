"""Framework documents: what parses, and every problem reported at once with its field path."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any

import pytest

from evaluation.domain import (
    EvidenceRule,
    QuestionType,
    Unanswered,
    framework_to_dict,
    parse_framework,
)
from evaluation.domain.conditions import AllOf, AnyOf, Comparison, Op
from smartcity_shared.errors import ValidationProblem
from tests.unit.evaluation.eval_factories import (
    bool_q,
    dimension,
    document,
    indicator,
    level_q,
    valid_document,
)

Q0 = "dimensions.0.indicators.0.questions.0"
Q1 = "dimensions.0.indicators.0.questions.1"
Q2 = "dimensions.0.indicators.0.questions.2"


def errors_of(doc: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationProblem) as caught:
        parse_framework(doc)
    return caught.value.errors


def broken(change: Callable[[dict[str, Any]], None]) -> dict[str, list[str]]:
    doc = valid_document()
    change(doc)
    return errors_of(doc)


def test_valid_document_parses_into_frozen_model() -> None:
    framework = parse_framework(valid_document())
    assert framework.key == "test-fw"
    assert framework.version == 1
    assert framework.scale_max == 5
    assert framework.unanswered is Unanswered.ZERO
    assert framework.dimension_keys == ("gov", "eco")
    assert framework.indicator_keys == ("service", "policy", "budget")
    question = framework.question_index["q-level"]
    assert question.type is QuestionType.LEVEL
    assert len(question.levels) == 5
    assert question.evidence == EvidenceRule(required_from_level=3)
    assert framework.question_index["q-text"].visible_if == Comparison("q-bool", Op.EQ, True)
    assert framework.dimensions[1].weight == 2
    assert framework.bands[1].min == Fraction(5, 2)
    with pytest.raises(AttributeError):
        framework.key = "other"  # type: ignore[misc, unused-ignore]


def test_float_numbers_are_read_as_the_decimal_the_author_wrote() -> None:
    framework = parse_framework(valid_document())
    multi = framework.question_index["q-multi"]
    assert multi.options[1].score == Fraction(3, 4)
    assert framework.question_index["q-number"].bands[1].ratio == Fraction(1, 2)
    doc = document(dimension("d", indicator("i", bool_q("q", weight=0.1))))
    assert parse_framework(doc).question_index["q"].weight == Fraction(1, 10)


def test_lens_weights_multiply_indicator_weights() -> None:
    framework = parse_framework(valid_document())
    _, service = next(framework.indicators())
    assert framework.indicator_weight(service) == 3
    policy = framework.dimensions[0].indicators[1]
    assert framework.indicator_weight(policy) == 1


def test_document_round_trips_through_framework_to_dict() -> None:
    framework = parse_framework(valid_document())
    assert parse_framework(framework_to_dict(framework)) == framework


def test_nested_conditions_parse() -> None:
    doc = valid_document()
    doc["dimensions"][0]["indicators"][0]["questions"][2]["visible_if"] = {
        "any": [
            {"question": "q-bool", "op": "eq", "value": True},
            {"all": [{"question": "q-level", "op": "gte", "value": 3}]},
            {"question": "q-choice", "op": "in", "value": ["a", "b"]},
        ]
    }
    condition = parse_framework(doc).question_index["q-text"].visible_if
    assert condition == AnyOf(
        (
            Comparison("q-bool", Op.EQ, True),
            AllOf((Comparison("q-level", Op.GTE, 3),)),
            Comparison("q-choice", Op.IN, ("a", "b")),
        )
    )


def test_all_problems_are_reported_together_with_paths() -> None:
    def change(doc: dict[str, Any]) -> None:
        doc["scale_max"] = 0
        doc["dimensions"][0]["weight"] = -1
        doc["dimensions"][0]["indicators"][0]["questions"][1]["weight"] = 0
        doc["dimensions"][1]["indicators"][0]["key"] = "service"

    assert broken(change) == {
        "scale_max": ["must be > 0"],
        "dimensions.0.weight": ["must be > 0"],
        f"{Q1}.weight": ["must be > 0"],
        "dimensions.1.indicators.0.key": [
            "duplicate key 'service' (also at dimensions.0.indicators.0)"
        ],
    }


def test_weight_must_be_a_number() -> None:
    def change(doc: dict[str, Any]) -> None:
        doc["dimensions"][0]["indicators"][0]["weight"] = "heavy"
        doc["dimensions"][0]["indicators"][1]["weight"] = True

    assert broken(change) == {
        "dimensions.0.indicators.0.weight": ["must be a number"],
        "dimensions.0.indicators.1.weight": ["must be a number"],
    }


def test_keys_are_unique_across_dimensions_indicators_and_questions() -> None:
    def change(doc: dict[str, Any]) -> None:
        doc["dimensions"][0]["indicators"][0]["questions"][0]["key"] = "gov"

    assert broken(change) == {f"{Q0}.key": ["duplicate key 'gov' (also at dimensions.0)"]}


def test_empty_framework_dimension_and_indicator_are_rejected() -> None:
    assert errors_of(document()) == {"dimensions": ["must not be empty"]}
    assert errors_of(document(dimension("d"))) == {"dimensions.0.indicators": ["must not be empty"]}
    assert errors_of(document(dimension("d", indicator("i")))) == {
        "dimensions.0.indicators.0.questions": ["must not be empty"]
    }


def test_bands_must_ascend_strictly_within_the_scale() -> None:
    def change(doc: dict[str, Any]) -> None:
        doc["bands"] = [
            {"label": "A", "min": 0},
            {"label": "B", "min": 3},
            {"label": "C", "min": 3},
            {"label": "D", "min": 2},
            {"label": "E", "min": 6},
        ]

    assert broken(change) == {
        "bands.2.min": ["bands must have strictly ascending min"],
        "bands.3.min": ["bands must have strictly ascending min"],
        "bands.4.min": ["must be within [0, scale_max]"],
    }


def test_bad_question_type_and_empty_levels() -> None:
    def change(doc: dict[str, Any]) -> None:
        questions = doc["dimensions"][0]["indicators"][0]["questions"]
        questions[0]["levels"] = []
        questions[1]["type"] = "slider"

    errors = broken(change)
    assert errors[f"{Q0}.levels"] == ["must not be empty"]
    assert errors[f"{Q1}.type"] == [
        "must be one of: level, choice, multi_choice, boolean, number, text, file"
    ]


def test_choice_scores_must_lie_in_unit_interval() -> None:
    def change(doc: dict[str, Any]) -> None:
        options = doc["dimensions"][0]["indicators"][1]["questions"][0]["options"]
        options[0]["score"] = -0.1
        options[1]["score"] = 1.5
        options[2]["value"] = "a"

    prefix = "dimensions.0.indicators.1.questions.0.options"
    assert broken(change) == {
        f"{prefix}.0.score": ["must be between 0 and 1"],
        f"{prefix}.1.score": ["must be between 0 and 1"],
        f"{prefix}.2.value": ["duplicate option value 'a'"],
    }


def test_number_needs_positive_target_and_ascending_bands() -> None:
    def change(doc: dict[str, Any]) -> None:
        question = doc["dimensions"][1]["indicators"][0]["questions"][0]
        question["target"] = 0
        question["bands"] = [[0.5, 0.5], [0.5, 2], "x"]

    prefix = "dimensions.1.indicators.0.questions.0"
    assert broken(change) == {
        f"{prefix}.target": ["must be > 0"],
        f"{prefix}.bands.1.0": ["ratios must be strictly ascending"],
        f"{prefix}.bands.1.1": ["must be between 0 and 1"],
        f"{prefix}.bands.2": ["must be a pair [ratio, s] of numbers"],
    }


def test_type_specific_fields_are_only_allowed_on_their_type() -> None:
    def change(doc: dict[str, Any]) -> None:
        questions = doc["dimensions"][0]["indicators"][0]["questions"]
        questions[1]["levels"] = [{"label": "x", "criteria": "y"}]
        questions[1]["assessor_scored"] = True
        questions[1]["evidence"] = {"required_from_level": 2}

    assert broken(change) == {
        f"{Q1}.levels": ["not allowed for type boolean"],
        f"{Q1}.assessor_scored": ["only text and file questions are assessor-scored"],
        f"{Q1}.evidence.required_from_level": ["only level questions have levels"],
    }


def test_evidence_level_must_exist() -> None:
    def change(doc: dict[str, Any]) -> None:
        doc["dimensions"][0]["indicators"][0]["questions"][0]["evidence"] = {
            "required_from_level": 6
        }

    assert broken(change) == {f"{Q0}.evidence.required_from_level": ["must be a level from 1 to 5"]}


def test_unknown_fields_are_rejected() -> None:
    def change(doc: dict[str, Any]) -> None:
        doc["colour"] = "blue"
        doc["dimensions"][0]["indicators"][0]["questions"][0]["wieght"] = 2

    assert broken(change) == {"colour": ["unknown field"], f"{Q0}.wieght": ["unknown field"]}


@pytest.mark.parametrize("bad_key", ["$where", "a.b"])
def test_dollar_and_dotted_dict_keys_are_rejected_anywhere(bad_key: str) -> None:
    def change(doc: dict[str, Any]) -> None:
        doc[bad_key] = 1
        doc["dimensions"][0]["indicators"][0]["tags"][bad_key] = "x"
        doc["dimensions"][0]["indicators"][0]["questions"][0]["levels"][0][bad_key] = {"$gt": 1}

    message = f"key {bad_key!r} must not start with '$' or contain '.'"
    assert broken(change) == {
        "_schema": [message],
        "dimensions.0.indicators.0.tags": [message],
        f"{Q0}.levels.0": [message],
    }


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("$x", "must not start with '$' or contain '.'"),
        ("a.b", "must not start with '$' or contain '.'"),
        ("", "must be 1-64 letters, digits, '_' or '-', starting with a letter or digit"),
        ("with space", "must be 1-64 letters, digits, '_' or '-', starting with a letter or digit"),
        (7, "must be a string"),
    ],
)
def test_question_keys_must_be_safe_identifiers(key: object, message: str) -> None:
    def change(doc: dict[str, Any]) -> None:
        doc["dimensions"][0]["indicators"][0]["questions"][0]["key"] = key

    assert broken(change)[f"{Q0}.key"] == [message]


def test_condition_on_unknown_question_is_rejected() -> None:
    def change(doc: dict[str, Any]) -> None:
        doc["dimensions"][0]["indicators"][0]["questions"][2]["visible_if"] = {
            "all": [
                {"question": "q-bool", "op": "eq", "value": True},
                {"question": "nope", "op": "eq", "value": 1},
            ]
        }

    assert broken(change) == {f"{Q2}.visible_if.all.1.question": ["unknown question 'nope'"]}


def test_condition_values_must_fit_the_referenced_question() -> None:
    def change(doc: dict[str, Any]) -> None:
        doc["dimensions"][0]["indicators"][0]["questions"][2]["visible_if"] = {
            "any": [
                {"question": "q-bool", "op": "eq", "value": 1},
                {"question": "q-level", "op": "in", "value": [2, 9]},
                {"question": "q-choice", "op": "ne", "value": "zzz"},
                {"question": "q-bool", "op": "gt", "value": 0},
                {"question": "q-level", "op": "lt", "value": "3"},
                {"question": "q-level", "op": "like", "value": 3},
            ]
        }

    base = f"{Q2}.visible_if.any"
    assert broken(change) == {
        f"{base}.0.value": ["must be true or false (as an answer to 'q-bool')"],
        f"{base}.1.value": ["must be a level from 1 to 5 (as an answer to 'q-level')"],
        f"{base}.2.value": ["must be one of: 'a', 'b', 'c' (as an answer to 'q-choice')"],
        f"{base}.3.op": ["'gt' needs a level or number question"],
        f"{base}.4.value": ["must be a number for 'lt'"],
        f"{base}.5.op": ["must be one of: eq, ne, in, gt, gte, lt, lte"],
    }


def test_condition_structure_problems() -> None:
    def change(doc: dict[str, Any]) -> None:
        doc["dimensions"][0]["indicators"][0]["questions"][2]["visible_if"] = {
            "all": [{"any": []}, {"question": "q-bool", "op": "eq"}, "x", {"all": [], "any": []}]
        }

    base = f"{Q2}.visible_if.all"
    assert broken(change) == {
        f"{base}.0.any": ["must be a non-empty list of conditions"],
        f"{base}.1.value": ["required"],
        f"{base}.2": ["must be an object"],
        f"{base}.3": ["a combination has exactly one field, 'all' or 'any'"],
    }


def test_cycles_between_conditions_are_rejected() -> None:
    doc = document(
        dimension(
            "d",
            indicator(
                "i",
                bool_q("a", visible_if={"question": "c", "op": "eq", "value": True}),
                bool_q("b", visible_if={"question": "a", "op": "eq", "value": True}),
                bool_q("c", visible_if={"question": "b", "op": "eq", "value": True}),
                bool_q("e", visible_if={"question": "e", "op": "eq", "value": True}),
            ),
        )
    )
    assert errors_of(doc) == {
        f"{Q0}.visible_if": ["condition cycle: a -> c -> b -> a"],
        "dimensions.0.indicators.0.questions.3.visible_if": ["condition cycle: e -> e"],
    }


def test_chained_conditions_without_cycle_are_fine() -> None:
    doc = document(
        dimension(
            "d",
            indicator(
                "i",
                bool_q("c", visible_if={"question": "b", "op": "eq", "value": True}),
                bool_q("b", visible_if={"question": "a", "op": "eq", "value": True}),
                bool_q("a"),
            ),
        )
    )
    assert parse_framework(doc).condition_order == ("a", "b", "c")


def test_lens_tag_must_name_a_weighted_lens() -> None:
    def change(doc: dict[str, Any]) -> None:
        doc["dimensions"][0]["indicators"][0]["tags"]["lens"] = "impact"
        del doc["dimensions"][1]["indicators"][0]["tags"]["lens"]
        doc["lenses"]["weights"]["output"] = 0

    assert broken(change) == {
        "lenses.weights.output": ["must be > 0"],
        "dimensions.0.indicators.0.tags.lens": ["must be one of the lenses: outcome, output"],
        "dimensions.1.indicators.0.tags.lens": ["must be one of the lenses: outcome, output"],
    }


def test_tag_values_must_be_identifiers() -> None:
    def change(doc: dict[str, Any]) -> None:
        doc["dimensions"][0]["indicators"][0]["tags"]["pillar"] = ["governance"]

    assert broken(change) == {
        "dimensions.0.indicators.0.tags.pillar": [
            "a tag value must be 1-64 letters, digits, '_' or '-', starting with a letter or digit"
        ]
    }


def test_top_level_fields() -> None:
    assert errors_of([]) == {"_schema": ["must be an object"]}
    doc = document(dimension("d", indicator("i", level_q("q"))), unanswered="blank", version=0)
    del doc["name"]
    assert errors_of(doc) == {
        "name": ["required"],
        "version": ["must be an integer >= 1"],
        "unanswered": ["must be one of: zero, skip"],
    }


def test_odd_json_types_give_422_never_a_crash() -> None:
    """Found by the API fuzz test once the framework body was documented."""
    for field, value in (("unanswered", {}), ("dimensions", 1.5), ("dimensions", True)):
        document = {**valid_document(), field: value}
        document["lenses"] = {"tag": "lens", "weights": {"x": 1}}
        with pytest.raises(ValidationProblem) as caught:
            parse_framework(document)
        assert field in caught.value.errors

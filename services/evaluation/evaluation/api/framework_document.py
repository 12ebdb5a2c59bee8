"""The framework document (request body of POST /frameworks and PUT /frameworks/{key}), for
OpenAPI. The domain parser (`domain.framework.parse_framework`) is the validator: it keeps
numbers exact and reports every problem with its field path (422), so `DescribedBody.load`
does not validate or convert; the view hands the raw JSON object to the use case."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from ..domain import QuestionType

Weight = fields.Float(validate=validate.Range(min=0, min_inclusive=False))


class DescribedBody(Schema):
    """Documents a request body; `load` hands the data on unchanged (see the module)."""

    def load(self, data: Any, *args: Any, **kwargs: Any) -> Any:
        return data


class LevelDoc(Schema):
    label = fields.String(required=True)
    criteria = fields.String(required=True)


class OptionDoc(Schema):
    value = fields.String(required=True)
    label = fields.String(required=True)
    score = fields.Float(required=True, validate=validate.Range(0, 1))


class EvidenceDoc(Schema):
    required = fields.Boolean()
    required_from_level = fields.Integer(validate=validate.Range(min=1))


class QuestionDoc(Schema):
    key = fields.String(required=True, metadata={"description": "unique in the framework"})
    type = fields.String(required=True, validate=validate.OneOf([t.value for t in QuestionType]))
    text = fields.String(required=True)
    help = fields.String()
    weight = Weight
    required = fields.Boolean()
    assessor_scored = fields.Boolean(metadata={"description": "text / file scored by assessor"})
    evidence = fields.Nested(EvidenceDoc)
    visible_if = fields.Dict(
        metadata={"description": "{question, op, value} or {all: [...]} / {any: [...]}"}
    )
    levels = fields.List(fields.Nested(LevelDoc), metadata={"description": "type level"})
    options = fields.List(fields.Nested(OptionDoc), metadata={"description": "(multi_)choice"})
    target = fields.Float(metadata={"description": "type number"})
    bands = fields.List(
        fields.List(fields.Float()), metadata={"description": "type number: [[ratio, s], ...]"}
    )
    unit = fields.String(metadata={"description": "type number: the unit of the value"})


class IndicatorDoc(Schema):
    key = fields.String(required=True, metadata={"description": "stable across versions"})
    name = fields.String(required=True)
    weight = Weight
    tags = fields.Dict(keys=fields.String(), values=fields.String())
    guidance = fields.String(metadata={"description": "text of generated recommendations"})
    description = fields.String()
    questions = fields.List(fields.Nested(QuestionDoc), required=True)


class DimensionDoc(Schema):
    key = fields.String(required=True, metadata={"description": "stable across versions"})
    name = fields.String(required=True)
    weight = Weight
    description = fields.String()
    indicators = fields.List(fields.Nested(IndicatorDoc), required=True)


class BandDoc(Schema):
    label = fields.String(required=True)
    min = fields.Float(required=True, metadata={"description": "on the reported scale"})


class LensesDoc(Schema):
    tag = fields.String(required=True)
    weights = fields.Dict(keys=fields.String(), values=fields.Float())


class FrameworkDocument(DescribedBody):
    key = fields.String(required=True)
    name = fields.String(required=True)
    version = fields.Integer(metadata={"description": "set by the service"})
    description = fields.String()
    scale_max = fields.Float(required=True, metadata={"description": "5 or 100, for example"})
    unanswered = fields.String(validate=validate.OneOf(["zero", "skip"]))
    bands = fields.List(fields.Nested(BandDoc))
    recommendation_threshold = fields.Float(
        metadata={
            "description": "reported score below which a finalized indicator gets a "
            "recommendation (default 60 % of scale_max)"
        }
    )
    lenses = fields.Nested(LensesDoc)
    dimensions = fields.List(fields.Nested(DimensionDoc), required=True)

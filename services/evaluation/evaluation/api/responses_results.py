"""Response body schemas of scorecards, trends, rankings, recommendations and risks (OpenAPI);
see `responses` for why they describe without reshaping."""

from __future__ import annotations

from marshmallow import fields, validate

from ..domain import Perspective
from .responses import STATES, Bool, Described, FreeMap, Int, Maybe, Num, Scores, Str


# -- scorecards ---------------------------------------------------------------------------
class FrameworkRefOut(Described):
    key = Str()
    version = Int()


class LabelsOut(Described):
    dimensions = fields.Dict(keys=Str(), values=Str())
    indicators = fields.Dict(keys=Str(), values=Str())


class QuestionScoreOut(Described):
    status = Str()
    score = Maybe(Num)


class ScoreSetOut(Described):
    overall = Maybe(Num)
    band = Maybe(Str)
    dimensions = Scores()
    indicators = Scores()
    tags = fields.Dict(keys=Str(), values=Scores(), metadata={"description": "tag -> value"})
    questions = fields.Dict(keys=Str(), values=fields.Nested(QuestionScoreOut))


class DifferenceOut(Described):
    overall = Maybe(Num)
    dimensions = Scores()
    indicators = Scores()


class ChangeOut(Described):
    current = Maybe(Num)
    previous = Maybe(Num, metadata={"description": "on this year's scale"})
    delta = Maybe(Num, metadata={"description": "null when either side has no score"})


class KeyedChangeOut(ChangeOut):
    status = Str(
        validate=validate.OneOf(["kept", "new", "dropped"]),
        metadata={"description": "new: only in this year's version; dropped: only last year's"},
    )


class PreviousYearOut(Described):
    cycle_id = Str()
    year = Int()
    framework_version = Int()


class ComparisonOut(Described):
    previous = fields.Nested(PreviousYearOut)
    overall = fields.Nested(ChangeOut)
    dimensions = fields.Dict(keys=Str(), values=fields.Nested(KeyedChangeOut))
    tags = fields.Dict(
        keys=Str(), values=fields.Dict(keys=Str(), values=fields.Nested(KeyedChangeOut))
    )


def Comparison() -> fields.Nested:  # noqa: N802
    return fields.Nested(
        ComparisonOut,
        allow_none=True,
        metadata={"description": "against the previous published year; null: none"},
    )


class SubmissionScorecardOut(Described):
    submission_id = Str()
    cycle_id = Str()
    region = Str()
    year = Int()
    unit = Str()
    unit_name = Str()
    state = Str(validate=validate.OneOf(STATES))
    labels = fields.Nested(LabelsOut)
    framework = fields.Nested(FrameworkRefOut)
    scale_max = Num()
    self = fields.Nested(ScoreSetOut)
    final = fields.Nested(ScoreSetOut)
    difference = fields.Nested(DifferenceOut)
    comparison = Comparison()


class RankedUnitOut(Described):
    rank = Maybe(Int)
    unit = Str()
    unit_name = Str()
    overall = Maybe(Num)
    band = Maybe(Str)
    self_overall = Maybe(Num)
    difference = Maybe(Num)
    dimensions = Scores()


class CycleScorecardOut(Described):
    cycle_id = Str()
    region = Str()
    year = Int()
    name = Str()
    framework = fields.Nested(FrameworkRefOut)
    scale_max = Num()
    participants = Int(metadata={"description": "participants with a final score"})
    overall = Maybe(Num)
    band = Maybe(Str)
    dimensions = Scores()
    tags = fields.Dict(keys=Str(), values=Scores())
    labels = fields.Nested(LabelsOut)
    ranking = fields.List(fields.Nested(RankedUnitOut))
    not_scored = fields.List(Str())
    delta = Maybe(Num)
    comparison = Comparison()
    published = Bool()
    published_at = Maybe(Str)


class TrendPointOut(Described):
    year = Int()
    cycle_id = Str()
    framework_version = Int()
    published = Bool()
    overall = Maybe(Num)
    band = Maybe(Str)
    change = Maybe(Num)
    dimensions = Scores()
    dimension_changes = Scores()
    new_dimensions = fields.List(Str())
    dropped_dimensions = fields.List(Str())
    new_indicators = fields.List(Str())
    dropped_indicators = fields.List(Str())


class TrendOut(Described):
    region = Str()
    framework_key = Str()
    unit = Maybe(Str)
    points = fields.List(fields.Nested(TrendPointOut))


class RankedRegionOut(Described):
    rank = Maybe(Int)
    region = Str()
    cycle_id = Str()
    overall = Maybe(Num)
    band = Maybe(Str)
    participants = Int()
    published = Bool()


class RegionRankingOut(Described):
    framework_key = Str()
    year = Int()
    ranking = fields.List(fields.Nested(RankedRegionOut))


# -- recommendations and risks ------------------------------------------------------------
class NoteOut(Described):
    at = Str()
    by = Str()
    text = Str()
    evidence = fields.List(Str())
    status = Maybe(Str)


class RecommendationOut(Described):
    id = Str()
    region = Str()
    unit = Str()
    unit_name = Str()
    cycle_id = Maybe(Str)
    submission_id = Maybe(Str)
    dimension_key = Maybe(Str)
    indicator_key = Maybe(Str)
    title = Str()
    text = Str()
    priority = Str(validate=validate.OneOf(["high", "medium", "low"]))
    due_date = Str()
    status = Str(validate=validate.OneOf(["open", "in_progress", "done", "dropped"]))
    source = Str()
    score = Num(metadata={"description": "generated ones: the indicator's reported score"})
    days_overdue = Int(metadata={"description": "in the overdue list"})
    notes = fields.List(fields.Nested(NoteOut))
    history = fields.List(FreeMap())
    created_at = Str()
    created_by = Str()
    revision = Int()


class GeneratedOut(Described):
    created = fields.List(fields.Nested(RecommendationOut))
    existing = fields.List(Str(), metadata={"description": "ids already recommended"})


class AssessmentOut(Described):
    at = Str()
    by = Str()
    likelihood = Int()
    impact = Int()
    score = Int()
    rating = Str()
    note = Str()


class RiskOut(Described):
    id = Str()
    region = Str()
    unit = Str()
    programme = Str()
    title = Str()
    description = Str()
    perspective = Str()
    likelihood = Int()
    impact = Int()
    score = Int()
    rating = Str(validate=validate.OneOf(["low", "medium", "high", "extreme"]))
    mitigation = Str()
    owner = Str()
    review_date = Maybe(Str)
    status = Str()
    history = fields.List(fields.Nested(AssessmentOut))
    created_at = Str()
    created_by = Str()
    revision = Int()


class HeatmapOut(Described):
    region = Str()
    total = Int()
    grid = fields.List(
        fields.List(Int()), metadata={"description": "grid[likelihood - 1][impact - 1]"}
    )
    by_level = fields.Dict(keys=Str(), values=Int())
    by_perspective = fields.Dict(keys=Str(), values=Int())


RisksByPerspectiveOut = Described.from_dict(
    {p.value: fields.List(fields.Nested(RiskOut)) for p in Perspective},
    name="RisksByPerspectiveOut",
)

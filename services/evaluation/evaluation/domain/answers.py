"""One answer against one question: its shape, whether it counts as given, and its score `s`.

Answer shapes by question type (JSON values):
- `level`: an integer 1..L          - `choice`: one option `value` (same type: 1 is not "1")
- `multi_choice`: a list of distinct option values
- `boolean`: true / false           - `number`: a finite number
- `text`: a string                  - `file`: a string (an evidence link or document id)
`None` (or a blank string, or an empty list) means "not answered".
"""

from __future__ import annotations

from fractions import Fraction

from .model import Question, QuestionType
from .parsing import to_fraction

MAX_TEXT = 20_000


def is_answered(value: object) -> bool:
    """Whether a value counts as an answer: not None, not blank text, not an empty list."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list | tuple):
        return bool(value)
    return True


def answer_problem(question: Question, value: object) -> str | None:
    """Why `value` is not a valid answer to `question`, or None when it is (None is valid)."""
    if value is None:
        return None
    kind = question.type
    if kind is QuestionType.LEVEL:
        count = len(question.levels)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= count:
            return f"must be a level from 1 to {count}"
    elif kind is QuestionType.CHOICE:
        if question.option(value) is None:
            return f"must be one of: {_option_values(question)}"
    elif kind is QuestionType.MULTI_CHOICE:
        return _multi_choice_problem(question, value)
    elif kind is QuestionType.BOOLEAN:
        if not isinstance(value, bool):
            return "must be true or false"
    elif kind is QuestionType.NUMBER:
        if to_fraction(value) is None:
            return "must be a number"
    elif not isinstance(value, str):
        return "must be a string"
    elif len(value) > MAX_TEXT:
        return f"must be at most {MAX_TEXT} characters"
    return None


def _multi_choice_problem(question: Question, value: object) -> str | None:
    if not isinstance(value, list | tuple):
        return "must be a list of option values"
    if any(question.option(item) is None for item in value):
        return f"every item must be one of: {_option_values(question)}"
    if len({(type(item), item) for item in value}) != len(value):
        return "must not repeat an option"
    return None


def _option_values(question: Question) -> str:
    return ", ".join(repr(option.value) for option in question.options)


def normalized_score(question: Question, value: object) -> Fraction:
    """The score `s` in [0, 1] of a valid, given answer to a scored, non-assessor question.

    Per CONTRACT.md: level/L; the option's score; min(1, sum of chosen scores); 1/0 for
    yes/no; min(1, max(0, value/target)), or with bands the s of the highest band whose ratio
    is <= value/target (0 below the lowest band). Raises ValueError for text/file questions
    (their s comes from the assessor) and for answers that `answer_problem` rejects.
    """
    problem = answer_problem(question, value)
    if problem is not None or not is_answered(value):
        raise ValueError(f"{question.key}: {problem or 'not answered'}")
    kind = question.type
    if kind is QuestionType.LEVEL and isinstance(value, int):
        return Fraction(value, len(question.levels))
    if kind is QuestionType.CHOICE:
        return _option_score(question, value)
    if kind is QuestionType.MULTI_CHOICE and isinstance(value, list | tuple):
        chosen = sum((_option_score(question, item) for item in value), Fraction(0))
        return min(Fraction(1), chosen)
    if kind is QuestionType.BOOLEAN:
        return Fraction(1 if value else 0)
    if kind is QuestionType.NUMBER:
        return _number_score(question, to_fraction(value) or Fraction(0))
    raise ValueError(f"{question.key}: {kind} questions are scored by the assessor")


def _option_score(question: Question, value: object) -> Fraction:
    option = question.option(value)
    if option is None:
        raise ValueError(f"{question.key}: unknown option {value!r}")
    return option.score


def _number_score(question: Question, value: Fraction) -> Fraction:
    if question.target is None or question.target <= 0:
        raise ValueError(f"{question.key}: a number question needs a positive target")
    ratio = value / question.target
    if not question.bands:
        return min(Fraction(1), max(Fraction(0), ratio))
    earned = Fraction(0)
    for band in question.bands:
        if band.ratio <= ratio:
            earned = band.s
    return earned

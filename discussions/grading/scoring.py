"""The arithmetic of a grade: late days and deductions, rubric sums, the suggested score.
Plain functions over values, so the grader can show every step of them."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal(0)


def cents(value):
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def show(value):
    """A score as people write it: 8, 7.5, 6.67."""
    if value is None:
        return ""
    text = f"{cents(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass(frozen=True)
class Deduction:
    days: int
    amount: Decimal
    explanation: str


def late_deduction(*, entered, points_possible, days, percent_per_day, floor_percent):
    """What a late policy takes off: a share of the points possible per day late, never
    taking the score below the floor (and never below what was entered)."""
    if entered is None or days == 0 or not percent_per_day:
        return Deduction(days, ZERO, "")
    wanted = points_possible * percent_per_day * days / 100
    floor = points_possible * floor_percent / 100
    amount = cents(max(ZERO, min(wanted, entered - floor)))
    explanation = f"{days} day{'s' * (days != 1)} late × {show(percent_per_day)}% of the points"
    if amount < cents(wanted):
        explanation += f", stopping at {show(floor_percent)}% of them"
    return Deduction(days, amount, explanation)


def rubric_total(levels):
    return cents(sum((level.points for level in levels), ZERO))


@dataclass(frozen=True)
class Suggestion:
    score: Decimal
    formula: str


def suggest(*, points_possible, required_responses, required_replies, min_words, responses,
            replies):  # fmt: skip
    """A score from the requirements alone: the points possible times the share of required
    posts made (responses of at least the minimum words, replies to different classmates).
    Lateness is the late policy's business, not the suggestion's."""
    required = required_responses + required_replies
    if not required:
        return Suggestion(cents(points_possible), f"{show(points_possible)} (nothing required)")
    done_responses = min(responses, required_responses)
    done_replies = min(replies, required_replies)
    score = cents(points_possible * (done_responses + done_replies) / required)
    words = f" of ≥ {min_words} words" if min_words else ""
    formula = (
        f"{show(points_possible)} × ({done_responses} of {required_responses} "
        f"response{'s' * (required_responses != 1)}{words} + {done_replies} of "
        f"{required_replies} repl{'ies' if required_replies != 1 else 'y'}) ÷ {required} "
        f"= {show(score)}"
    )
    return Suggestion(score, formula)

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


def rubric_maximum(rubric):
    """A rubric's highest total: the best level of each criterion (criteria and levels
    prefetched)."""
    return cents(
        sum(
            (
                max((lv.points for lv in c.levels.all()), default=ZERO)
                for c in rubric.criteria.all()
            ),
            ZERO,
        )
    )


@dataclass(frozen=True)
class RubricScale:
    """How a rubric's points map onto the prompt's, as Canvas scales a rubric used for
    grading: every criterion at its top level gives the prompt's points possible, whatever the
    rubric's own total (a rubric worth 10 on a prompt worth 20 counts each point twice), so a
    full rubric never releases a half mark."""

    maximum: Decimal  # the rubric's highest total
    points_possible: Decimal

    def score(self, total):
        """The prompt's score for a rubric total, to the cent."""
        return cents(Decimal(total) * self.points_possible / self.maximum)

    @property
    def is_scaled(self):
        return self.maximum != self.points_possible

    @property
    def explanation(self):
        """The mapping in words, for the grader and the student."""
        if not self.is_scaled:
            return f"The rubric's {show(self.maximum)} points are the prompt's points."
        return (
            f"The rubric's {show(self.maximum)} points are scaled to the prompt's "
            f"{show(self.points_possible)}: its total × {show(self.points_possible)} ÷ "
            f"{show(self.maximum)}."
        )


def rubric_scale(rubric, points_possible):
    """The ``RubricScale`` of a rubric on a prompt, or None without a rubric or for one
    whose levels are all worth 0 (which no scale maps; attaching it is refused)."""
    if rubric is None:
        return None
    maximum = rubric_maximum(rubric)
    return RubricScale(maximum, Decimal(points_possible)) if maximum > 0 else None


@dataclass(frozen=True)
class Total:
    """A student's total over a course's graded prompts, as the gradebook legend says:
    excused prompts count neither way, a missing one counts as 0 of its points, one not yet
    graded (and not missing) is left out of the current total but not of the final one."""

    earned: Decimal
    counted: Decimal  # points possible of the prompts graded or missing
    possible: Decimal  # points possible of every prompt not excused

    @property
    def current_percent(self):
        return self.earned * 100 / self.counted if self.counted else None

    @property
    def final_percent(self):
        return self.earned * 100 / self.possible if self.possible else None

    def __str__(self):
        return f"{show(self.earned)} / {show(self.counted)}" if self.counted else "—"


def total(cells):
    """The ``Total`` of ``(score or None, points possible, is excused, is missing)`` per
    prompt. The one computation behind the gradebook page, its CSV and a student's grades."""
    earned = counted = possible = ZERO
    for score, points_possible, is_excused, is_missing in cells:
        if is_excused:
            continue
        possible += points_possible
        if score is not None or is_missing:
            earned += score or ZERO
            counted += points_possible
    return Total(earned, counted, possible)


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

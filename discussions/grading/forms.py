"""Input of grading: a grade, a rubric, a prompt's grading policy, a release, an import."""

import re
from decimal import Decimal

from django import forms
from django.utils.html import escape

from destalin.forms import as_id
from discussions.grading import scoring
from discussions.grading.grader_selectors import suggestion_for
from discussions.grading.models import Grade, GradeStatus, PromptGrading, Rubric
from readings.forms import DateTimeInput

# Plain decimals as people type them: no signs, exponents, NaN or thousands separators.
SCORE = re.compile(r"[0-9]{1,4}(?:\.[0-9]{1,2})?|\.[0-9]{1,2}")
MAX_FEEDBACK = Grade._meta.get_field("feedback").max_length


def parse_score(raw, points_possible):
    """A score from text, or a ValidationError saying what is wrong with it."""
    text = raw.strip()
    if text.startswith("-"):
        raise forms.ValidationError("Scores cannot be negative.")
    if not SCORE.fullmatch(text):
        raise forms.ValidationError(
            f"“{text[:20]}” is not a score: write a number like 8 or 7.5 (two decimals at most)."
        )
    value = Decimal(text)
    if value > points_possible:
        raise forms.ValidationError(
            f"The score must be between 0 and {scoring.show(points_possible)}."
        )
    return value


class GradeForm(forms.Form):
    status = forms.ChoiceField(
        choices=GradeStatus.choices,
        initial=GradeStatus.GRADED,
        widget=forms.RadioSelect,
        help_text="Excused leaves the prompt out of the total; missing counts as 0.",
    )
    score = forms.CharField(
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    feedback = forms.CharField(
        required=False,
        max_length=MAX_FEEDBACK,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Markdown. The student sees it once grades are released.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, prompt, rubric=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.prompt = prompt
        self.criteria = list(rubric.criteria.all()) if rubric else []
        points = scoring.show(prompt.points_possible)
        self.fields["score"].label = f"Score (out of {points})"
        self.fields["score"].help_text = (
            "Leave empty to use the rubric's total." if self.criteria else ""
        )
        for criterion in self.criteria:
            self.fields[f"criterion_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.title,
                # Django renders help text as HTML: a rubric's words are text.
                help_text=escape(criterion.description),
                required=False,
                coerce=as_id,
                empty_value=None,
                choices=[
                    (level.pk, f"{level.title} ({scoring.show(level.points)})")
                    for level in criterion.levels.all()
                ],
                widget=forms.RadioSelect,
            )
        # The rubric before the score that can override it.
        self.order_fields(["status", *(f"criterion_{c.pk}" for c in self.criteria), "score"])

    def clean_score(self):
        raw = self.cleaned_data["score"]
        return parse_score(raw, self.prompt.points_possible) if raw.strip() else None

    def clean(self):
        cleaned = super().clean()
        levels = {}
        for criterion in self.criteria:
            chosen = cleaned.get(f"criterion_{criterion.pk}")
            level = next((lv for lv in criterion.levels.all() if lv.pk == chosen), None)
            if level is not None:
                levels[criterion.pk] = level
        if levels and len(levels) != len(self.criteria) and cleaned.get("score") is None:
            self.add_error(None, "Choose a level for every criterion, or type a score.")
        if (
            cleaned.get("status") == GradeStatus.GRADED
            and cleaned.get("score") is None
            and not levels
            and "score" not in self.errors
        ):
            self.add_error("score", "Enter a score, or mark the student excused or missing.")
        cleaned["levels"] = levels if len(levels) == len(self.criteria) else {}
        return cleaned


def grade_initial(*, prompt, row, rubric):
    """What the grading form starts from: the saved grade (a typed score only where it
    overrides the rubric), or for a new grade without a rubric the suggested score (with a
    rubric, the levels chosen make the score)."""
    grade = row.grade
    if grade is None:
        if rubric is not None:
            return {"version": 0}
        return {
            "score": scoring.show(suggestion_for(prompt, row.participation).score),
            "version": 0,
        }
    initial = {
        "status": grade.status,
        "feedback": grade.feedback,
        "version": grade.version,
        "score": scoring.show(grade.entered)
        if grade.is_override or not grade.rubric_levels
        else "",
    }
    if rubric is not None and grade.rubric_id == rubric.pk:
        for criterion_id, level_id in grade.rubric_levels.items():
            initial[f"criterion_{criterion_id}"] = level_id
    return initial


class CriterionForm(forms.Form):
    title = forms.CharField(label="Criterion", max_length=200)
    description = forms.CharField(
        max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    levels = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One level per line: its points, then its name, e.g. “4 Thorough”.",
    )

    def clean_levels(self):
        levels = []
        for number, line in enumerate(self.cleaned_data["levels"].splitlines(), start=1):
            if not line.strip():
                continue
            points, _, title = line.strip().partition(" ")
            if not SCORE.fullmatch(points) or not title.strip():
                raise forms.ValidationError(
                    f"Line {number} should be points then a name, like “4 Thorough”."
                )
            levels.append((title.strip()[:200], Decimal(points)))
        if len(levels) < 2:
            raise forms.ValidationError("Give each criterion at least two levels.")
        if len(levels) > 10:
            raise forms.ValidationError("At most ten levels per criterion.")
        return levels


class BaseCriteriaFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        filled = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if not filled:
            raise forms.ValidationError("A rubric needs at least one criterion.")


CriteriaFormSet = forms.formset_factory(
    CriterionForm,
    formset=BaseCriteriaFormSet,
    extra=2,
    max_num=20,
    validate_max=True,
    can_delete=True,
)


def criteria_initial(rubric):
    return [
        {
            "title": c.title,
            "description": c.description,
            "levels": "\n".join(f"{scoring.show(lv.points)} {lv.title}" for lv in c.levels.all()),
        }
        for c in rubric.criteria.all()
    ]


class RubricForm(forms.ModelForm):
    class Meta:
        model = Rubric
        fields = ["title"]
        labels = {"title": "Rubric title"}


class PolicyForm(forms.ModelForm):
    class Meta:
        model = PromptGrading
        fields = ["rubric", "release_mode", "late_percent_per_day", "late_floor_percent"]
        widgets = {"release_mode": forms.RadioSelect}

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rubric"].queryset = Rubric.objects.filter(course=course).prefetch_related(
            "criteria__levels"
        )
        self.fields["rubric"].empty_label = "No rubric"
        self.fields["release_mode"].choices = [
            ("", f"As the course says ({course.get_grade_release_display().lower()})"),
            *self.fields["release_mode"].choices[1:],
        ]

    def clean_rubric(self):
        rubric = self.cleaned_data["rubric"]
        points = self.instance.prompt.points_possible
        if rubric is not None:
            total = sum(
                max((lv.points for lv in c.levels.all()), default=0) for c in rubric.criteria.all()
            )
            if total > points:
                raise forms.ValidationError(
                    f"This rubric's highest total is {scoring.show(total)}, more than the "
                    f"prompt's {scoring.show(points)} points."
                )
        return rubric


class ReleaseForm(forms.Form):
    scope = forms.ChoiceField(
        label="Release to",
        choices=[
            ("everyone", "Everyone (grades entered later show at once)"),
            ("graded", "Only students graded so far"),
        ],
        initial="everyone",
        widget=forms.RadioSelect,
    )
    at = forms.DateTimeField(
        label="When",
        required=False,
        widget=DateTimeInput(),
        help_text="Leave empty to release now.",
    )
    notify = forms.BooleanField(label="Email the students", required=False, initial=True)


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Gradebook CSV",
        help_text="The gradebook export, with scores filled in. At most 1.5 MB.",
    )

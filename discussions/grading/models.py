"""Grading: rubrics, each prompt's grading policy, grades with the versions of the posts they
were given for, and the record of every change."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from destalin.models import GradeRelease

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


class Rubric(models.Model):
    """Criteria with rated levels, reusable across the course's prompts."""

    course = models.ForeignKey("destalin.Course", on_delete=models.CASCADE, related_name="rubrics")
    title = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["course", "title", "id"]

    def __str__(self):
        return self.title


class Criterion(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)
    description = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["rubric", "position", "id"]

    def __str__(self):
        return self.title


class Level(models.Model):
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="levels")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)
    points = models.DecimalField(max_digits=6, decimal_places=2, validators=[MinValueValidator(0)])

    class Meta:
        ordering = ["criterion", "position", "id"]

    def __str__(self):
        return f"{self.title} ({self.points})"


class GradingPolicy(models.Model):
    """How one prompt is graded and released: its rubric, late policy and release state."""

    prompt = models.OneToOneField(
        "discussions.Prompt",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="grading_policy",
    )
    rubric = models.ForeignKey(
        Rubric, null=True, blank=True, on_delete=models.SET_NULL, related_name="prompts"
    )
    release_mode = models.CharField(
        "release grades",
        max_length=10,
        choices=GradeRelease.choices,
        blank=True,
        help_text="Leave empty to follow the course's setting.",
    )
    late_percent_per_day = models.DecimalField(
        "late deduction per day (%)",
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
        validators=PERCENT,
        help_text="Of the points possible, per day or part of a day late. 0 for none.",
    )
    late_floor_percent = models.DecimalField(
        "lowest score after deductions (%)",
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
        validators=PERCENT,
        help_text="Late deductions never take a score below this share of the points possible.",
    )
    # Released to everyone: grades entered later show at once, as in Canvas.
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Whether the last release mails students, which grades saved after it follow too.
    notify_on_release = models.BooleanField(default=True)

    def __str__(self):
        return f"Grading policy of {self.prompt}"


class GradeStatus(models.TextChoices):
    GRADED = "graded", "Graded"
    EXCUSED = "excused", "Excused"
    MISSING = "missing", "Missing"


class GradeQuerySet(models.QuerySet):
    def released(self, now=None):
        """Grades a student may see: released one by one, or with their prompt."""
        now = now or timezone.now()
        return self.filter(
            models.Q(released_at__lte=now) | models.Q(prompt__grading_policy__released_at__lte=now)
        )


class Grade(models.Model):
    """One student's grade in one prompt. ``version`` counts saves, so a grader working from
    an older page is refused instead of overwriting a colleague's grade."""

    prompt = models.ForeignKey(
        "discussions.Prompt", on_delete=models.CASCADE, related_name="grades"
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grades"
    )
    status = models.CharField(max_length=8, choices=GradeStatus.choices, default=GradeStatus.GRADED)
    # What the grader gave (typed, or the rubric's sum), before any late deduction.
    entered = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    late_deduction = models.DecimalField(max_digits=6, decimal_places=2, default=Decimal(0))
    # What counts: entered less the deduction; None when excused.
    score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    rubric = models.ForeignKey(
        Rubric, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # {criterion id: level id}, as strings (JSON keys).
    rubric_levels = models.JSONField(default=dict, blank=True)
    rubric_total = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    is_override = models.BooleanField(default=False)
    feedback = models.TextField(max_length=20_000, blank=True)
    feedback_html = models.TextField(default="", blank=True)
    # {post id: number of earlier versions when graded}: the graded text is that revision.
    graded_versions = models.JSONField(default=dict, blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    graded_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)
    released_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    objects = GradeQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prompt", "student"], name="grade_once"),
            models.CheckConstraint(
                condition=models.Q(entered__isnull=True) | models.Q(entered__gte=0),
                name="grade_entered_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["student", "prompt"])]

    def __str__(self):
        return f"{self.student} in {self.prompt}: {self.get_status_display()}"

    @property
    def is_excused(self):
        return self.status == GradeStatus.EXCUSED


class GradeChange(models.Model):
    """Every change of a grade: who, when, the old and the new."""

    grade = models.ForeignKey(Grade, on_delete=models.CASCADE, related_name="changes")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    old_status = models.CharField(max_length=8, choices=GradeStatus.choices, blank=True)
    new_status = models.CharField(max_length=8, choices=GradeStatus.choices)
    old_score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    new_score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    source = models.CharField(max_length=20, default="grader")

    class Meta:
        ordering = ["grade", "-changed_at", "-id"]

    def __str__(self):
        return f"{self.grade}: {self.old_score} → {self.new_score}"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting"
    DONE = "done", "Saved"
    FAILED = "failed", "Not saved"


class ScoreImport(models.Model):
    """A confirmed gradebook import, applied by the task worker: the file as checked, what
    the person confirmed (its digest), and how it ended."""

    course = models.ForeignKey("destalin.Course", on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.BinaryField()
    digest = models.CharField(max_length=64)
    changes = models.PositiveIntegerField()
    status = models.CharField(
        max_length=8, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    message = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Import of {self.changes} scores in {self.course}: {self.get_status_display()}"

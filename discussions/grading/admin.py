"""The admin of grading: grades with their history, rubrics, release settings and imports,
to look into. Grades change only through the grader (which keeps the change record, checks
two graders never overwrite each other and writes the audit log), so here they are
read-only."""

from django.contrib import admin

from destalin.admin import HistoryAdmin, HistoryInline
from discussions.grading.models import (
    Criterion,
    Grade,
    GradeChange,
    GradingPolicy,
    Level,
    Rubric,
    ScoreImport,
)


class ChangeInline(HistoryInline):
    model = GradeChange
    fields = [
        "changed_at",
        "changed_by",
        "old_status",
        "new_status",
        "old_score",
        "new_score",
        "source",
    ]


@admin.register(Grade)
class GradeAdmin(HistoryAdmin):
    list_display = ["student", "prompt", "status", "score", "graded_by", "graded_at", "released_at"]
    list_filter = ["status", "is_override", "prompt__course"]
    search_fields = ["student__email", "student__display_name", "prompt__title", "feedback"]
    list_select_related = ["student", "prompt", "graded_by"]
    date_hierarchy = "graded_at"
    inlines = [ChangeInline]


@admin.register(GradeChange)
class GradeChangeAdmin(HistoryAdmin):
    list_display = ["grade", "changed_at", "changed_by", "old_score", "new_score", "source"]
    list_filter = ["source", "new_status", "grade__prompt__course"]
    search_fields = ["grade__student__email", "changed_by__email", "grade__prompt__title"]
    list_select_related = ["grade__student", "grade__prompt", "changed_by"]


class CriterionInline(HistoryInline):
    model = Criterion


class LevelInline(HistoryInline):
    model = Level


@admin.register(Rubric)
class RubricAdmin(HistoryAdmin):
    """Rubrics change on the course's rubric page, which keeps graded levels consistent."""

    list_display = ["title", "course", "created_by", "created_at"]
    list_filter = ["course"]
    search_fields = ["title", "course__code"]
    inlines = [CriterionInline]


@admin.register(Criterion)
class CriterionAdmin(HistoryAdmin):
    list_display = ["__str__", "rubric"]
    search_fields = ["rubric__title"]
    inlines = [LevelInline]


@admin.register(GradingPolicy)
class GradingPolicyAdmin(HistoryAdmin):
    list_display = ["prompt", "rubric", "release_mode", "released_at", "released_by"]
    list_filter = ["release_mode", "prompt__course"]
    search_fields = ["prompt__title"]


@admin.register(ScoreImport)
class ScoreImportAdmin(HistoryAdmin):
    list_display = ["created_at", "course", "requested_by", "status", "changes", "finished_at"]
    list_filter = ["status", "course"]
    search_fields = ["requested_by__email", "message", "course__code"]
    exclude = ["data"]
    date_hierarchy = "created_at"

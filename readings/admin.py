from django.contrib import admin
from django.db import models

from readings.models import Assignment, Paragraph, Progress, Reading, Section
from readings.services import blocks_now, keep_history, render_reading


class SectionInline(admin.StackedInline):
    model = Section
    extra = 0
    fields = ["position", "title", "body"]


@admin.register(Reading)
class ReadingAdmin(admin.ModelAdmin):
    list_display = ["title", "author", "kind", "is_excerpt", "word_count", "updated_at"]
    list_filter = ["kind", "is_excerpt"]
    search_fields = ["title", "author", "source", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["word_count", "created_at", "updated_at"]
    inlines = [SectionInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request, obj, form, change):
        if change:
            # Before the inline sections overwrite the text, so the edit keeps what it replaces
            # (and the blocks of a section deleted inline are still known, for their links).
            keep_history(reading=obj)
            obj.blocks_before_edit = blocks_now(obj)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The sections are saved now: render them once, here, not on every page view.
        render_reading(
            reading=form.instance,
            user=request.user,
            note="Edited in the admin",
            before=getattr(form.instance, "blocks_before_edit", None),
        )


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["reading", "course", "position", "due_at"]
    list_filter = ["course"]
    search_fields = ["reading__title", "course__code", "course__title"]
    list_select_related = ["reading", "course"]
    autocomplete_fields = ["course", "reading"]


@admin.register(Paragraph)
class ParagraphAdmin(admin.ModelAdmin):
    list_display = ["reading", "number", "kind", "text"]
    list_filter = ["reading"]
    search_fields = ["text"]
    list_select_related = ["reading"]

    def has_add_permission(self, request):
        return False  # paragraphs are rebuilt from the sections on save

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Progress)
class ProgressAdmin(admin.ModelAdmin):
    list_display = ["user", "reading", "opened_at", "read_at"]
    list_filter = ["reading"]
    search_fields = ["user__email", "user__display_name", "reading__title"]
    list_select_related = ["user", "reading"]

"""The admin of the discussions: prompts to repair, and posts, their versions, flags and the
audit log to look into. Posts change only through the course's own pages (which keep their
versions, re-render their text and write the audit log), so here they are read-only."""

from django.contrib import admin

from destalin.admin import HistoryAdmin, HistoryInline
from discussions.models import AuditEntry, Flag, Participation, Post, PostRevision, Prompt


@admin.register(Prompt)
class PromptAdmin(admin.ModelAdmin):
    list_display = ["title", "course", "is_published", "due_at", "reveal_mode", "post_count"]
    list_filter = ["is_published", "reveal_mode", "hold_posts", "course"]
    search_fields = ["title", "course__code", "course__title"]
    list_select_related = ["course"]
    date_hierarchy = "due_at"
    autocomplete_fields = ["course", "readings"]
    # The text is rendered once, when the course's page saves it; counters are kept by posting
    # and repaired by `manage.py recount_discussions`.
    readonly_fields = ["body", "post_count", "locked_at", "created_by", "created_at", "updated_at"]


class RevisionInline(HistoryInline):
    model = PostRevision
    fk_name = "post"
    fields = ["created_at", "replaced_at", "replaced_by", "body"]


class FlagInline(HistoryInline):
    model = Flag
    fields = ["flagged_by", "reason", "details", "created_at", "resolution", "resolved_by"]


@admin.register(Post)
class PostAdmin(HistoryAdmin):
    list_display = ["pk", "author", "author_role", "prompt", "created_at", "state"]
    list_filter = ["author_role", "is_late", "prompt__course"]
    search_fields = ["body", "author__email", "author__display_name", "prompt__title"]
    list_select_related = ["author", "prompt"]
    date_hierarchy = "created_at"
    inlines = [RevisionInline, FlagInline]

    @admin.display(description="state")
    def state(self, post):
        marks = [
            ("deleted", post.deleted_at),
            ("hidden", post.hidden_at),
            ("held", post.held_at),
            ("edited", post.edited_at),
        ]
        return ", ".join(name for name, at in marks if at) or "published"


@admin.register(PostRevision)
class PostRevisionAdmin(HistoryAdmin):
    list_display = ["post", "created_at", "replaced_at", "replaced_by"]
    search_fields = ["body", "post__author__email", "post__author__display_name"]
    list_filter = ["post__prompt__course"]
    list_select_related = ["post", "replaced_by"]


@admin.register(Flag)
class FlagAdmin(HistoryAdmin):
    list_display = ["post", "flagged_by", "reason", "created_at", "resolution", "resolved_at"]
    list_filter = ["reason", "resolution", "post__prompt__course"]
    search_fields = ["details", "flagged_by__email", "post__body"]
    list_select_related = ["post", "flagged_by"]


@admin.register(AuditEntry)
class AuditEntryAdmin(HistoryAdmin):
    list_display = ["created_at", "course", "actor", "action", "prompt", "student", "reason"]
    list_filter = ["action", "course"]
    search_fields = ["reason", "actor__email", "actor__display_name", "student__email"]
    list_select_related = ["course", "actor", "prompt", "student"]
    date_hierarchy = "created_at"


@admin.register(Participation)
class ParticipationAdmin(HistoryAdmin):
    """Standings are kept by posting; `manage.py recount_discussions` repairs them."""

    list_display = ["user", "prompt", "responses", "replies", "words", "met_at"]
    list_filter = ["prompt__course"]
    search_fields = ["user__email", "user__display_name", "prompt__title"]
    list_select_related = ["user", "prompt"]

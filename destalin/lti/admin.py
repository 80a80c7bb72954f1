from django.contrib import admin

from destalin.lti.models import LtiContext, LtiLink, LtiUser, PlatformPolicy, ScoreSend


@admin.register(PlatformPolicy)
class PlatformPolicyAdmin(admin.ModelAdmin):
    list_display = ["tool", "link_verified_emails"]


class ReadOnly(admin.ModelAdmin):
    """What launches and syncs recorded: repaired by launching again, never by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(LtiUser)
class LtiUserAdmin(ReadOnly):
    list_display = ["sub", "tool", "user", "created_at"]
    search_fields = ["sub", "user__email", "user__display_name"]
    list_filter = ["tool"]


@admin.register(LtiContext)
class LtiContextAdmin(ReadOnly):
    list_display = ["title", "context_id", "tool", "course", "roster_synced_at"]
    search_fields = ["title", "label", "context_id", "course__title"]
    list_filter = ["tool"]


@admin.register(LtiLink)
class LtiLinkAdmin(ReadOnly):
    list_display = ["title", "resource_link_id", "context", "prompt"]
    search_fields = ["title", "resource_link_id"]


@admin.register(ScoreSend)
class ScoreSendAdmin(ReadOnly):
    list_display = ["grade", "link", "status", "attempts", "updated_at"]
    list_filter = ["status"]
    search_fields = ["grade__student__email", "link__title"]

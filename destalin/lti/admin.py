from django.conf import settings
from django.contrib import admin
from django.utils.html import format_html

from destalin.lti.models import (
    LtiContext,
    LtiLink,
    LtiUser,
    PlatformPolicy,
    RegistrationLink,
    ScoreSend,
)


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


@admin.register(RegistrationLink)
class RegistrationLinkAdmin(admin.ModelAdmin):
    """Add one, then paste its address into the platform's dynamic registration field
    (Canvas: Developer Keys → LTI Registration; Moodle: Manage tools → Tool URL)."""

    list_display = ["__str__", "status", "created_at", "expires_at", "tool"]
    list_filter = ["status"]
    fields = ["note", "address", "expires_at", "status", "error", "tool", "created_by"]
    readonly_fields = ["address", "status", "error", "tool", "created_by"]

    @admin.display(description="address to paste into the platform")
    def address(self, obj):
        if obj.pk is None:
            return "Shown once saved."
        return format_html(
            "<code>{}</code>", settings.SITE_URL.rstrip("/") + obj.get_absolute_url()
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

from allauth.socialaccount.admin import SocialAppAdmin, SocialAppForm
from allauth.socialaccount.models import SocialApp
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from destalin.models import Course, Membership, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = [
        "email",
        "display_name",
        "is_instructor",
        "is_staff",
        "is_active",
        "date_joined",
    ]
    list_filter = ["is_instructor", "is_staff", "is_superuser", "is_active"]
    search_fields = ["email", "display_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["display_name"]}),
        (
            "Permissions",
            {
                "fields": [
                    "is_active",
                    "is_instructor",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                ]
            },
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "display_name", "password1", "password2", "is_instructor"],
            },
        )
    ]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "role", "joined_at", "removed_at"]


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "term", "is_joining_open", "is_archived", "created_at"]
    list_filter = ["is_archived", "is_joining_open", "term"]
    search_fields = ["code", "title", "term", "slug"]
    prepopulated_fields = {"slug": ["code", "term"]}
    readonly_fields = ["join_code", "created_at"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "course", "role", "joined_at", "removed_at"]
    list_filter = ["role", "course"]
    search_fields = ["user__email", "user__display_name", "course__code", "course__title"]
    autocomplete_fields = ["user", "course"]
    list_select_related = ["user", "course"]


class HistoryAdmin(admin.ModelAdmin):
    """A record that must never change once written (versions, grade changes, the audit log,
    finished imports): the admin shows, searches and filters it, and offers no add, change or
    delete."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class HistoryInline(admin.TabularInline):
    """A record's history shown inside it, read-only like ``HistoryAdmin``."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# The task queue (mail, gradebook imports) as django-tasks-db shows it, read-only, with a search.
admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskAdmin(DBTaskResultAdmin):
    search_fields = ["task_path", "id", "exception_class_path"]
    date_hierarchy = "enqueued_at"


class SignInServiceForm(SocialAppForm):
    """allauth's form for a school's sign-in service, with the checks that keep one school's
    people apart from another's: accounts are found by the provider id and the subject
    together, so no two services may share a provider id, and a SAML service's is its
    IdP's entity id unless staff give another. A SAML service without its IdP's entity id,
    sign-in URL and certificate (or metadata URL) is refused here, not at someone's sign-in."""

    SAML_SETTINGS = (
        '{"idp": {"entity_id": "…", "sso_url": "…", "x509cert": "…"}} '
        '(or "metadata_url" in place of "sso_url" and "x509cert")'
    )

    def clean(self):
        data = super().clean()
        if data.get("provider") == "saml":
            settings = data.get("settings")
            idp = settings.get("idp") if isinstance(settings, dict) else None
            if (
                not isinstance(idp, dict)
                or not idp.get("entity_id")
                or not (idp.get("metadata_url") or (idp.get("sso_url") and idp.get("x509cert")))
            ):
                self.add_error(
                    "settings", f"A SAML identity provider's settings need {self.SAML_SETTINGS}."
                )
                return data
            data["provider_id"] = data.get("provider_id") or idp["entity_id"]
        provider_id = data.get("provider_id")
        if provider_id and (
            SocialApp.objects.filter(provider_id=provider_id).exclude(pk=self.instance.pk).exists()
        ):
            self.add_error(
                "provider_id",
                "Another sign-in service has this provider id: each needs its own, or their "
                "people would be mixed up.",
            )
        return data


admin.site.unregister(SocialApp)


@admin.register(SocialApp)
class SignInServiceAdmin(SocialAppAdmin):
    form = SignInServiceForm
    list_display = ["name", "provider", "provider_id", "client_id"]

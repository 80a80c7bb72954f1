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

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path, re_path

from destalin import health, saml, views
from destalin.courses import people, reader, reading_edit
from destalin.courses import views as course_pages
from discussions import account_views as discussion_account_views

# The admin signs in through allauth, so allauth's rate limits cover it too.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Destalin administration"
handler500 = "destalin.errors.server_error"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("", views.dashboard, name="dashboard"),
    # Before allauth's own: a posted SAML response that is not XML is refused, not a 500.
    re_path(
        r"^accounts/saml/(?P<organization_slug>[^/]+)/acs/$",
        saml.assertion_consumer_service,
        name="saml-acs",
    ),
    path("accounts/", include("allauth.urls")),
    path("accounts/profile/", views.profile, name="profile"),
    path(
        "accounts/notifications/",
        discussion_account_views.notification_settings,
        name="notification-settings",
    ),
    path("admin/", admin.site.urls),
    path("lti/", include("destalin.lti.urls")),
    path("", include("readings.urls")),
    path("", include("discussions.urls")),
    path("", include("discussions.grading.urls")),
    path("join/", views.join, name="join"),
    path("join/<str:code>/", views.join_link, name="join-link"),
    path("courses/new/", views.course_create, name="course-create"),
    # Course-wide pages, which show what several apps hold, live in destalin.courses.
    path("courses/<slug:course>/", course_pages.course_home, name="course-detail"),
    path(
        "courses/<slug:course>/readings/<slug:reading>/",
        reader.reading_detail,
        name="reading-detail",
    ),
    path(
        "courses/<slug:course>/readings/<slug:reading>/sections/<int:position>/",
        reader.reading_section,
        name="reading-section",
    ),
    path(
        "courses/<slug:course>/readings/<slug:reading>/text/",
        reading_edit.reading_edit,
        name="reading-edit",
    ),
    path("courses/<slug:course>/search/", course_pages.search, name="course-search"),
    path("courses/<slug:course>/settings/", course_pages.course_settings, name="course-settings"),
    path("courses/<slug:course>/members/", people.course_members, name="course-members"),
    path(
        "courses/<slug:course>/join-code/",
        views.join_code_regenerate,
        name="course-join-code",
    ),
    path(
        "courses/<slug:course>/members/<int:pk>/role/",
        people.member_role,
        name="course-member-role",
    ),
    path(
        "courses/<slug:course>/members/<int:pk>/remove/",
        people.member_remove,
        name="course-member-remove",
    ),
    path(
        "courses/<slug:course>/members/<int:pk>/restore/",
        people.member_restore,
        name="course-member-restore",
    ),
]

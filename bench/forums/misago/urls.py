from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

# As in misago_docker, less the debug-only static and toolbar routes.
urlpatterns = [
    path("", include("misago.urls", namespace="misago")),
    path("django-i18n.js", JavaScriptCatalog.as_view(packages=["misago"]), name="django-i18n"),
]

# Misago's middleware raises these; its own handlers turn them into its pages.
handler403 = "misago.core.errorpages.permission_denied"
handler404 = "misago.core.errorpages.page_not_found"

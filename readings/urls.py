from django.urls import path

from readings import views

app_name = "readings"

urlpatterns = [
    path("library/", views.library, name="library"),
    path("library/<slug:reading>/", views.library_detail, name="library-detail"),
    path("courses/<slug:course>/readings/assign/", views.assign, name="assign"),
    path("courses/<slug:course>/readings/<slug:reading>/read/", views.mark_read, name="mark-read"),
    path(
        "courses/<slug:course>/readings/<slug:reading>/progress/",
        views.reading_progress,
        name="progress",
    ),
    path(
        "courses/<slug:course>/readings/<slug:reading>/edit/",
        views.assignment_edit,
        name="assignment-edit",
    ),
    path(
        "courses/<slug:course>/readings/<slug:reading>/unassign/", views.unassign, name="unassign"
    ),
    path("courses/<slug:course>/readings/<slug:reading>/move/", views.move, name="move"),
    path(
        "courses/<slug:course>/readings/<slug:reading>/versions/",
        views.versions,
        name="versions",
    ),
]

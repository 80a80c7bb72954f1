from django.urls import path

from readings import upload_views, views

app_name = "readings"

urlpatterns = [
    path("library/", views.library, name="library"),
    path("library/<slug:reading>/", views.library_detail, name="library-detail"),
    path("courses/<slug:course>/readings/assign/", views.assign, name="assign"),
    path("courses/<slug:course>/readings/add/", upload_views.add_reading, name="add"),
    path("courses/<slug:course>/readings/paste/", upload_views.paste_reading, name="paste"),
    path(
        "courses/<slug:course>/readings/uploads/<int:upload>/",
        upload_views.upload_detail,
        name="upload",
    ),
    path(
        "courses/<slug:course>/readings/uploads/<int:upload>/publish/",
        upload_views.publish,
        name="publish",
    ),
    path(
        "courses/<slug:course>/readings/uploads/<int:upload>/discard/",
        upload_views.discard,
        name="discard",
    ),
    path(
        "courses/<slug:course>/readings/<slug:reading>/original/",
        upload_views.original,
        name="original",
    ),
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

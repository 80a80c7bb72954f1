from django.urls import path

from discussions.grading import analytics, exports, gradebook, views

app_name = "grading"

C = "courses/<slug:course>/"
P = C + "prompts/<int:pk>/"

urlpatterns = [
    path(P + "grader/", views.grader, name="grader"),
    path(P + "grader/<int:student>/", views.grade_student, name="grade-student"),
    path(P + "grader/find/", views.grader_find, name="grader-find"),
    path(P + "grading/", views.policy, name="policy"),
    path(P + "grades/release/", views.release, name="release"),
    path(P + "grades/hide/", views.hide, name="hide"),
    path(P + "grades/rescale/", views.rescale, name="rescale"),
    path(P + "export.<str:fmt>", exports.discussion_export, name="export"),
    path(P + "analytics/", analytics.prompt_analytics, name="prompt-analytics"),
    path(C + "grades/", views.my_grades, name="my-grades"),
    path(C + "rubrics/", views.rubrics, name="rubrics"),
    path(C + "rubrics/new/", views.rubric_edit, name="rubric-create"),
    path(C + "rubrics/<int:pk>/", views.rubric_edit, name="rubric-edit"),
    path(C + "gradebook/", gradebook.gradebook_page, name="gradebook"),
    path(C + "gradebook/export/", gradebook.gradebook_export_choice, name="gradebook-export"),
    path(C + "gradebook.csv", gradebook.gradebook_export, name="gradebook-csv"),
    path(C + "gradebook-moodle.csv", gradebook.gradebook_export_moodle, name="gradebook-moodle"),
    path(C + "gradebook/import/", gradebook.gradebook_import, name="gradebook-import"),
    path(C + "analytics/", analytics.course_analytics, name="course-analytics"),
]

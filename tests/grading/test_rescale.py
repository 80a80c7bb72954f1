"""Grades chosen with a rubric on an older scale (saved before rubrics were scaled onto the
prompt's points, or before the points changed) are shown to the instructor, who may
recompute them: each as a grader's save would be, in one transaction, in the grade's history
and the audit log, with a new version; scores typed over the rubric stay."""

import pytest
from django.core import mail
from django.urls import reverse

from discussions.grading import services
from discussions.grading.models import Grade, GradeChange, GradingPolicy, Rubric
from discussions.models import AuditAction, AuditEntry
from tests.grading.steps import grade_form, grader_url

pytestmark = pytest.mark.django_db


def _url(prompt):
    return reverse("grading:rescale", kwargs={"course": prompt.course.slug, "pk": prompt.pk})


@pytest.fixture
def scaled(client, ada, cleo, dora, graded, posts):
    """A prompt worth 20 graded with a rubric worth 10 (two criteria of 5): Cleo at the top
    levels, saved as the code before scaling saved it (10, not 20); Dora at the top levels
    with 7 typed over them. Both released, and told."""
    graded.points_possible = 20
    graded.save(update_fields=["points_possible"])
    rubric = Rubric.objects.create(course=graded.course, title="Two criteria")
    tops = {}
    for position, title in enumerate(["Argument", "Evidence"], start=1):
        criterion = rubric.criteria.create(title=title, position=position)
        tops[f"criterion_{criterion.pk}"] = criterion.levels.create(
            title="Strong", points=5, position=1
        ).pk
        criterion.levels.create(title="Weak", points=1, position=2)
    GradingPolicy.objects.create(prompt=graded, rubric=rubric)
    client.force_login(ada)
    assert client.post(grader_url(graded, cleo), grade_form(score="", **tops)).status_code == 302
    assert client.post(grader_url(graded, dora), grade_form(score="7", **tops)).status_code == 302
    Grade.objects.filter(student=cleo).update(entered=10, score=10)  # the old, unscaled save
    release = reverse("grading:release", kwargs={"course": graded.course.slug, "pk": graded.pk})
    client.post(release, {"scope": "everyone", "notify": "on"})
    Grade.objects.update(notified_at="2026-11-01T00:00:00Z")
    return graded


def test_the_grader_tells_the_instructor_and_the_page_shows_each_change(client, ada, scaled):
    grader = client.get(grader_url(scaled)).content.decode()
    assert "1 grade was chosen with a rubric on an older scale" in grader
    assert f'href="{_url(scaled)}"' in grader
    page = client.get(_url(scaled))
    assert page.status_code == 200
    [item] = page.context["off_scale"]
    assert (item.grade.student.display_name, item.grade.entered, item.entered) == ("Cleo", 10, 20)
    assert "Recompute 1 grade</button>" in page.content.decode()
    # Dora's typed 7 is the grader's own score, not a rubric score on an old scale.
    assert "Dora" not in page.content.decode().split("<tbody>")[1]


def test_recomputing_saves_the_scaled_score_with_its_history_and_audit_line(
    client, ada, cleo, dora, scaled, django_capture_on_commit_callbacks
):
    version = Grade.objects.get(student=cleo).version
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(scaled))
    assert response.status_code == 302 and response["Location"] == grader_url(scaled)
    grade = Grade.objects.get(student=cleo)
    assert (grade.entered, grade.score, grade.is_override) == (20, 20, False)
    # A new version: a grader's open page is refused, a linked platform is sent the score.
    assert grade.version == version + 1
    change = GradeChange.objects.filter(grade=grade).first()
    assert (change.old_score, change.new_score, change.source) == (10, 20, "rubric scale")
    assert change.changed_by == ada
    entry = AuditEntry.objects.filter(action=AuditAction.GRADE, student=cleo).first()
    assert (entry.before, entry.after, entry.reason) == ("10", "20", "by rubric scale")
    assert Grade.objects.get(student=dora).score == 7
    # Cleo sees the new score; she was told of her grade once, as after any regrade.
    assert mail.outbox == []
    client.force_login(cleo)
    mine = client.get(reverse("grading:my-grades", kwargs={"course": scaled.course.slug}))
    assert "<strong>20</strong> out of 20" in mine.content.decode()
    client.force_login(ada)
    assert "older scale" not in client.get(grader_url(scaled)).content.decode()
    again = client.get(_url(scaled))
    assert again.context["off_scale"] == [] and "nothing to recompute" in again.content.decode()


def test_changing_the_points_possible_puts_rubric_grades_off_scale(
    ada, cleo, dora, scaled, django_capture_on_commit_callbacks
):
    services.rescale_rubric_grades(prompt=scaled, by=ada)
    scaled.points_possible = 30
    scaled.save(update_fields=["points_possible"])
    with django_capture_on_commit_callbacks(execute=True):
        changed = services.rescale_rubric_grades(prompt=scaled, by=ada)
    assert [g.student for g in changed] == [cleo]
    assert Grade.objects.get(student=cleo).score == 30
    assert Grade.objects.get(student=dora).score == 7


def test_a_grade_not_yet_told_is_mailed_once_recomputed(
    ada, cleo, scaled, django_capture_on_commit_callbacks
):
    Grade.objects.filter(student=cleo).update(notified_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.rescale_rubric_grades(prompt=scaled, by=ada)
    assert [m.to for m in mail.outbox] == [["cleo@example.edu"]]


def test_a_ta_may_not_recompute_and_nothing_changes(client, ben, cleo, scaled):
    client.force_login(ben)
    assert client.post(_url(scaled)).status_code == 403
    assert Grade.objects.get(student=cleo).score == 10
    assert "older scale" not in client.get(grader_url(scaled)).content.decode()


def test_an_archived_course_refuses_and_an_ungraded_prompt_is_not_found(client, ada, cleo, scaled):
    scaled.course.is_archived = True
    scaled.course.save(update_fields=["is_archived"])
    refused = client.post(_url(scaled))
    assert refused.status_code == 403
    assert Grade.objects.get(student=cleo).score == 10
    # The page still shows what is off the scale; only the change is refused.
    assert client.get(_url(scaled)).status_code == 200
    scaled.points_possible = 0
    scaled.save(update_fields=["points_possible"])
    assert client.post(_url(scaled)).status_code == 404
    assert Grade.objects.get(student=cleo).score == 10

"""A student's total follows the gradebook's legend (excused counts neither way, missing
counts as 0), and the gradebook page, the student's grades page and the CSV agree: one
computation (``scoring.total``)."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import PromptFactory
from tests.grading.steps import grade_form, grader_url

pytestmark = pytest.mark.django_db


def _three_totals(client, course, teacher, student):
    client.force_login(teacher)
    gradebook = client.get(reverse("grading:gradebook", kwargs={"course": course.slug}))
    row = next(r for r in gradebook.context["rows"] if r.student == student)
    response = client.get(reverse("grading:gradebook-csv", kwargs={"course": course.slug}))
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    in_csv = next(line for line in lines if line[1] == str(student.pk))
    client.force_login(student)
    own = client.get(reverse("grading:my-grades", kwargs={"course": course.slug}))
    return str(row.total), in_csv[-6:], own.context["total"], own.content.decode()


def test_a_missing_discussion_counts_as_zero_everywhere(client, ada, cleo, course):
    # Past due, nothing posted, never graded: missing, by the legend 0 of 10.
    PromptFactory(course=course, points_possible=10, due_at=timezone.now() - timedelta(days=2))
    page_total, csv_totals, own_total, own_page = _three_totals(client, course, ada, cleo)
    assert page_total == "0 / 10"
    assert csv_totals == ["0.00"] * 6
    assert str(own_total) == "0 / 10"
    assert "Total: <strong>0 / 10</strong> (0%)" in own_page


def test_graded_excused_missing_and_pending_prompts_total_alike(client, ada, cleo, course):
    past, future = timezone.now() - timedelta(days=2), timezone.now() + timedelta(days=5)
    graded = PromptFactory(course=course, points_possible=10, due_at=past)
    excused = PromptFactory(course=course, points_possible=5, due_at=past)
    missing = PromptFactory(course=course, points_possible=10, due_at=past)
    PromptFactory(course=course, points_possible=20, due_at=future)  # not due, not graded
    client.force_login(ada)
    for prompt, form in [
        (graded, grade_form(score="8")),
        (excused, grade_form(status="excused", score="")),
        (missing, grade_form(status="missing", score="")),
    ]:
        assert client.post(grader_url(prompt, cleo), form).status_code == 302
    for prompt in (graded, excused, missing):
        url = reverse("grading:release", kwargs={"course": course.slug, "pk": prompt.pk})
        client.post(url, {"scope": "everyone"})
    page_total, csv_totals, own_total, own_page = _three_totals(client, course, ada, cleo)
    assert page_total == str(own_total) == "8 / 20"
    # Current: 8 of the 20 graded or missing; final: 8 of all 40 not excused. Everything is
    # released, so the unposted scores are the same.
    assert csv_totals == ["8.00", "8.00", "40.00", "40.00", "20.00", "20.00"]
    assert "Total: <strong>8 / 20</strong> (40%)" in own_page


def test_canvas_current_score_is_the_students_own_total_and_unposted_counts_hidden_grades(
    client, ada, cleo, course
):
    past = timezone.now() - timedelta(days=2)
    shown = PromptFactory(course=course, points_possible=10, due_at=past)
    hidden = PromptFactory(course=course, points_possible=10, due_at=past)
    client.force_login(ada)
    for prompt, score in [(shown, "6"), (hidden, "10")]:
        assert client.post(grader_url(prompt, cleo), grade_form(score=score)).status_code == 302
    url = reverse("grading:release", kwargs={"course": course.slug, "pk": shown.pk})
    client.post(url, {"scope": "everyone"})
    _, csv_totals, own_total, own_page = _three_totals(client, course, ada, cleo)
    assert str(own_total) == "6 / 10" and "Total: <strong>6 / 10</strong> (60%)" in own_page
    # Current and final score: what Cleo sees; the unposted scores and the points (as Canvas
    # computes them) count the hidden 10 too.
    assert csv_totals == ["16.00", "16.00", "60.00", "80.00", "30.00", "80.00"]


def test_the_gradebook_shows_each_total_with_its_percentage_as_the_student_sees_it(
    client, ada, cleo, dora, course
):
    past = timezone.now() - timedelta(days=2)
    first = PromptFactory(course=course, points_possible=10, due_at=past)
    second = PromptFactory(course=course, points_possible=10, due_at=past)
    client.force_login(ada)
    assert client.post(grader_url(first, cleo), grade_form(score="8")).status_code == 302
    client.post(reverse("grading:release", kwargs={"course": course.slug, "pk": first.pk}),
                {"scope": "everyone"})  # fmt: skip
    # Graded after the release of the first only: withheld from Cleo for now.
    assert client.post(grader_url(second, cleo), grade_form(score="3")).status_code == 302
    gradebook = client.get(reverse("grading:gradebook", kwargs={"course": course.slug}))
    html = gradebook.content.decode()
    assert '<th scope="col">%</th>' in html
    # Cleo: teachers see 11 of 20 (55%); she sees 8 of 10 (80%), the second not released.
    assert (
        '<td>11 / 20<br><span class="hint">student sees 8 / 10 (80%)</span></td><td>55%</td>'
        in html
    )
    # Dora: nothing posted, both past due: missing, 0 of 20 both ways, no second figure.
    assert "<td>0 / 20</td><td>0%</td>" in html
    client.force_login(cleo)
    own = client.get(reverse("grading:my-grades", kwargs={"course": course.slug}))
    assert "Total: <strong>8 / 10</strong> (80%)" in own.content.decode()


def test_an_unpublished_prompt_counts_in_no_total(client, ada, cleo, course):
    # Students cannot see it: past due and empty, it is still not missing work.
    draft = PromptFactory(course=course, points_possible=10, is_published=False,
                          due_at=timezone.now() - timedelta(days=2))  # fmt: skip
    PromptFactory(course=course, points_possible=5, due_at=timezone.now() - timedelta(days=2))
    page_total, csv_totals, own_total, _ = _three_totals(client, course, ada, cleo)
    assert page_total == str(own_total) == "0 / 5"
    assert csv_totals == ["0.00"] * 6
    # Graded in the draft, Cleo's totals stay those of what she can see, in all three places.
    client.force_login(ada)
    assert client.post(grader_url(draft, cleo), grade_form(score="10")).status_code == 302
    page_total, csv_totals, own_total, _ = _three_totals(client, course, ada, cleo)
    assert page_total == str(own_total) == "0 / 5"
    assert csv_totals == ["0.00"] * 6

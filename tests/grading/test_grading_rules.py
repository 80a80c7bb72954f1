"""Rules at the edges of grading: what the grader says about release, conflicts resolved by
saving again, rubrics and prompts that must agree, archived courses, mail for grades entered
after a release, and fixed query counts for analytics."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from discussions.grading.models import Grade, GradeChange, GradingPolicy, Rubric
from tests.factories import MembershipFactory, UserFactory, make_post
from tests.grading.steps import grade_form, grader_url

pytestmark = pytest.mark.django_db


def _release(client, prompt, **data):
    url = reverse("grading:release", kwargs={"course": prompt.course.slug, "pk": prompt.pk})
    return client.post(url, {"scope": "everyone", "notify": "on", **data})


def test_grader_says_released_for_grades_saved_after_a_release_to_everyone(
    client, ada, cleo, graded, posts, django_capture_on_commit_callbacks
):
    client.force_login(ada)
    _release(client, graded)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(grader_url(graded, cleo), grade_form(score="6"))
    assert "Released." in client.get(grader_url(graded, cleo)).content.decode()
    # And the student is told, as the release said.
    assert [m.to for m in mail.outbox] == [["cleo@example.edu"]]


def test_after_a_conflict_saving_again_goes_through(client, ada, ben, cleo, graded, posts):
    client.force_login(ada)
    client.post(grader_url(graded, cleo), grade_form(score="9", version=0))
    client.force_login(ben)
    refused = client.post(grader_url(graded, cleo), grade_form(score="4", version=0))
    assert refused.status_code == 409
    again = refused.context["form"].data.copy()
    assert again["score"] == "4"  # what Ben typed is still there
    assert client.post(grader_url(graded, cleo), again).status_code == 302
    assert Grade.objects.get(student=cleo).score == 4


def _rubric(course, top=6):
    rubric = Rubric.objects.create(course=course, title="Rubric")
    criterion = rubric.criteria.create(title="Argument", position=1)
    criterion.levels.create(title="Strong", points=top, position=1)
    weak = criterion.levels.create(title="Weak", points=0, position=2)
    return rubric, criterion, weak


def test_with_a_rubric_the_suggestion_does_not_fill_the_score(client, ada, cleo, graded, posts):
    rubric, criterion, weak = _rubric(graded.course)
    GradingPolicy.objects.create(prompt=graded, rubric=rubric)
    client.force_login(ada)
    form = client.get(grader_url(graded, cleo)).context["form"]
    assert not form.initial.get("score")
    client.post(
        grader_url(graded, cleo), grade_form(score="", **{f"criterion_{criterion.pk}": weak.pk})
    )
    grade = Grade.objects.get(student=cleo)
    assert (grade.score, grade.is_override) == (0, False)


def _attach(client, prompt, rubric):
    url = reverse("grading:policy", kwargs={"course": prompt.course.slug, "pk": prompt.pk})
    data = {"rubric": rubric.pk, "release_mode": "", "late_percent_per_day": "0"}
    return client.post(url, {**data, "late_floor_percent": "0"})


def test_a_rubric_worth_nothing_is_refused(client, ada, graded):
    rubric, *_ = _rubric(graded.course, top=0)
    client.force_login(ada)
    response = _attach(client, graded, rubric)
    assert response.status_code == 400
    assert "Every level of this rubric is worth 0 points" in response.content.decode()
    assert not GradingPolicy.objects.filter(prompt=graded, rubric=rubric).exists()


def test_a_rubric_worth_10_on_a_prompt_worth_20_scales_to_20(
    client, ada, cleo, course, graded, posts
):
    graded.points_possible = 20
    graded.save(update_fields=["points_possible"])
    rubric = Rubric.objects.create(course=course, title="Two criteria")
    tops = {}
    for position, title in enumerate(["Argument", "Evidence"], start=1):
        criterion = rubric.criteria.create(title=title, position=position)
        tops[criterion.pk] = criterion.levels.create(title="Strong", points=5, position=1)
        criterion.levels.create(title="Weak", points=1, position=2)
    client.force_login(ada)
    assert _attach(client, graded, rubric).status_code == 302
    grader_page = client.get(grader_url(graded, cleo)).content.decode()
    assert "points are scaled to the prompt&#x27;s 20: its total × 20 ÷ 10" in grader_page
    levels = {f"criterion_{pk}": level.pk for pk, level in tops.items()}
    client.post(grader_url(graded, cleo), grade_form(score="", **levels))
    grade = Grade.objects.get(student=cleo)
    assert (grade.rubric_total, grade.score, grade.is_override) == (10, 20, False)
    _release(client, graded)
    client.force_login(cleo)
    mine = client.get(reverse("grading:my-grades", kwargs={"course": course.slug}))
    page = mine.content.decode()
    assert "<strong>20</strong> out of 20" in page
    assert "Rubric: 10 of 10 points, scaled to 20 of 20" in page


def test_a_used_rubric_keeps_its_points(client, ada, cleo, course, graded, posts):
    rubric, criterion, weak = _rubric(course)
    GradingPolicy.objects.create(prompt=graded, rubric=rubric)
    client.force_login(ada)
    client.post(
        grader_url(graded, cleo), grade_form(score="", **{f"criterion_{criterion.pk}": weak.pk})
    )
    edit = reverse("grading:rubric-edit", kwargs={"course": course.slug, "pk": rubric.pk})
    data = {
        "title": "Rubric",
        "criteria-TOTAL_FORMS": "1",
        "criteria-INITIAL_FORMS": "1",
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "20",
        "criteria-0-title": "Argument",
        "criteria-0-levels": "9 Strong\n0 Weak",
    }
    response = client.post(edit, data)
    assert response.status_code == 400 and "not change points" in response.content.decode()


def test_every_save_is_in_the_grade_history(client, ada, cleo, graded, posts):
    client.force_login(ada)
    client.post(grader_url(graded, cleo), grade_form(score="7", feedback="First."))
    grade = Grade.objects.get(student=cleo)
    client.post(grader_url(graded, cleo), grade_form(score="7", feedback="Second.", version=1))
    assert GradeChange.objects.filter(grade=grade).count() == 2


def test_archived_courses_take_no_release_or_settings(client, ada, graded, posts):
    graded.course.is_archived = True
    graded.course.save()
    client.force_login(ada)
    assert _release(client, graded).status_code == 403
    hide = reverse("grading:hide", kwargs={"course": graded.course.slug, "pk": graded.pk})
    assert client.post(hide).status_code == 403
    assert not GradingPolicy.objects.filter(released_at__isnull=False).exists()


def test_removed_students_are_listed_without_a_grader_link(client, ada, cleo, graded, posts):
    cleo.memberships.update(removed_at="2026-01-01T00:00Z")
    client.force_login(ada)
    page = client.get(
        reverse("grading:gradebook", kwargs={"course": graded.course.slug}) + "?students=all"
    ).content.decode()
    assert "<bdi>Cleo</bdi> (removed)" in page and grader_url(graded, cleo) not in page


def test_the_grader_shows_the_quoted_passages(client, ada, cleo, world):
    from discussions.models import Post

    post = Post.objects.get(pk=world["post"])
    client.force_login(ada)
    page = client.get(grader_url(post.prompt, cleo)).content.decode()
    assert "Ehrenburg&#x27;s novel gave the era its name." in page


def test_course_analytics_use_a_fixed_number_of_queries(client, ada, course, graded, posts):
    client.force_login(ada)
    url = reverse("grading:course-analytics", kwargs={"course": course.slug})
    client.get(url)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    small = count()
    for n in range(15):
        student = UserFactory(display_name=f"Quiet {n}")
        MembershipFactory(course=course, user=student)
        if n % 2:
            make_post(graded, student, f"Post {n}.")
    assert count() == small

"""Rubrics built once and reused across the course's prompts; a prompt's grading policy."""

import pytest
from django.urls import reverse

from discussions.grading.models import Grade, GradingPolicy, Rubric
from tests.factories import PromptFactory
from tests.grading.steps import grade_form, grader_url

pytestmark = pytest.mark.django_db


def _rubric_form(title="Discussion rubric", **criteria):
    data = {
        "title": title,
        "criteria-TOTAL_FORMS": "3",
        "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "20",
    }
    for i, (name, levels) in enumerate(criteria.items()):
        data[f"criteria-{i}-title"] = name
        data[f"criteria-{i}-levels"] = levels
    return data


def test_a_teacher_builds_a_rubric_and_attaches_it(client, ada, course, graded, posts, cleo):
    client.force_login(ada)
    url = reverse("grading:rubric-create", kwargs={"course": course.slug})
    response = client.post(
        url, _rubric_form(Argument="6 Strong\n3 Partial\n0 Absent", Evidence="4 Cited\n0 None")
    )
    assert response.status_code == 302
    rubric = Rubric.objects.get(course=course)
    assert [(c.title, [lv.points for lv in c.levels.all()]) for c in rubric.criteria.all()] == [
        ("Argument", [6, 3, 0]),
        ("Evidence", [4, 0]),
    ]
    policy_url = reverse("grading:policy", kwargs={"course": course.slug, "pk": graded.pk})
    response = client.post(
        policy_url,
        {
            "rubric": rubric.pk,
            "release_mode": "",
            "late_percent_per_day": "0",
            "late_floor_percent": "0",
        },
    )
    assert response.status_code == 302
    assert GradingPolicy.objects.get(prompt=graded).rubric == rubric
    page = client.get(grader_url(graded, cleo)).content.decode()
    assert "Strong (6)" in page and "Cited (4)" in page
    # Reused by another prompt of the course.
    other = PromptFactory(course=course, points_possible=10)
    client.post(
        reverse("grading:policy", kwargs={"course": course.slug, "pk": other.pk}),
        {
            "rubric": rubric.pk,
            "release_mode": "",
            "late_percent_per_day": "0",
            "late_floor_percent": "0",
        },
    )
    assert rubric.prompts.count() == 2


@pytest.mark.parametrize(
    ("levels", "message"),
    [
        ("6 Strong", "at least two levels"),
        ("Strong 6\nWeak 2", "points then a name"),
        ("-1 Minus\n2 Two", "points then a name"),
    ],
)
def test_bad_rubric_levels_get_a_clear_message(client, ada, course, levels, message):
    client.force_login(ada)
    url = reverse("grading:rubric-create", kwargs={"course": course.slug})
    response = client.post(url, _rubric_form(Argument=levels))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Rubric.objects.exists()


def test_an_empty_rubric_is_refused(client, ada, course):
    client.force_login(ada)
    url = reverse("grading:rubric-create", kwargs={"course": course.slug})
    response = client.post(url, _rubric_form())
    assert response.status_code == 400
    assert "at least one criterion" in response.content.decode()


def test_a_used_rubric_keeps_its_shape(client, ada, course, graded, posts, cleo):
    client.force_login(ada)
    client.post(
        reverse("grading:rubric-create", kwargs={"course": course.slug}),
        _rubric_form(Argument="6 Strong\n0 Absent"),
    )
    rubric = Rubric.objects.get()
    GradingPolicy.objects.create(prompt=graded, rubric=rubric)
    criterion = rubric.criteria.get()
    strong = criterion.levels.get(title="Strong")
    client.post(
        grader_url(graded, cleo), grade_form(score="", **{f"criterion_{criterion.pk}": strong.pk})
    )
    assert Grade.objects.get().score == 10  # 6 of 6, scaled to the prompt's 10
    edit = reverse("grading:rubric-edit", kwargs={"course": course.slug, "pk": rubric.pk})
    data = _rubric_form(Argument="6 Strong\n3 Partial\n0 Absent")
    data["criteria-INITIAL_FORMS"] = "1"
    response = client.post(edit, data)
    assert response.status_code == 400
    assert "has been used for grading" in response.content.decode()
    renamed = _rubric_form(Reasoning="6 Excellent\n0 Absent")
    renamed["criteria-INITIAL_FORMS"] = "1"
    assert client.post(edit, renamed).status_code == 302
    assert rubric.criteria.get().title == "Reasoning"


def test_rubrics_of_another_course_are_not_found(client, ada, other_course):
    other = Rubric.objects.create(course=other_course, title="Theirs")
    client.force_login(ada)
    url = reverse("grading:rubric-edit", kwargs={"course": "hist-274", "pk": other.pk})
    assert client.get(url).status_code == 404


def test_bad_policy_values_are_refused(client, ada, course, graded):
    client.force_login(ada)
    url = reverse("grading:policy", kwargs={"course": course.slug, "pk": graded.pk})
    response = client.post(
        url,
        {
            "rubric": "999",
            "release_mode": "sometimes",
            "late_percent_per_day": "150",
            "late_floor_percent": "x",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Select a valid choice" in page and "less than or equal to 100" in page
    assert not GradingPolicy.objects.exists()


def test_tas_grade_but_only_instructors_change_grading_settings(client, ben, course, graded):
    client.force_login(ben)
    assert client.get(reverse("grading:rubrics", kwargs={"course": course.slug})).status_code == 200
    url = reverse("grading:policy", kwargs={"course": course.slug, "pk": graded.pk})
    assert client.get(url).status_code == 403

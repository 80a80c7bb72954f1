"""Every course page shares one layout (templates/courses/layout.html): the course's crumb,
its tabs and a title that names the course; and no app's templates reach above their app."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.security.test_access_matrix import DOWNLOADS, MATRIX, ROLES, _url

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@pytest.mark.parametrize(
    "page", ["grading:gradebook", "discussions:review-queue", "grading:course-analytics"]
)
def test_gradebook_review_and_analytics_carry_the_course_tabs(client_for, ada, course, page):
    html = client_for(ada).get(reverse(page, args=[course.slug])).content.decode()
    assert '<nav class="course-nav" aria-label="Course">' in html
    assert f'href="{reverse(page, args=[course.slug])}" aria-current="page"' in html
    for name in ("course-detail", "course-search", "course-members", "course-settings"):
        assert f'href="{reverse(name, args=[course.slug])}"' in html


def test_a_student_is_offered_only_the_students_tabs(client_for, cleo, course):
    html = client_for(cleo).get(reverse("course-search", args=[course.slug])).content.decode()
    assert f'href="{reverse("grading:my-grades", args=[course.slug])}"' in html
    assert f'href="{reverse("course-search", args=[course.slug])}" aria-current="page"' in html
    for name in ("grading:gradebook", "discussions:review-queue", "course-members"):
        assert f'href="{reverse(name, args=[course.slug])}"' not in html


def test_the_review_tab_counts_the_posts_waiting(client_for, ada, course, prompt, cleo, dora):
    from discussions.moderation.services import flag_post
    from tests.factories import make_post

    flag_post(post=make_post(prompt, cleo, "Flag me."), by=dora, reason="other")
    html = client_for(ada).get(reverse("course-detail", args=[course.slug])).content.decode()
    assert 'Review <span class="count">1<span class="visually-hidden"> waiting</span>' in html


def test_a_prompts_teachers_get_its_tabs_and_students_do_not(client_for, ada, cleo, prompt):
    prompt.points_possible = 10
    prompt.save()
    grader = reverse("grading:grader", args=[prompt.course.slug, prompt.pk])
    teacher = client_for(ada).get(grader).content.decode()
    assert f'href="{grader}" aria-current="page">Grade</a>' in teacher
    assert "Students&#x27; progress</a>" in teacher or "Students' progress</a>" in teacher
    student = client_for(cleo).get(prompt.get_absolute_url()).content.decode()
    assert f'<h1 id="prompt-title"><bdi>{prompt.title}</bdi></h1>' in student
    assert grader not in student and 'class="course-nav course-nav--prompt"' not in student


@pytest.mark.parametrize("role", ROLES)
def test_every_course_page_has_the_course_crumb_and_names_the_course_in_its_title(
    client, people, course, thaw, world, role
):
    if role != "anonymous":
        client.force_login(people[role])
    index, course_pages = ROLES.index(role), 0
    for name, (kwargs, query, on_get, _) in MATRIX.items():
        if on_get[index] != 200 or name in DOWNLOADS or "course" not in kwargs:
            continue
        html = client.get(_url(name, kwargs, query, people, course, thaw, world)).content.decode()
        title = re.search(r"<title>(.*?)</title>", html, re.S)[1]
        assert course.code in title, (name, title)
        # The code is people's text: isolated (<bdi>) in the crumb as everywhere.
        code = f"<bdi>{course.code}</bdi>"
        assert f'<a href="{course.get_absolute_url()}">{code}</a>' in html or (
            name == "course-detail" and f'<li aria-current="page">{code}</li>' in html
        ), name
        course_pages += 1
    assert course_pages >= (0 if role in ("anonymous", "eve") else 8)


def test_templates_of_an_app_name_nothing_of_the_apps_above_it():
    """Discussions, readings and the core fill the layout's blocks; only the top layer
    (templates/courses/) and grading's own templates name grading."""
    below_grading = [
        path
        for folder in ("discussions", "readings", "destalin", "includes")
        for path in (TEMPLATES / folder).rglob("*.html")
    ]
    assert len(below_grading) > 30
    offenders = [
        str(path.relative_to(TEMPLATES))
        for path in below_grading
        if re.search(r"grading:|{% load (?!static\b)", path.read_text())
    ]
    assert offenders == []

import pytest
from django.urls import reverse

from destalin.models import Course, Membership, Role
from tests.pages import page_text

pytestmark = pytest.mark.django_db

VALID = {"title": "Reform and Its Limits", "code": "HIST 310", "term": "Spring 2027"}


def test_instructor_creates_course_and_becomes_its_instructor(client_for, ada):
    response = client_for(ada).post(reverse("course-create"), VALID)
    course = Course.objects.get(code="HIST 310")
    assert response.status_code == 302
    assert response["Location"] == course.get_absolute_url()
    assert course.slug == "hist-310-spring-2027"
    assert Membership.objects.get(course=course).user == ada
    assert Membership.objects.get(course=course).role == Role.INSTRUCTOR
    assert len(course.join_code) == 8


def test_anyone_may_create_courses_when_the_site_says_so(client_for, otto, settings):
    settings.COURSE_CREATION = "anyone"
    response = client_for(otto).post(reverse("course-create"), VALID)
    assert response.status_code == 302
    assert Membership.objects.get(course__code="HIST 310").user == otto


def test_student_cannot_create_course_by_default(client_for, otto):
    response = client_for(otto).post(reverse("course-create"), VALID)
    assert response.status_code == 403
    assert not Course.objects.filter(code="HIST 310").exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", "This field is required."),
        ("title", "x" * 201, "Ensure this value has at most 200 characters"),
        ("code", "HIST\x00310", "Null characters are not allowed."),
        ("term", "   ", "This field is required."),
    ],
)
def test_bad_course_input_is_refused_with_message(client_for, ada, field, value, message):
    response = client_for(ada).post(reverse("course-create"), {**VALID, field: value})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Course.objects.count() == 1  # only ada's own HIST 274


def test_double_submitted_course_is_created_once(client_for, ada):
    client = client_for(ada)
    client.post(reverse("course-create"), VALID)
    response = client.post(reverse("course-create"), VALID)
    assert response.status_code == 400
    assert "You already have a course HIST 310 in Spring 2027." in response.content.decode()
    assert Course.objects.filter(code="HIST 310").count() == 1


def test_instructor_edits_settings_and_closes_joining(client_for, ada, course):
    data = {**VALID, "description": "New text", "is_joining_open": "", "grade_release": "automatic"}
    response = client_for(ada).post(reverse("course-settings", args=[course.slug]), data)
    course.refresh_from_db()
    assert response.status_code == 302
    assert (course.title, course.is_joining_open, course.grade_release) == (
        "Reform and Its Limits",
        False,
        "automatic",
    )


def test_dashboard_lists_my_courses_with_my_role(client_for, ben, course, other_course):
    page = client_for(ben).get(reverse("dashboard")).content.decode()
    assert "<bdi>HIST 274</bdi>: <bdi>The Soviet Union after Stalin</bdi>" in page
    assert "TA" in page
    assert "Europe since 1945" not in page


def test_visitor_sees_what_the_product_is(client):
    page = client.get(reverse("dashboard")).content.decode()
    assert "Create an account" in page
    assert reverse("account_login") in page


def test_course_page_shows_join_code_only_to_instructors(client_for, ada, cleo, course):
    assert course.join_code in client_for(ada).get(course.get_absolute_url()).content.decode()
    student_view = page_text(client_for(cleo).get(course.get_absolute_url()))
    assert course.title in student_view and course.join_code not in student_view


def test_a_course_differing_only_in_case_of_any_script_is_a_duplicate(client_for, ada):
    client = client_for(ada)
    client.post(reverse("course-create"), {**VALID, "code": "ИСТ 310", "term": "Весна 2027"})
    response = client.post(
        reverse("course-create"), {**VALID, "code": "ист 310", "term": "ВЕСНА 2027"}
    )
    assert response.status_code == 400
    assert "You already have a course ист 310 in ВЕСНА 2027." in response.content.decode()
    assert Course.objects.filter(code__in=["ИСТ 310", "ист 310"]).count() == 1

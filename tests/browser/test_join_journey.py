import pytest
from playwright.sync_api import expect

from destalin.models import Course, Membership, Role, User
from tests.browser.steps import sign_up

pytestmark = pytest.mark.django_db(transaction=True)


def test_instructor_creates_a_course_and_a_student_joins_it(new_page, screenshot):
    teacher = new_page()
    sign_up(teacher, "ivy@example.edu", "Ivy Teacher")
    User.objects.filter(email="ivy@example.edu").update(is_instructor=True)  # staff's decision
    teacher.reload()
    teacher.get_by_role("link", name="Create a course").click()
    teacher.get_by_label("Title").fill("The Thaw and After")
    teacher.get_by_label("Short code").fill("HIST 275")
    teacher.get_by_label("Term").fill("Spring 2027")
    teacher.get_by_role("button", name="Create course").click()
    expect(teacher.get_by_role("heading", level=1)).to_have_text("The Thaw and After")
    code = teacher.locator(".join-code").inner_text()
    screenshot(teacher, "course-created")

    student = new_page()
    sign_up(student, "stu@example.edu", "Stu Dent")
    student.get_by_label("Join code").fill(code.lower())
    student.get_by_role("button", name="Join").click()
    expect(student.get_by_role("heading", level=1)).to_have_text("The Thaw and After")
    expect(student.get_by_role("status")).to_contain_text("Welcome to HIST 275")
    screenshot(student, "student-joined")

    course = Course.objects.get(code="HIST 275")
    roles = dict(Membership.objects.filter(course=course).values_list("user__email", "role"))
    assert roles == {"ivy@example.edu": Role.INSTRUCTOR, "stu@example.edu": Role.STUDENT}

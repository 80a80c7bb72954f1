from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from readings.models import Assignment, Progress
from tests.factories import AssignmentFactory, ReadingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(course):
    readings = [ReadingFactory(slug=s, title=s.title()) for s in ("alpha", "beta", "gamma")]
    return [
        AssignmentFactory(course=course, reading=r, position=n)
        for n, r in enumerate(readings, start=1)
    ]


def _titles(client, course):
    page = client.get(course.get_absolute_url()).content.decode()
    return [t for t in ("Alpha", "Beta", "Gamma") if t in page] and sorted(
        ("Alpha", "Beta", "Gamma"), key=page.index
    )


def test_instructor_assigns_a_reading_with_due_date_and_instructions(client_for, ada, course):
    reading = ReadingFactory(title="Secret Speech")
    response = client_for(ada).post(
        reverse("readings:assign", args=[course.slug]),
        {"reading": reading.pk, "due_at": "2026-12-01T17:00", "instructions": "Read §2 closely."},
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get(course=course, reading=reading)
    assert timezone.localtime(assignment.due_at).strftime("%Y-%m-%d %H:%M") == "2026-12-01 17:00"
    page = client_for(ada).get(course.get_absolute_url()).content.decode()
    assert "Secret Speech" in page and "Read §2 closely." in page
    assert "Tue, Dec 1, 5:00 PM EST</time>" in page


def test_a_reading_cannot_be_assigned_twice(client_for, ada, course, thaw):
    response = client_for(ada).post(
        reverse("readings:assign", args=[course.slug]), {"reading": thaw.pk}
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert Assignment.objects.filter(course=course, reading=thaw).count() == 1


@pytest.mark.parametrize("due", ["tomorrow", "2026-13-45T99:00", "\x00"])
def test_bad_due_date_is_refused(client_for, ada, course, due):
    reading = ReadingFactory()
    response = client_for(ada).post(
        reverse("readings:assign", args=[course.slug]), {"reading": reading.pk, "due_at": due}
    )
    assert response.status_code == 400
    assert not Assignment.objects.filter(reading=reading).exists()


def test_syllabus_is_reordered_up_and_down(client_for, ben, course, three):
    client = client_for(ben)
    client.post(reverse("readings:move", args=[course.slug, "gamma"]), {"direction": "up"})
    assert _titles(client, course) == ["Alpha", "Gamma", "Beta"]
    client.post(reverse("readings:move", args=[course.slug, "alpha"]), {"direction": "down"})
    assert _titles(client, course) == ["Gamma", "Alpha", "Beta"]
    client.post(reverse("readings:move", args=[course.slug, "gamma"]), {"direction": "up"})
    assert _titles(client, course) == ["Gamma", "Alpha", "Beta"]  # already first


def test_move_needs_a_direction(client_for, ben, course, three):
    response = client_for(ben).post(
        reverse("readings:move", args=[course.slug, "beta"]), {"direction": "sideways"}, follow=True
    )
    assert "Say whether to move the reading up or down." in response.content.decode()


def test_unassigning_closes_the_gap(client_for, ada, course, three):
    client_for(ada).post(reverse("readings:unassign", args=[course.slug, "alpha"]))
    positions = list(
        Assignment.objects.filter(course=course).values_list("reading__slug", "position")
    )
    assert positions == [("beta", 1), ("gamma", 2)]


def test_due_date_and_instructions_can_be_edited(client_for, ada, course, three):
    response = client_for(ada).post(
        reverse("readings:assignment-edit", args=[course.slug, "beta"]),
        {"due_at": "2027-01-15T09:30", "instructions": "Skim."},
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get(reading__slug="beta")
    assert (assignment.instructions, timezone.localtime(assignment.due_at).hour) == ("Skim.", 9)


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("readings:assign", "get"),
        ("readings:move", "post"),
        ("readings:unassign", "post"),
        ("readings:assignment-edit", "get"),
        ("readings:progress", "get"),
    ],
)
def test_students_cannot_change_the_syllabus(client_for, cleo, course, three, name, method):
    args = [course.slug] if name == "readings:assign" else [course.slug, "alpha"]
    response = getattr(client_for(cleo), method)(reverse(name, args=args), {"direction": "up"})
    assert response.status_code == 403
    assert Assignment.objects.filter(course=course).count() == 3


def test_student_sees_their_own_status_per_reading(client_for, cleo, course, three):
    yesterday = timezone.now() - timedelta(days=1)
    Assignment.objects.filter(reading__slug="gamma").update(due_at=yesterday)
    Progress.objects.create(user=cleo, reading=three[0].reading, read_at=timezone.now())
    Progress.objects.create(user=cleo, reading=three[1].reading)
    page = client_for(cleo).get(course.get_absolute_url()).content.decode()
    statuses = [page.index(s) for s in ("Marked as read", "Opened", "Overdue")]
    assert statuses == sorted(statuses)


def test_course_page_queries_do_not_grow_with_the_syllabus(
    client_for, cleo, course, django_assert_max_num_queries
):
    for n in range(25):
        AssignmentFactory(course=course, reading=ReadingFactory(), position=n)
    client = client_for(cleo)
    client.get(reverse("dashboard"))
    with django_assert_max_num_queries(6):
        client.get(course.get_absolute_url())

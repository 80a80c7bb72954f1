import pytest
from django.urls import reverse

from readings.models import Reading
from tests.factories import AssignmentFactory, ReadingFactory

pytestmark = pytest.mark.django_db


def test_non_members_get_404_for_a_course_reading(client_for, eve, otto, course, thaw):
    url = reverse("reading-detail", args=[course.slug, thaw.slug])
    assert client_for(eve).get(url).status_code == 404
    assert client_for(otto).get(url).status_code == 404


def test_members_cannot_read_what_their_course_did_not_assign(
    client_for, cleo, course, other_course
):
    elsewhere = ReadingFactory(slug="elsewhere")
    AssignmentFactory(course=other_course, reading=elsewhere)
    url = reverse("reading-detail", args=[course.slug, elsewhere.slug])
    assert client_for(cleo).get(url).status_code == 404


def test_removed_members_lose_the_readings(client_for, cleo, course, thaw):
    from django.utils import timezone

    cleo.memberships.update(removed_at=timezone.now())
    url = reverse("reading-detail", args=[course.slug, thaw.slug])
    assert client_for(cleo).get(url).status_code == 404
    assert not Reading.objects.visible_to(cleo).exists()


@pytest.mark.parametrize(
    ("who", "status"), [("cleo", 403), ("eve", 403), ("ben", 200), ("ada", 200), ("sam", 200)]
)
def test_library_is_for_teachers_and_staff(client_for, people, thaw, who, status):
    client = client_for(people[who])
    assert client.get(reverse("readings:library")).status_code == status
    assert client.get(reverse("readings:library-detail", args=[thaw.slug])).status_code == status


def test_visible_readings_follow_course_membership(cleo, eve, ada, thaw, other_course):
    elsewhere = ReadingFactory(slug="elsewhere")
    AssignmentFactory(course=other_course, reading=elsewhere)
    assert list(Reading.objects.visible_to(cleo)) == [thaw]
    assert list(Reading.objects.visible_to(eve)) == [elsewhere]
    assert set(Reading.objects.visible_to(ada)) == {thaw, elsewhere}

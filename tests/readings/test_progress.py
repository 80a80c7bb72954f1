import pytest
from django.urls import reverse

from readings.models import Progress

pytestmark = pytest.mark.django_db


def test_opening_a_reading_records_it_once(client_for, cleo, course, thaw):
    client = client_for(cleo)
    url = reverse("reading-detail", args=[course.slug, thaw.slug])
    client.get(url)
    first = Progress.objects.get(user=cleo, reading=thaw).opened_at
    client.get(url)
    assert Progress.objects.get(user=cleo, reading=thaw).opened_at == first


def test_student_marks_a_reading_read_and_undoes_it(client_for, cleo, course, thaw):
    client = client_for(cleo)
    url = reverse("readings:mark-read", args=[course.slug, thaw.slug])
    response = client.post(url, {"read": "1"}, follow=True)
    assert Progress.objects.get(user=cleo, reading=thaw).read_at is not None
    assert "Marked as read on" in response.content.decode()
    client.post(url, {"read": "0"})
    assert Progress.objects.get(user=cleo, reading=thaw).read_at is None


def test_marking_read_needs_post(client_for, cleo, course, thaw):
    url = reverse("readings:mark-read", args=[course.slug, thaw.slug])
    assert client_for(cleo).get(url).status_code == 405
    assert not Progress.objects.filter(read_at__isnull=False).exists()


def test_staff_visiting_leave_no_progress(client_for, sam, course, thaw):
    client_for(sam).get(reverse("reading-detail", args=[course.slug, thaw.slug]))
    assert not Progress.objects.exists()
    url = reverse("readings:mark-read", args=[course.slug, thaw.slug])
    assert client_for(sam).post(url).status_code == 403


def test_instructor_sees_who_opened_and_read(client_for, ada, cleo, dora, course, thaw):
    from tests.factories import MembershipFactory

    MembershipFactory(course=course, user__display_name="Finn")
    client_for(cleo).post(reverse("readings:mark-read", args=[course.slug, thaw.slug]))
    client_for(dora).get(reverse("reading-detail", args=[course.slug, thaw.slug]))
    page = client_for(ada).get(reverse("readings:progress", args=[course.slug, thaw.slug]))
    text = page.content.decode()
    assert "1 of 3 students marked it as read; 1 opened it without marking it; 1 have not" in text
    read, opened, unopened = (text.index(h) for h in ("Marked as read", "Opened", "Not opened"))
    assert read < text.index("Cleo") < opened < text.index("Dora") < unopened < text.index("Finn")


def test_progress_page_queries_do_not_grow_with_the_class(
    client_for, ada, course, thaw, django_assert_max_num_queries
):
    from tests.factories import MembershipFactory

    MembershipFactory.create_batch(40, course=course)
    client = client_for(ada)
    client.get(reverse("dashboard"))
    # The course tabs count the posts waiting for review (one query, for moderators) and ask
    # whether the course is in a learning platform (one, for instructors).
    with django_assert_max_num_queries(9):
        client.get(reverse("readings:progress", args=[course.slug, thaw.slug]))

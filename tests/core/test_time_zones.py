"""A course has a time zone, a person may have their own: pages show the viewer's reading and
the course's beside it when they differ; forms take the course's wall clock and say so."""

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from destalin.models import Course
from discussions.models import Prompt
from tests.factories import PromptFactory, make_post

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")
DUE = datetime(2026, 12, 7, 23, 59, tzinfo=NEW_YORK)  # Mon, Dec 7, 11:59 PM EST


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_new_course_takes_the_sites_zone_and_its_instructor_changes_it(client_for, ada, course):
    assert course.time_zone == "America/New_York"
    client = client_for(ada)
    url = reverse("course-settings", args=[course.slug])
    assert 'value="Europe/Prague"' in _page(client, url)
    data = {"title": course.title, "code": course.code, "term": course.term,
            "grade_release": course.grade_release}  # fmt: skip
    response = client.post(url, {**data, "time_zone": "Mars/Olympus_Mons"})
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    assert Course.objects.get(pk=course.pk).time_zone == "America/New_York"
    assert client.post(url, {**data, "time_zone": "Europe/Prague"}).status_code == 302
    assert Course.objects.get(pk=course.pk).time_zone == "Europe/Prague"


def test_a_course_is_created_in_the_zone_its_instructor_picks(client_for, ada):
    response = client_for(ada).post(
        reverse("course-create"),
        {
            "title": "Prague Spring",
            "code": "HIST 310",
            "term": "Spring 2027",
            "time_zone": "Europe/Prague",
        },
    )
    assert response.status_code == 302
    assert Course.objects.get(code="HIST 310").time_zone == "Europe/Prague"


def test_a_person_sets_their_own_zone_or_none(client_for, cleo):
    client = client_for(cleo)
    url = reverse("profile")
    assert "Each course&#x27;s own" in _page(client, url)
    response = client.post(url, {"display_name": "Cleo", "time_zone": "Nowhere/Else"})
    assert response.status_code == 400
    cleo.refresh_from_db()
    assert cleo.time_zone == ""
    client.post(url, {"display_name": "Cleo", "time_zone": "Europe/Prague"})
    cleo.refresh_from_db()
    assert cleo.time_zone == "Europe/Prague"


def test_due_dates_read_in_the_courses_zone_with_its_name(client_for, cleo, course):
    prompt = PromptFactory(course=course, due_at=DUE)
    page = _page(client_for(cleo), prompt.get_absolute_url())
    assert 'Due <time datetime="2026-12-08T04:59:00Z">Mon, Dec 7, 11:59 PM EST</time>' in page
    home = _page(client_for(cleo), course.get_absolute_url())
    assert '<time datetime="2026-12-08T04:59:00Z">Mon, Dec 7, 11:59 PM EST</time>' in home


def test_a_viewer_in_another_zone_sees_their_time_and_the_courses(client_for, cleo, dora, course):
    cleo.time_zone = "Europe/Prague"
    cleo.save()
    prompt = PromptFactory(course=course, due_at=DUE)
    make_post(prompt, dora, "Dora's response.", now=datetime(2026, 11, 1, 19, 30, tzinfo=NEW_YORK))
    page = _page(client_for(cleo), prompt.get_absolute_url())
    assert (
        'Due <time datetime="2026-12-08T04:59:00Z">'
        "Tue, Dec 8, 5:59 AM CET (Mon, Dec 7, 11:59 PM EST course time)</time>"
    ) in page
    # The thread's own formatter: the post's time both ways.
    assert ">Nov 2, 1:30 AM CET (Nov 1, 7:30 PM EST course time)</time>" in page
    # Dora keeps the course's zone: one reading.
    page = _page(client_for(dora), prompt.get_absolute_url())
    assert "Mon, Dec 7, 11:59 PM EST</time>" in page and "course time" not in page


def test_every_time_element_holds_utc_whole_seconds(client_for, ada, cleo, dora, course, thaw):
    prompt = PromptFactory(
        course=course,
        due_at=DUE,
        opens_at=datetime(2026, 11, 1, 9, 0, 0, 123456, tzinfo=UTC),
        points_possible=10,
    )
    response = make_post(prompt, cleo, "Cleo's response, with words enough.")
    make_post(prompt, dora, "Dora replies.", parent=response)
    pages = [
        prompt.get_absolute_url(),
        course.get_absolute_url(),
        reverse("discussions:reply", args=[course.slug, prompt.pk, response.pk]),
        reverse("grading:grader", args=[course.slug, prompt.pk]),
        reverse("grading:grade-student", args=[course.slug, prompt.pk, cleo.pk]),
        reverse("discussions:audit-log", args=[course.slug]),
    ]
    client = client_for(ada)
    seen = []
    for url in pages:
        seen += re.findall(r'<time datetime="([^"]*)"', _page(client, url))
    assert len(seen) >= 6
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", value) for value in seen), seen


def test_forms_take_the_courses_wall_clock_and_say_so(client_for, ada, course):
    course.time_zone = "Europe/Prague"
    course.save()
    ada.time_zone = "America/Los_Angeles"  # her own zone changes nothing she types
    ada.save()
    client = client_for(ada)
    url = reverse("discussions:prompt-create", args=[course.slug])
    assert "In the course's time zone (Europe/Prague)." in _page(client, url)
    data = {"title": "Prague, 1968", "body": "Argue it.", "reveal_mode": "open",
            "points_possible": "10", "min_words": "0", "required_responses": "1",
            "required_replies": "0", "due_at": "2026-12-07T23:59"}  # fmt: skip
    assert client.post(url, data).status_code == 302
    prompt = Prompt.objects.get(title="Prague, 1968")
    assert prompt.due_at == datetime(2026, 12, 7, 22, 59, tzinfo=UTC)
    edit = _page(client, reverse("discussions:prompt-edit", args=[course.slug, prompt.pk]))
    assert 'value="2026-12-07T23:59"' in edit


def test_a_time_that_spring_forward_skips_is_refused_with_a_message(client_for, ada, course):
    url = reverse("discussions:prompt-create", args=[course.slug])
    data = {"title": "Skipped", "body": "Argue it.", "reveal_mode": "open",
            "points_possible": "10", "min_words": "0", "required_responses": "1",
            "required_replies": "0", "due_at": "2026-03-08T02:30"}  # fmt: skip
    response = client_for(ada).post(url, data)
    assert response.status_code == 400
    assert "be interpreted in time zone America/New_York" in response.content.decode()
    assert not Prompt.objects.filter(title="Skipped").exists()


def test_an_extension_is_typed_on_the_courses_clock(client_for, ada, cleo, course):
    course.time_zone = "Asia/Kolkata"
    course.save()
    prompt = PromptFactory(course=course, due_at=DUE)
    url = reverse("discussions:extensions", args=[course.slug, prompt.pk])
    response = client_for(ada).post(url, {"student": cleo.pk, "due_at": "2026-12-10T23:59"})
    assert response.status_code == 302
    participation = prompt.participations.get(user=cleo)
    assert participation.extended_due_at == datetime(2026, 12, 10, 18, 29, tzinfo=UTC)
    page = _page(client_for(ada), url)
    assert "Thu, Dec 10, 11:59 PM IST" in page


# 2 PM UTC is 7:30 PM in Kolkata and 9:00 AM in New York (the site's zone): a page that
# forgot the course would show the second.
AT = datetime(2026, 11, 1, 14, 0, tzinfo=UTC)


@pytest.fixture
def kolkata(course, ada, cleo, dora, thaw):
    from discussions import post_services, services
    from discussions.moderation.services import flag_post
    from readings.models import Assignment, Progress

    course.time_zone = "Asia/Kolkata"
    course.save()
    Assignment.objects.filter(course=course).update(due_at=AT)
    Progress.objects.create(user=cleo, reading=thaw, opened_at=AT, read_at=AT)
    prompt = PromptFactory(
        course=course, due_at=AT, points_possible=10, required_responses=1, title="Kolkata"
    )
    post = make_post(prompt, cleo, "Cleo's response on the Thaw and its limits.", now=AT)
    post_services.edit_post(post=post, editor=cleo, body="Cleo's edited response.", now=AT)
    flag_post(post=post, by=dora, reason="other", details="Check it.")
    services.grant_extension(prompt=prompt, student=dora, due_at=AT, cutoff_at=None, granted_by=ada)
    return prompt, post


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("discussions:prompt", ["prompt"]),
        ("discussions:reply", ["prompt", "post"]),
        ("discussions:post-history", ["post"]),
        ("discussions:post-moderate", ["post"]),
        ("discussions:prompt-progress", ["prompt"]),
        ("discussions:extensions", ["prompt"]),
        ("discussions:review-queue", []),
        ("readings:progress", ["the-thaw"]),
        ("reading-detail", ["the-thaw"]),
        ("course-detail", []),
        ("grading:grader", ["prompt"]),
        ("grading:grade-student", ["prompt", "cleo"]),
    ],
)
def test_every_page_reads_times_on_the_courses_clock(client_for, ada, cleo, kolkata, name, args):
    prompt, post = kolkata
    values = {"prompt": prompt.pk, "post": post.pk, "cleo": cleo.pk}
    url = reverse(name, args=[prompt.course.slug, *(values.get(a, a) for a in args)])
    page = _page(client_for(ada), url)
    assert "7:30 PM" in page
    assert "9:00 AM" not in page and "EST" not in page

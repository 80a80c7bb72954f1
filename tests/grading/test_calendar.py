"""Days counted and dates moved on the course's calendar: late penalties across changes of
daylight saving, extensions, scheduled releases, copying a course into a new term, the
analytics' days, the demo's due dates, and exports that keep the course's offset."""

import csv
import io
import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse

from destalin.models import Course
from discussions.grading import grader_selectors as selectors
from discussions.grading.analytics import posts_by_day
from discussions.grading.models import Grade, GradingPolicy
from discussions.models import Participation, Prompt
from discussions.services import grant_extension
from tests.factories import PromptFactory, make_post
from tests.grading.steps import grade_form, grader_url

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")


def ny(*args):
    return datetime(*args, tzinfo=NEW_YORK)


@pytest.fixture
def late_policy(course, ada, cleo, dora):
    """Due Sat Oct 31 2026 8:00 PM in New York, 10% of 10 points off per day late."""
    prompt = PromptFactory(
        course=course, points_possible=10, required_responses=1, due_at=ny(2026, 10, 31, 20, 0)
    )
    GradingPolicy.objects.create(prompt=prompt, late_percent_per_day=10)
    return prompt


def _graded_score(client, ada, prompt, student):
    client.force_login(ada)
    response = client.post(grader_url(prompt, student), grade_form(score="10"))
    assert response.status_code == 302
    return Grade.objects.get(prompt=prompt, student=student).score


def test_posted_the_evening_after_the_clocks_fall_back_is_one_day_late(
    client, ada, cleo, late_policy
):
    make_post(late_policy, cleo, "Cleo, a day late.", now=ny(2026, 11, 1, 19, 30))
    participation = Participation.objects.get(prompt=late_policy, user=cleo)
    assert selectors.late_days_of(late_policy, participation) == 1
    assert _graded_score(client, ada, late_policy, cleo) == 9  # not 8: one day, not two


def test_posted_after_the_next_days_due_time_across_spring_forward_is_two_days_late(
    client, ada, cleo, course
):
    prompt = PromptFactory(
        course=course, points_possible=10, required_responses=1, due_at=ny(2026, 3, 7, 20, 0)
    )
    GradingPolicy.objects.create(prompt=prompt, late_percent_per_day=10)
    make_post(prompt, cleo, "Cleo, late.", now=ny(2026, 3, 8, 20, 30))  # 23.5 hours later
    assert _graded_score(client, ada, prompt, cleo) == 8


def test_late_days_count_in_the_courses_zone_not_the_sites(client, ada, cleo, course):
    course.time_zone = "Australia/Sydney"  # clocks go forward on Sun Oct 4 2026
    course.save()
    sydney = ZoneInfo("Australia/Sydney")
    prompt = PromptFactory(
        course=course,
        points_possible=10,
        required_responses=1,
        due_at=datetime(2026, 10, 3, 20, 0, tzinfo=sydney),
    )
    make_post(prompt, cleo, "Cleo.", now=datetime(2026, 10, 4, 20, 30, tzinfo=sydney))
    participation = Participation.objects.get(prompt=prompt, user=cleo)
    assert selectors.late_days_of(prompt, participation) == 2


def test_late_days_run_from_an_extension_on_the_same_calendar(ada, cleo, late_policy):
    grant_extension(
        prompt=late_policy, student=cleo, due_at=ny(2026, 10, 31, 20, 0).replace(day=30),
        cutoff_at=None, granted_by=ada,
    )  # fmt: skip
    make_post(late_policy, cleo, "Cleo.", now=ny(2026, 11, 1, 19, 30))
    participation = Participation.objects.get(prompt=late_policy, user=cleo)
    assert participation.extended_due_at == ny(2026, 10, 30, 20, 0)
    assert selectors.late_days_of(late_policy, participation) == 2


def test_a_scheduled_release_is_typed_on_the_courses_clock(client, ada, course, late_policy):
    course.time_zone = "Europe/Prague"
    course.save()
    client.force_login(ada)
    url = reverse("grading:release", args=[course.slug, late_policy.pk])
    data = {"scope": "everyone", "at": "2026-12-07T23:59", "notify": ""}
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    policy = GradingPolicy.objects.get(prompt=late_policy)
    assert policy.released_at == datetime(2026, 12, 7, 22, 59, tzinfo=UTC)
    assert "Grades are released from Mon, Dec 7, 11:59 PM CET." in response.content.decode()
    refused = client.post(url, {**data, "at": "2026-03-29T02:30"})  # skipped in Prague
    assert refused.status_code == 400
    assert GradingPolicy.objects.get(prompt=late_policy).released_at == policy.released_at


def test_copying_a_course_keeps_each_due_time_on_the_wall_clock(ada, course):
    PromptFactory(course=course, title="Thaw", due_at=ny(2026, 12, 10, 23, 59))
    call_command(
        "copy_course",
        course.slug,
        term="Spring 2027",
        instructor=ada.email,
        shift_days=140,
        stdout=io.StringIO(),
    )
    copy = Prompt.objects.get(course__term="Spring 2027", title="Thaw")
    assert copy.due_at == ny(2027, 4, 29, 23, 59)  # Thu 11:59 PM EDT, not Fri 12:59 AM
    assert Course.objects.get(term="Spring 2027").time_zone == course.time_zone


def test_posts_count_on_the_courses_day_in_analytics(course, cleo, dora):
    prompt = PromptFactory(course=course)
    make_post(prompt, cleo, "Evening in New York.", now=ny(2026, 11, 1, 19, 30))
    make_post(prompt, dora, "Morning in New York.", now=ny(2026, 11, 2, 8, 0))
    days = posts_by_day([prompt], NEW_YORK)
    assert [(str(day), responses) for day, responses, _ in days] == [
        ("2026-11-01", 1),
        ("2026-11-02", 1),
    ]


def test_exports_write_the_courses_offset(client, ada, cleo, course, late_policy):
    make_post(late_policy, cleo, "Cleo at 7:30 PM.", now=ny(2026, 11, 1, 19, 30))
    client.force_login(ada)
    kwargs = {"course": course.slug, "pk": late_policy.pk}
    rows = json.loads(
        client.get(reverse("grading:export", kwargs={**kwargs, "fmt": "json"})).content
    )
    assert rows["posts"][0]["created"] == "2026-11-01T19:30:00-05:00"
    response = client.get(reverse("grading:export", kwargs={**kwargs, "fmt": "csv"}))
    text = b"".join(response.streaming_content).decode()
    assert next(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))["created"] == (
        "2026-11-01T19:30:00-05:00"
    )
    client.post(grader_url(late_policy, cleo), grade_form(score="10"))
    response = client.get(reverse("discussions:audit-log-csv", args=[course.slug]))
    log = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode().lstrip("\ufeff")))
    )
    assert log and all(row["when"].endswith(("-05:00", "-04:00")) for row in log)
    assert all(len(row["when"]) == len("2026-11-01T19:30:00-05:00") for row in log)


def test_the_demo_is_due_at_1159_pm_on_the_courses_clock(db):
    call_command("loaddata", "readings", verbosity=0)
    call_command("seed_demo", force=True, stdout=io.StringIO())
    course = Course.objects.get(slug="hist-274-fall-2026")
    zone = ZoneInfo(course.time_zone)
    dues = [a.due_at for a in course.assignments.all()] + [p.due_at for p in course.prompts.all()]
    assert len(dues) == 5
    assert {due.astimezone(zone).strftime("%H:%M") for due in dues} == {"23:59"}


def test_a_reading_imported_with_a_due_date_is_due_on_the_courses_clock(course, tmp_path):
    course.time_zone = "Europe/Prague"
    course.save()
    source = tmp_path / "thaw.md"
    source.write_text("# The Thaw\n\n## One\n\nA short text.\n", encoding="utf-8")
    call_command(
        "import_reading", str(source), title="The Thaw", course=course.slug, due="2026-12-07",
        stdout=io.StringIO(),
    )  # fmt: skip
    due = course.assignments.get().due_at
    assert due == datetime(2026, 12, 7, 22, 59, tzinfo=UTC)  # 11:59 PM CET

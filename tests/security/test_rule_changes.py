"""Every change of a rule that affects grades or visibility is in the audit log, and what TAs
may change beyond grading and moderating is the course's choice.

Inputs tried: an extension granted, changed and cleared; a prompt's due date, points, minimum
words, reveal mode and hold switch changed, and saved unchanged; a prompt published and taken
back to draft; a rubric created, re-leveled and saved unchanged; a prompt's late policy,
release mode and rubric changed; the course's grade release, time zone and two-factor rule
changed, and its settings saved unchanged (the class list's changes: tests/courses). For TAs,
with each course setting on and off: the hold switch posted on the prompt form, and every
syllabus action (assign, edit dates, reorder, unassign)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from destalin import times
from discussions.grading.models import Rubric
from discussions.models import AuditAction, AuditEntry, Prompt
from readings.models import Assignment
from tests.factories import PromptFactory, ReadingFactory

pytestmark = pytest.mark.django_db


def _log(action):
    return list(AuditEntry.objects.filter(action=action).order_by("created_at", "id"))


PROMPT_FORM = {
    "title": "Was de-Stalinization purposeful?",
    "body": "Argue from the readings.",
    "points_possible": "10",
    "reveal_mode": "after_post",
    "min_words": "100",
    "required_responses": "1",
    "required_replies": "1",
    "is_published": "on",
}


@pytest.fixture
def rules(course):
    return PromptFactory(
        course=course, points_possible=10, reveal_mode="after_post", min_words=100,
        required_responses=1, required_replies=1,
    )  # fmt: skip


def _edit_prompt(client, prompt, **changes):
    url = reverse("discussions:prompt-edit", args=[prompt.course.slug, prompt.pk])
    return client.post(url, {**PROMPT_FORM, **changes})


def test_changing_a_prompts_rules_is_logged_with_before_and_after(client_for, ada, rules):
    response = _edit_prompt(client_for(ada), rules, min_words="50", hold_posts="on")
    assert response.status_code == 302
    [entry] = _log(AuditAction.PROMPT_RULES)
    assert entry.actor == ada and entry.prompt_id == rules.pk
    assert entry.before == "minimum words per response: 100\nhold new posts for review: no"
    assert entry.after == "minimum words per response: 50\nhold new posts for review: yes"
    page = client_for(ada).get(reverse("discussions:audit-log", args=[rules.course.slug]))
    assert "Changed a prompt&#x27;s rules" in page.content.decode()


def test_saving_a_prompt_unchanged_or_rewording_it_logs_nothing(client_for, ada, rules):
    _edit_prompt(client_for(ada), rules, title="A new title", body="New words.")
    assert Prompt.objects.get().title == "A new title"
    assert _log(AuditAction.PROMPT_RULES) == []


def test_due_dates_and_publishing_are_logged(client_for, ben, rules):
    client = client_for(ben)
    due = timezone.localtime() + timedelta(days=2)
    _edit_prompt(client, rules, due_at=due.strftime("%Y-%m-%dT%H:%M"))
    publish = reverse("discussions:prompt-publish", args=[rules.course.slug, rules.pk])
    client.post(publish, {"publish": "0"})
    due_entry, draft_entry = _log(AuditAction.PROMPT_RULES)
    stored = Prompt.objects.get().due_at
    assert due_entry.before == "due: none"
    # In the course's zone, with its offset, as the log's CSV writes times.
    assert due_entry.after == f"due: {times.iso(stored, rules.course)}"
    assert (draft_entry.before, draft_entry.after) == ("published: yes", "published: no")
    assert draft_entry.actor == ben


def test_extensions_granted_changed_and_cleared_are_logged(client_for, ada, cleo, rules):
    url = reverse("discussions:extensions", args=[rules.course.slug, rules.pk])
    client = client_for(ada)
    cutoff = datetime(2026, 12, 24, 12, 0, tzinfo=UTC)
    local = timezone.localtime(cutoff).strftime("%Y-%m-%dT%H:%M")
    assert client.post(url, {"student": cleo.pk, "cutoff_at": local}).status_code == 302
    client.post(url, {"student": cleo.pk, "cutoff_at": local})  # the same again: no entry
    client.post(url, {"student": cleo.pk})
    granted, cleared = _log(AuditAction.EXTENSION)
    assert granted.student == cleo and granted.actor == ada and granted.prompt_id == rules.pk
    assert granted.before == "extended cut-off: none"
    assert granted.after == "extended cut-off: 2026-12-24T07:00:00-05:00"  # New York, winter
    assert (cleared.before, cleared.after) == (granted.after, granted.before)


def _rubric_form(title, initial=0, **criteria):
    data = {
        "title": title,
        "criteria-TOTAL_FORMS": str(len(criteria)),
        "criteria-INITIAL_FORMS": str(initial),
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "20",
    }
    for i, (name, levels) in enumerate(criteria.items()):
        data[f"criteria-{i}-title"] = name
        data[f"criteria-{i}-levels"] = levels
    return data


def test_rubric_edits_are_logged(client_for, ada, course):
    client = client_for(ada)
    client.post(
        reverse("grading:rubric-create", args=[course.slug]),
        _rubric_form("Essay", Argument="6 Strong\n0 Absent"),
    )
    rubric = Rubric.objects.get()
    edit = reverse("grading:rubric-edit", args=[course.slug, rubric.pk])
    same = _rubric_form("Essay", initial=1, Argument="6 Strong\n0 Absent")
    assert client.post(edit, same).status_code == 302
    more = _rubric_form("Essay", initial=1, Argument="8 Strong\n0 Absent")
    assert client.post(edit, more).status_code == 302
    created, changed = _log(AuditAction.RUBRIC)
    assert created.before == "" and created.after == "Essay\nArgument: Strong (6); Absent (0)"
    assert changed.before == created.after
    assert changed.after == "Essay\nArgument: Strong (8); Absent (0)"


def test_a_prompts_grading_settings_changes_are_logged(client_for, ada, rules):
    url = reverse("grading:policy", args=[rules.course.slug, rules.pk])
    form = {
        "rubric": "",
        "release_mode": "",
        "late_percent_per_day": "0",
        "late_floor_percent": "0",
    }
    client = client_for(ada)
    assert client.post(url, form).status_code == 302  # the defaults, saved: no change
    client.post(url, {**form, "late_percent_per_day": "10", "release_mode": "automatic"})
    [entry] = _log(AuditAction.GRADING_POLICY)
    assert entry.prompt_id == rules.pk and entry.actor == ada
    assert entry.before == "release grades: none\nlate deduction per day (%): 0.00"
    assert entry.after == (
        "release grades: Automatically, as each grade is saved\nlate deduction per day (%): 10.00"
    )


# What TAs may change


def test_tas_set_the_hold_switch_unless_the_course_says_otherwise(client_for, ada, ben, rules):
    assert _edit_prompt(client_for(ben), rules, hold_posts="on").status_code == 302
    assert Prompt.objects.get().hold_posts
    course = rules.course
    course.tas_may_hold_posts = False
    course.save()
    form = client_for(ben).get(reverse("discussions:prompt-edit", args=[course.slug, rules.pk]))
    assert "Only the instructor changes this in this course." in form.content.decode()
    assert _edit_prompt(client_for(ben), rules, min_words="60").status_code == 302
    prompt = Prompt.objects.get()
    assert prompt.hold_posts and prompt.min_words == 60  # the rest of the form still saves
    _edit_prompt(client_for(ada), rules)
    assert not Prompt.objects.get().hold_posts


@pytest.fixture
def syllabus(course):
    reading = ReadingFactory(slug="secret-speech", title="The Secret Speech")
    other = ReadingFactory(slug="thaw-novel", title="The Thaw, a novel")
    Assignment.objects.create(course=course, reading=reading, position=1)
    Assignment.objects.create(course=course, reading=other, position=2)
    return {"reading": reading, "new": ReadingFactory(slug="new-one", title="A new reading")}


def _syllabus_requests(course, syllabus):
    slug = syllabus["reading"].slug
    args = {"course": course.slug, "reading": slug}
    return [
        ("get", reverse("readings:assign", args=[course.slug]), {}),
        ("post", reverse("readings:assign", args=[course.slug]), {"reading": syllabus["new"].pk}),
        ("get", reverse("readings:assignment-edit", kwargs=args), {}),
        ("post", reverse("readings:assignment-edit", kwargs=args), {"instructions": "Read it."}),
        ("post", reverse("readings:move", kwargs=args), {"direction": "down"}),
        ("post", reverse("readings:unassign", kwargs=args), {}),
    ]


def test_tas_assign_readings_unless_the_course_says_otherwise(
    client_for, ada, ben, course, syllabus
):
    course.tas_may_assign_readings = False
    course.save()
    client = client_for(ben)
    for method, url, data in _syllabus_requests(course, syllabus):
        assert getattr(client, method)(url, data).status_code == 403, url
    assert Assignment.objects.filter(course=course).count() == 2
    page = client.get(course.get_absolute_url()).content.decode()
    assert "The Secret Speech" in page
    assert reverse("readings:assign", args=[course.slug]) not in page

    course.tas_may_assign_readings = True
    course.save()
    for method, url, data in _syllabus_requests(course, syllabus):
        assert getattr(client, method)(url, data).status_code in (200, 302), url
    assert (
        reverse("readings:assign", args=[course.slug])
        in client.get(course.get_absolute_url()).content.decode()
    )


def test_the_instructor_sets_what_tas_may_do_in_the_course_settings(client_for, ada, ben, course):
    url = reverse("course-settings", args=[course.slug])
    page = client_for(ada).get(url).content.decode()
    assert "TAs may assign readings" in page and "TAs may set a discussion" in page
    data = {
        "title": course.title, "code": course.code, "term": course.term, "description": "",
        "is_joining_open": "on", "grade_release": "manual", "tas_may_hold_posts": "on",
    }  # fmt: skip
    assert client_for(ada).post(url, data).status_code == 302
    course.refresh_from_db()
    assert course.tas_may_hold_posts and not course.tas_may_assign_readings
    assert client_for(ben).post(url, {**data, "tas_may_assign_readings": "on"}).status_code == 403
    course.refresh_from_db()
    assert not course.tas_may_assign_readings


def test_course_settings_changes_are_logged_and_touch_nothing_else(client_for, ada, course):
    url = reverse("course-settings", args=[course.slug])
    data = {
        "title": course.title, "code": course.code, "term": course.term, "description": "",
        "is_joining_open": "on", "grade_release": "manual", "tas_may_hold_posts": "on",
        "tas_may_assign_readings": "on", "tas_may_add_readings": "on",
        "originals_downloadable": "on",
    }  # fmt: skip
    form_page = client_for(ada).get(url)  # loaded before the moderation settings change
    assert form_page.status_code == 200
    course.word_list = "banned"
    course.hold_posts = True
    course.save(update_fields=["word_list", "hold_posts"])
    client_for(ada).post(url, data)  # nothing changed
    client_for(ada).post(url, {**data, "grade_release": "automatic", "title": "Renamed"})
    [entry] = _log(AuditAction.COURSE_SETTINGS)
    assert entry.actor == ada
    assert entry.before == "release grades: Manually, when the instructor releases them"
    assert entry.after == "release grades: Automatically, as each grade is saved"
    course.refresh_from_db()
    assert course.title == "Renamed" and course.word_list == "banned" and course.hold_posts


def test_the_courses_time_zone_and_two_factor_rule_are_logged(client_for, ada, course):
    # The zone decides the calendar day of a post, so how many days late it is (and its
    # deduction); the two-factor rule decides how teachers may sign in.
    url = reverse("course-settings", args=[course.slug])
    data = {
        "title": course.title, "code": course.code, "term": course.term, "description": "",
        "is_joining_open": "on", "grade_release": course.grade_release,
        "tas_may_hold_posts": "on", "tas_may_assign_readings": "on", "tas_may_add_readings": "on",
        "originals_downloadable": "on",
        "time_zone": course.time_zone,
    }  # fmt: skip
    assert client_for(ada).post(url, data).status_code == 302
    assert _log(AuditAction.COURSE_SETTINGS) == []
    changed = {**data, "time_zone": "Asia/Vladivostok", "require_two_factor": "on"}
    assert client_for(ada).post(url, changed).status_code == 302
    [entry] = _log(AuditAction.COURSE_SETTINGS)
    assert entry.actor == ada
    assert entry.before == (
        f"teachers must use two-factor sign-in: no\ntime zone: {course.time_zone}"
    )
    assert entry.after == "teachers must use two-factor sign-in: yes\ntime zone: Asia/Vladivostok"

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from discussions.models import Prompt
from discussions.services import move_prompt, save_prompt
from tests.factories import PromptFactory, make_post
from tests.pages import page_text

pytestmark = pytest.mark.django_db

VALID = {
    "title": "Was de-Stalinization purposeful?",
    "body": "Argue from *Jones* and Kozlov.",
    "points_possible": "10",
    "reveal_mode": "after_post",
    "min_words": "100",
    "required_responses": "1",
    "required_replies": "2",
}


def _create(client, course, **changes):
    return client.post(
        reverse("discussions:prompt-create", args=[course.slug]), {**VALID, **changes}
    )


def test_ta_drafts_a_prompt_students_do_not_see(client_for, ben, cleo, course):
    response = _create(client_for(ben), course)
    prompt = Prompt.objects.get()
    assert response.status_code == 302
    assert not prompt.is_published
    assert prompt.body_html == "<p>Argue from <em>Jones</em> and Kozlov.</p>\n"
    student = client_for(cleo)
    assert student.get(prompt.get_absolute_url()).status_code == 404
    course_page = page_text(student.get(course.get_absolute_url()))
    assert course.title in course_page and "purposeful" not in course_page


def test_published_prompt_appears_for_students(client_for, ada, cleo, course):
    _create(client_for(ada), course, is_published="on")
    prompt = Prompt.objects.get()
    page = client_for(cleo).get(course.get_absolute_url()).content.decode()
    assert "Was de-Stalinization purposeful?" in page
    assert client_for(cleo).get(prompt.get_absolute_url()).status_code == 200


def test_publish_and_back_to_draft(client_for, ada, cleo, course):
    _create(client_for(ada), course)
    prompt = Prompt.objects.get()
    url = reverse("discussions:prompt-publish", args=[course.slug, prompt.pk])
    client_for(ada).post(url, {"publish": "1"})
    assert client_for(cleo).get(prompt.get_absolute_url()).status_code == 200
    client_for(ada).post(url, {"publish": "0"})
    assert client_for(cleo).get(prompt.get_absolute_url()).status_code == 404


def test_prompt_links_its_readings(client_for, ada, cleo, course, thaw):
    _create(client_for(ada), course, readings=[thaw.pk], is_published="on")
    page = client_for(cleo).get(Prompt.objects.get().get_absolute_url()).content.decode()
    assert reverse("reading-detail", args=[course.slug, thaw.slug]) in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "This field is required."),
        ({"required_replies": "11"}, "At most 10."),
        ({"points_possible": "-1"}, "greater than or equal to 0"),
        ({"title": "A\x00B"}, "Null characters are not allowed."),
        (
            {"due_at": "2026-12-10T10:00", "cutoff_at": "2026-12-09T10:00"},
            "The cut-off cannot come before the due date.",
        ),
        (
            {"opens_at": "2026-12-10T10:00", "due_at": "2026-12-01T10:00"},
            "The due date must come after the opening.",
        ),
    ],
)
def test_bad_prompt_input_is_refused(client_for, ada, course, changes, message):
    response = _create(client_for(ada), course, **changes)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Prompt.objects.exists()


def test_students_cannot_manage_prompts(client_for, cleo, course, prompt):
    client = client_for(cleo)
    assert client.get(reverse("discussions:prompt-create", args=[course.slug])).status_code == 403
    assert _create(client, course).status_code == 403
    edit = reverse("discussions:prompt-edit", args=[course.slug, prompt.pk])
    assert client.post(edit, VALID).status_code == 403
    publish = reverse("discussions:prompt-publish", args=[course.slug, prompt.pk])
    assert client.post(publish, {"publish": "0"}).status_code == 403
    prompt.refresh_from_db()
    assert prompt.is_published


def test_prompts_are_reordered(client_for, ada, course):
    _, second = (
        PromptFactory(course=course, title="First"),
        PromptFactory(course=course, title="Second"),
    )
    client_for(ada).post(
        reverse("discussions:prompt-move", args=[course.slug, second.pk]), {"direction": "up"}
    )
    page = client_for(ada).get(course.get_absolute_url()).content.decode()
    assert page.index("Second") < page.index("First")


def test_course_page_lists_prompts_with_due_dates_and_status(client_for, cleo, course, prompt):
    prompt.due_at = timezone.now() + timedelta(days=2)
    prompt.save()
    page = client_for(cleo).get(course.get_absolute_url()).content.decode()
    assert "Due " in page and "Not started" in page


def test_prompt_edits_never_overwrite_the_post_count(cleo, course):
    prompt = PromptFactory(course=course)
    stale = Prompt.objects.get(pk=prompt.pk)
    make_post(prompt, cleo, "Posted while the instructor was editing.")
    stale.title = "Renamed"
    save_prompt(prompt=stale)
    assert Prompt.objects.get(pk=prompt.pk).post_count == 1


def test_editing_a_prompt_keeps_a_concurrent_move(ada, course):
    first, second = PromptFactory(course=course), PromptFactory(course=course)
    stale = Prompt.objects.get(pk=first.pk)
    move_prompt(prompt=second, offset=-1)
    stale.title = "Renamed"
    save_prompt(prompt=stale)
    positions = dict(Prompt.objects.values_list("pk", "position"))
    assert positions[second.pk] < positions[first.pk]


def test_after_due_reveal_needs_a_due_date(client_for, ada, course):
    response = client_for(ada).post(
        reverse("discussions:prompt-create", args=[course.slug]),
        {
            "title": "T",
            "body": "B",
            "points_possible": "0",
            "reveal_mode": "after_due",
            "min_words": "0",
            "required_responses": "1",
            "required_replies": "0",
        },
    )
    assert response.status_code == 400
    assert "needs a due date" in response.content.decode()


def test_a_prompt_not_yet_open_says_when_it_opens_in_the_courses_zone(client_for, cleo, course):
    course.time_zone = "Europe/Prague"
    course.save()
    opens = timezone.datetime(2030, 1, 15, 10, 0, tzinfo=ZoneInfo("Europe/Prague"))
    prompt = PromptFactory(course=course, opens_at=opens)
    page = page_text(client_for(cleo).get(prompt.get_absolute_url()))
    assert "opens Tue, Jan 15, 10:00 AM CET." in page

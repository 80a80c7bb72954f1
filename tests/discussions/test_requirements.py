from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from discussions.models import Post
from discussions.post_services import delete_post
from discussions.services import grant_extension
from tests.factories import PromptFactory, make_post
from tests.pages import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_replies(course):
    return PromptFactory(course=course, required_responses=1, required_replies=2, min_words=3)


def _participation(prompt, user):
    return prompt.participations.get(user=user)


def test_replies_count_once_per_classmate_and_not_in_ones_own_thread(
    cleo, dora, ada, two_replies, course
):
    from tests.factories import MembershipFactory

    finn = MembershipFactory(course=course, user__display_name="Finn").user
    mine = make_post(two_replies, cleo, "My own response here.")
    doras = make_post(two_replies, dora, "Dora responds here.")
    dora_in_my_thread = make_post(two_replies, dora, "Dora answers Cleo.", parent=mine)
    teacher = make_post(two_replies, ada, "Teacher framing post.")
    make_post(two_replies, cleo, "Reply in my own thread.", parent=dora_in_my_thread)
    make_post(two_replies, cleo, "Reply to the teacher.", parent=teacher)
    make_post(two_replies, cleo, "First reply to Dora.", parent=doras)
    make_post(two_replies, cleo, "Second reply to Dora.", parent=doras)
    participation = _participation(two_replies, cleo)
    assert (participation.replies, participation.classmates_replied_to) == (4, 1)
    assert not participation.meets(two_replies)
    finns = make_post(two_replies, finn, "Finn responds here.")
    completing = make_post(two_replies, cleo, "Reply to Finn.", parent=finns)
    participation = _participation(two_replies, cleo)
    assert participation.meets(two_replies)
    assert participation.replies_met_by == completing
    assert participation.met_at == completing.created_at


def test_response_under_the_minimum_is_allowed_but_does_not_count(client_for, cleo, two_replies):
    make_post(two_replies, cleo, "Too short")
    participation = _participation(two_replies, cleo)
    assert (participation.responses, participation.qualifying_responses) == (1, 0)
    page = client_for(cleo).get(two_replies.get_absolute_url()).content.decode()
    assert (
        "Response:</strong> not yet, 0 of 1, 2 words (at least 3 each); 1 under the minimum" in page
    )


def test_checklist_reports_what_is_done(client_for, cleo, dora, prompt):
    theirs = make_post(prompt, dora, "Dora responds.")
    make_post(prompt, cleo, "Cleo responds with several words.")
    page = client_for(cleo).get(prompt.get_absolute_url()).content.decode()
    assert "Response:</strong> done, 1 of 1" in page
    assert "Replies to classmates:</strong> not yet, 0 of 1, to different people" in page
    make_post(prompt, cleo, "Reply.", parent=theirs)
    page = client_for(cleo).get(prompt.get_absolute_url()).content.decode()
    assert "Replies to classmates:</strong> done, 1 of 1" in page


def test_deleting_a_counted_post_recomputes_at_once(client_for, cleo, dora, prompt):
    theirs = make_post(prompt, dora, "Dora responds.")
    make_post(prompt, cleo, "Cleo responds.")
    reply = make_post(prompt, cleo, "Reply.", parent=theirs)
    met_at = _participation(prompt, cleo).met_at
    assert met_at is not None
    delete_post(post=reply, by=cleo)
    participation = _participation(prompt, cleo)
    assert participation.met_at is None and participation.was_met_at == met_at
    page = client_for(cleo).get(prompt.get_absolute_url()).content.decode()
    assert "unmet, was met at" in page


def test_lateness_is_judged_on_the_moment_a_requirement_was_met(client_for, cleo, prompt):
    prompt.due_at = timezone.now() - timedelta(hours=1)
    prompt.save()
    make_post(prompt, cleo, "A late response.")
    page = client_for(cleo).get(prompt.get_absolute_url()).content.decode()
    assert ", late)" in page


def test_extension_moves_the_due_date_for_one_student(cleo, ada, prompt):
    prompt.due_at = timezone.now() - timedelta(hours=1)
    prompt.save()
    grant_extension(
        prompt=prompt,
        student=cleo,
        due_at=timezone.now() + timedelta(days=1),
        cutoff_at=None,
        granted_by=ada,
    )
    assert not make_post(prompt, cleo, "On time thanks to the extension.").is_late


def test_an_extension_clears_the_late_mark_of_posts_already_made(ada, cleo, course):
    prompt = PromptFactory(course=course, due_at=timezone.now() - timedelta(hours=1))
    post = make_post(prompt, cleo, "Late.")
    assert Post.objects.get(pk=post.pk).is_late
    grant_extension(
        prompt=prompt,
        student=cleo,
        due_at=timezone.now() + timedelta(days=1),
        cutoff_at=None,
        granted_by=ada,
    )
    assert not Post.objects.get(pk=post.pk).is_late


def test_course_page_shows_each_students_participation(client_for, cleo, dora, prompt):
    theirs = make_post(prompt, dora, "Dora responds.")
    make_post(prompt, cleo, "Cleo responds.")
    assert "In progress" in client_for(cleo).get(prompt.course.get_absolute_url()).content.decode()
    make_post(prompt, cleo, "Reply.", parent=theirs)
    assert (
        "Requirements met"
        in client_for(cleo).get(prompt.course.get_absolute_url()).content.decode()
    )


def test_teachers_see_every_students_participation(client_for, ada, cleo, dora, prompt):
    theirs = make_post(prompt, dora, "Dora responds.")
    make_post(prompt, cleo, "Cleo responds.")
    make_post(prompt, cleo, "Reply.", parent=theirs)
    url = reverse("discussions:prompt-progress", args=[prompt.course.slug, prompt.pk])
    page = client_for(ada).get(url).content.decode()
    table = page[page.index("<tbody>") :]
    cleo_row = table[table.index("Cleo") : table.index("</tr>", table.index("Cleo"))]
    dora_row = table[table.index("Dora") : table.index("</tr>", table.index("Dora"))]
    assert "Met " in cleo_row and "In progress" in dora_row
    student_view = page_text(client_for(cleo).get(prompt.get_absolute_url()))
    assert prompt.title in student_view and "Students' progress" not in student_view

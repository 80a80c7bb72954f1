"""Destructive actions ask first, or can be undone: a student's Delete, Unassign a reading,
Remove a member, and Hide from the review queue (which asks a reason there too)."""

import pytest
from django.urls import reverse

from discussions.models import Post
from readings.models import Assignment
from tests.factories import make_post

pytestmark = pytest.mark.django_db


def test_a_students_delete_asks_first_and_changes_nothing_until_confirmed(client_for, cleo, prompt):
    post = make_post(prompt, cleo, "Words I might regret.")
    client = client_for(cleo)
    thread = client.get(prompt.get_absolute_url()).content.decode()
    url = reverse("discussions:post-delete", args=[prompt.course.slug, post.pk])
    assert f'<a href="{url}">Delete<span class="visually-hidden">' in thread
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "<h1>Delete your post?</h1>" in html and "you cannot bring it back" in html
    assert "Words I might regret." in html
    assert Post.objects.get(pk=post.pk).deleted_at is None
    assert client.post(url).status_code == 302
    assert Post.objects.get(pk=post.pk).deleted_at is not None


def test_unassigning_a_reading_asks_first(client_for, ada, course, thaw):
    client = client_for(ada)
    url = reverse("readings:unassign", args=[course.slug, thaw.slug])
    assert f'href="{url}">Unassign' in client.get(course.get_absolute_url()).content.decode()
    html = client.get(url).content.decode()
    assert "<h1>Unassign “<bdi>The Thaw</bdi>”?</h1>" in html
    assert Assignment.objects.filter(course=course, reading=thaw).exists()
    client.post(url)
    assert not Assignment.objects.filter(course=course, reading=thaw).exists()


def test_removing_a_member_says_how_to_undo_it(client_for, ada, cleo, course):
    client = client_for(ada)
    membership = cleo.memberships.get(course=course)
    response = client.post(
        reverse("course-member-remove", args=[course.slug, membership.pk]), follow=True
    )
    html = response.content.decode()
    assert "Restore beside their name brings them back." in html
    restore = reverse("course-member-restore", args=[course.slug, membership.pk])
    assert f'action="{restore}"' in html


def test_hiding_from_the_review_queue_asks_a_reason_and_comes_back(
    client_for, ben, cleo, dora, course, prompt
):
    from discussions.moderation.services import flag_post

    post = make_post(prompt, cleo, "Not kind.")
    flag_post(post=post, by=dora, reason="other")
    client = client_for(ben)
    queue = reverse("discussions:review-queue", args=[course.slug])
    html = client.get(queue).content.decode()
    moderate = reverse("discussions:post-moderate", args=[course.slug, post.pk])
    assert f'href="{moderate}?next={queue}#hide">Hide' in html
    page = client.get(f"{moderate}?next={queue}").content.decode()
    assert '<label for="hide-reason">' in page and f'name="next" value="{queue}"' in page
    done = client.post(moderate, {"action": "hide", "reason": "Unkind.", "next": queue})
    assert done["Location"] == queue
    assert Post.objects.get(pk=post.pk).hidden_reason == "Unkind."

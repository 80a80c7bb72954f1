"""Moderation cannot be walked around: pre-moderation holds edits as well as new posts, and a
lock freezes students' text.

Inputs tried: an approved post edited into a listed word, into anything under course-wide and
prompt-wide holding, into a shorter text that would lose the reveal, back to its approved
text; a post still held and edited again; edits, deletions, new posts and replies in a locked
discussion and in a locked thread, as the author (student) and as teachers."""

import pytest
from django.urls import reverse

from discussions.models import AuditAction, AuditEntry, Post, PostRevision
from discussions.moderation import services as moderation
from tests.factories import PromptFactory, make_post

pytestmark = pytest.mark.django_db

TEN_WORDS = "one two three four five six seven eight nine ten"


def _url(name, post):
    return reverse(f"discussions:{name}", args=[post.prompt.course.slug, post.pk])


def _thread(client, prompt):
    return client.get(prompt.get_absolute_url()).content.decode()


def _edit(client, post, body):
    return client.post(_url("post-edit", post), {"body": body})


@pytest.fixture
def approved(prompt, cleo):
    """Cleo's published response, and the course then starts holding posts."""
    post = make_post(prompt, cleo, "My approved argument.")
    prompt.course.hold_posts = True
    prompt.course.save()
    return post


def test_an_edit_under_pre_moderation_waits_and_the_approved_text_stays(
    client_for, ada, cleo, dora, approved
):
    response = _edit(client_for(cleo), approved, "Something else entirely.")
    assert response.status_code == 302
    approved.refresh_from_db()
    assert approved.body == "My approved argument." and approved.pending_at is not None
    page = _thread(client_for(dora), approved.prompt)
    assert "My approved argument." in page and "Something else entirely." not in page
    assert "An edit awaits review" not in page  # no sign of it reaches classmates
    assert "An edit awaits review" in _thread(client_for(cleo), approved.prompt)
    assert "An edit awaits review" in _thread(client_for(ada), approved.prompt)
    # The author goes on from her waiting edit, and is told it waits.
    edit_page = client_for(cleo).get(_url("post-edit", approved)).content.decode()
    assert "Something else entirely.</textarea>" in edit_page and "awaits review" in edit_page
    queue_url = reverse("discussions:review-queue", args=[approved.prompt.course.slug])
    queue = client_for(ada).get(queue_url).content.decode()
    assert "Posts to review (1)" in queue and "Something else entirely." in queue

    moderation.approve_post(post=approved, by=ada)
    page = _thread(client_for(dora), approved.prompt)
    assert "Something else entirely." in page and "My approved argument." not in page
    assert list(PostRevision.objects.values_list("body", flat=True)) == ["My approved argument."]
    entry = AuditEntry.objects.get(action=AuditAction.APPROVE)
    assert (entry.before, entry.after) == ("My approved argument.", "Something else entirely.")


def test_a_prompt_that_holds_posts_holds_edits_too(client_for, cleo, dora, course):
    prompt = PromptFactory(course=course, hold_posts=False)
    post = make_post(prompt, cleo, "Published before holding.")
    prompt.hold_posts = True
    prompt.save()
    _edit(client_for(cleo), post, "Edited while holding.")
    page = _thread(client_for(dora), prompt)
    assert "Published before holding." in page and "Edited while holding." not in page


def test_a_declined_edit_leaves_the_approved_text(client_for, ada, cleo, dora, approved):
    _edit(client_for(cleo), approved, "A rant.")
    response = client_for(ada).post(
        _url("post-moderate", approved), {"action": "decline", "reason": "Keep it civil."}
    )
    assert response.status_code == 302
    approved.refresh_from_db()
    assert approved.pending_at is None and approved.body == "My approved argument."
    assert "My approved argument." in _thread(client_for(dora), approved.prompt)
    entry = AuditEntry.objects.get(action=AuditAction.DECLINE)
    assert entry.after == "A rant." and entry.reason == "Keep it civil."


def test_declining_or_approving_with_nothing_waiting_is_refused(client_for, ada, prompt, cleo):
    post = make_post(prompt, cleo, "Nothing waits.")
    for action in ("decline", "approve"):
        response = client_for(ada).post(_url("post-moderate", post), {"action": action})
        assert response.status_code == 400
    assert not AuditEntry.objects.exists()


def test_an_edit_waiting_for_review_keeps_the_reveal_it_replaces(client_for, ada, cleo, course):
    prompt = PromptFactory(course=course, reveal_mode="after_post", min_words=10)
    mine = make_post(prompt, cleo, TEN_WORDS)
    prompt.hold_posts = True
    prompt.save()
    _edit(client_for(cleo), mine, "Short now.")
    assert prompt.participations.get(user=cleo).unlocked_at is not None
    moderation.approve_post(post=mine, by=ada)
    assert prompt.participations.get(user=cleo).unlocked_at is None


def test_editing_back_to_the_approved_text_withdraws_the_waiting_edit(client_for, cleo, approved):
    client = client_for(cleo)
    _edit(client, approved, "Second thoughts.")
    _edit(client, approved, "My approved argument.")
    approved.refresh_from_db()
    assert approved.pending_at is None and approved.pending_body == ""


def test_a_post_still_held_takes_the_edit_and_keeps_waiting(client_for, cleo, dora, approved):
    held = make_post(approved.prompt, cleo, "Waiting for approval.", parent=approved)
    assert held.held_at is not None
    _edit(client_for(cleo), held, "Still waiting, reworded.")
    held.refresh_from_db()
    assert held.body == "Still waiting, reworded." and held.held_at is not None
    assert held.pending_at is None
    assert "Still waiting" not in _thread(client_for(dora), approved.prompt)


def test_teachers_edits_never_wait(client_for, ben, approved):
    mine = make_post(approved.prompt, ben, "A TA's note.")
    _edit(client_for(ben), mine, "A TA's note, corrected.")
    mine.refresh_from_db()
    assert mine.body == "A TA's note, corrected." and mine.pending_at is None


# Locks


@pytest.fixture
def thread(prompt, cleo, dora):
    """Dora's response with Cleo's reply under it, and Cleo's own response elsewhere."""
    response = make_post(prompt, dora, "Dora opens a thread.")
    reply = make_post(prompt, cleo, "Cleo replies in it.", parent=response)
    own = make_post(prompt, cleo, "Cleo's own response.")
    return {"response": response, "reply": reply, "own": own}


def test_a_locked_discussion_takes_no_student_edits_deletes_posts_or_replies(
    client_for, ada, cleo, prompt, thread
):
    moderation.set_prompt_locked(prompt=prompt, by=ada, locked=True)
    client = client_for(cleo)
    own = thread["own"]
    assert client.get(_url("post-edit", own)).status_code == 403
    assert _edit(client, own, "Changed after the lock.").status_code == 403
    assert client.post(_url("post-delete", own)).status_code == 403
    create = reverse("discussions:post-create", args=[prompt.course.slug, prompt.pk])
    assert client.post(create, {"body": "New after the lock."}).status_code == 403
    reply = {"body": "Reply after the lock.", "parent": thread["response"].pk}
    assert client.post(create, reply).status_code == 403
    own.refresh_from_db()
    assert own.body == "Cleo's own response." and own.deleted_at is None
    assert Post.objects.filter(author=cleo).count() == 2
    page = _thread(client, prompt)
    assert "own response." in page and _url("post-edit", own) not in page


def test_a_locked_thread_freezes_its_posts_but_not_the_others(
    client_for, ada, cleo, prompt, thread
):
    moderation.set_thread_locked(post=thread["response"], by=ada, locked=True)
    client = client_for(cleo)
    reply = thread["reply"]
    assert _edit(client, reply, "Changed after the lock.").status_code == 403
    assert client.post(_url("post-delete", reply)).status_code == 403
    assert _edit(client, thread["own"], "Cleo's response, revised.").status_code == 302
    page = _thread(client, prompt)
    assert _url("post-edit", reply) not in page and _url("post-edit", thread["own"]) in page
    reply.refresh_from_db()
    assert reply.body == "Cleo replies in it."


def test_teachers_still_edit_in_a_locked_discussion(client_for, ada, ben, prompt, thread):
    moderation.set_prompt_locked(prompt=prompt, by=ada, locked=True)
    assert _edit(client_for(ben), thread["reply"], "Edited by the TA.").status_code == 302
    thread["reply"].refresh_from_db()
    assert thread["reply"].body == "Edited by the TA."

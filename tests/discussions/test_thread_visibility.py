"""The thread page decides who reads which post in Python (``PromptReader`` in
``discussions.thread.posts``), everything else in SQL (``readable_by``). On every kind of
post, viewer and reveal situation the two agree."""

from datetime import timedelta

import pytest
from django.utils import timezone

from discussions.models import Participation, Post, RevealMode, Visibility
from tests.factories import MembershipFactory, PromptFactory, UserFactory, make_post

pytestmark = pytest.mark.django_db

TEN_WORDS = "one two three four five six seven eight nine ten"
HOUR = timedelta(hours=1)

# name: (reveal mode, due in, what Cleo has done)
SITUATIONS = {
    "open": (RevealMode.OPEN, None, None),
    "after due, passed": (RevealMode.AFTER_DUE, -HOUR, None),
    "after due, to come": (RevealMode.AFTER_DUE, HOUR, None),
    "after due, passed, Cleo extended": (RevealMode.AFTER_DUE, -HOUR, "extended"),
    "after due, no due date": (RevealMode.AFTER_DUE, None, None),
    "after post, Cleo responded": (RevealMode.AFTER_POST, None, "responded"),
    "after post, Cleo only replied": (RevealMode.AFTER_POST, None, None),
}


def _discussion(course, ada, ben, cleo, dora, mode, due_in, cleo_has):
    now = timezone.now()
    prompt = PromptFactory(
        course=course,
        reveal_mode=mode,
        min_words=10,
        due_at=now + due_in if due_in else None,
    )
    framing = make_post(prompt, ada, "The instructor frames the question.")
    dora_response = make_post(prompt, dora, "Dora answers the question at length here.")
    if cleo_has == "responded":
        cleo_response = make_post(prompt, cleo, TEN_WORDS)
    else:
        cleo_response = make_post(prompt, cleo, "Cleo replies first.", parent=framing)
    make_post(prompt, ada, "Ada answers Cleo.", parent=cleo_response)
    make_post(prompt, ada, "Ada answers Dora.", parent=dora_response)
    make_post(prompt, ben, "Ben's own framing aside.")
    to_cleo = make_post(prompt, dora, "Dora replies to Cleo.", parent=cleo_response)
    make_post(prompt, ben, "Ben answers Dora's reply to Cleo.", parent=to_cleo)
    marked = {}
    for author in (cleo, dora):
        for mark in ("hidden_at", "held_at", "deleted_at"):
            post = make_post(prompt, author, f"{author.display_name}'s post, {mark}.")
            marked[post.pk] = {mark: now}
    held_teacher = make_post(prompt, ada, "A teacher's post under review.")
    marked[held_teacher.pk] = {"held_at": now}
    # Notes in a margin are posts with a visibility: each person's private note, a note for
    # Cleo and the teachers with its replies, and a student's reply in it.
    for author in (ada, cleo, dora):
        note = make_post(prompt, author, f"{author.display_name}'s note for no one else.")
        marked[note.pk] = {"visibility": Visibility.PRIVATE}
    for_teachers = make_post(prompt, cleo, "Cleo asks the teachers alone.")
    teacher_answer = make_post(prompt, ada, "Ada answers Cleo alone.", parent=for_teachers)
    cleo_again = make_post(prompt, cleo, "Cleo thanks Ada.", parent=teacher_answer)
    for pk in (for_teachers.pk, teacher_answer.pk, cleo_again.pk):
        marked[pk] = {"visibility": Visibility.TEACHERS}
    for pk, fields in marked.items():
        Post.objects.filter(pk=pk).update(**fields)
    if cleo_has == "extended":
        Participation.objects.filter(prompt=prompt, user=cleo).update(extended_due_at=now + HOUR)
    return prompt


@pytest.mark.parametrize("situation", SITUATIONS)
def test_the_thread_shows_exactly_the_posts_each_person_may_read(
    situation, client_for, course, ada, ben, cleo, dora, sam
):
    prompt = _discussion(course, ada, ben, cleo, dora, *SITUATIONS[situation])
    staff_student = MembershipFactory(
        course=course, role="student", user=UserFactory(is_staff=True)
    ).user
    for viewer in (ada, ben, cleo, dora, sam, staff_student):
        response = client_for(viewer).get(prompt.get_absolute_url())
        assert response.status_code == 200
        shown = {post.pk for post in response.context["items"] if post.readable}
        readable = set(
            Post.objects.visible_to(viewer).filter(prompt=prompt).values_list("pk", flat=True)
        )
        assert shown == readable, (situation, viewer.display_name)
        # Each situation hides something from a student, or the comparison proves little.
        if viewer in (cleo, dora):
            assert len(readable) < prompt.posts.count()

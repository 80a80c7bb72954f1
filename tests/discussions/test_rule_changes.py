"""Rules changed mid-discussion apply to new posts: raising the minimum never re-locks a
student whose response already unlocked the thread, and the instructor is told who a change
would affect before it is saved."""

import pytest
from django.urls import reverse

from discussions.models import Prompt, RevealMode
from tests.factories import PromptFactory, make_post

pytestmark = pytest.mark.django_db

WORDS_28 = " ".join(f"word{n}" for n in range(28))


@pytest.fixture
def thread(course, cleo, dora):
    prompt = PromptFactory(
        course=course,
        reveal_mode=RevealMode.AFTER_POST,
        min_words=20,
        required_responses=1,
        required_replies=0,
    )
    make_post(prompt, dora, "Dora's secret argument about the Thaw and its limits.")
    make_post(prompt, cleo, WORDS_28)  # meets the minimum of 20
    return prompt


def _edit(client, prompt, **changes):
    data = {
        "title": prompt.title,
        "body": prompt.body,
        "points_possible": "0",
        "reveal_mode": prompt.reveal_mode,
        "min_words": str(prompt.min_words),
        "required_responses": str(prompt.required_responses),
        "required_replies": str(prompt.required_replies),
        "is_published": "on",
        **changes,
    }
    url = reverse("discussions:prompt-edit", args=[prompt.course.slug, prompt.pk])
    return client.post(url, data)


def test_the_instructor_is_told_who_a_new_minimum_would_affect_before_saving(
    client_for, ada, cleo, thread
):
    # Dora's 9-word response did not meet 20 and does not meet 50: her standing is unchanged.
    response = _edit(client_for(ada), thread, required_responses="2")
    page = response.content.decode()
    assert response.status_code == 200
    assert "would change the standing of 1 student" in page
    assert "<bdi>Cleo</bdi>: no longer meets the requirements" in page
    assert 'name="confirm_rules"' in page
    assert Prompt.objects.get(pk=thread.pk).required_responses == 1  # nothing saved yet
    assert thread.participations.get(user=cleo).met_at is not None  # nor recomputed
    confirmed = _edit(client_for(ada), thread, required_responses="2", confirm_rules="1")
    assert confirmed.status_code == 302
    assert Prompt.objects.get(pk=thread.pk).required_responses == 2
    assert thread.participations.get(user=cleo).met_at is None


def test_raising_the_minimum_does_not_relock_a_student_who_unlocked(
    client_for, ada, cleo, dora, thread
):
    response = _edit(client_for(ada), thread, min_words="50")
    # Nobody's standing changes, so it saves straight away.
    assert response.status_code == 302
    assert Prompt.objects.get(pk=thread.pk).min_words == 50
    standing = thread.participations.get(user=cleo)
    assert standing.unlocked_at is not None and standing.met_at is not None
    page = client_for(cleo).get(thread.get_absolute_url()).content.decode()
    assert "secret argument" in page


def test_new_posts_follow_the_new_minimum(client_for, ada, cleo, dora, course, thread):
    _edit(client_for(ada), thread, min_words="50")
    thread.refresh_from_db()
    make_post(thread, dora, " ".join(["fresh"] * 30))  # 30 words: under the new 50
    standing = thread.participations.get(user=dora)
    assert (standing.qualifying_responses, standing.unlocked_at) == (0, None)
    page = client_for(dora).get(thread.get_absolute_url()).content.decode()
    assert "fresh fresh" in page and "word0" not in page  # Cleo's response stays withheld

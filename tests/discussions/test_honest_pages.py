"""Pages say only what is true: who is editing whose post, what saving did, why a post is
not shown, and what is new on a first visit."""

import re

import pytest
from django.urls import reverse

from tests.factories import make_post

pytestmark = pytest.mark.django_db

TEN_WORDS = "one two three four five six seven eight nine ten"


def _title(html):
    return re.search(r"<title>(.*?)</title>", html, re.S)[1]


def test_staff_editing_a_students_post_see_whose_post_it_is(client_for, ada, cleo, prompt):
    post = make_post(prompt, cleo, "Cleo's argument.")
    url = reverse("discussions:post-edit", args=[prompt.course.slug, post.pk])
    html = client_for(ada).get(url).content.decode()
    assert _title(html).startswith("Edit Cleo's post · ")
    assert "<h1>Edit <bdi>Cleo</bdi>'s post</h1>" in html and "Edit your post" not in html
    assert 'class="button button--primary">Save changes</button>' in html


def test_the_author_editing_their_post_sees_their_own(client_for, cleo, prompt):
    post = make_post(prompt, cleo, "Cleo's argument.")
    url = reverse("discussions:post-edit", args=[prompt.course.slug, post.pk])
    html = client_for(cleo).get(url).content.decode()
    assert _title(html).startswith("Edit your post · ") and "<h1>Edit your post</h1>" in html


def test_moderate_and_flag_pages_have_titles_naming_the_post(client_for, ada, dora, cleo, prompt):
    post = make_post(prompt, cleo, "Cleo's argument.")
    moderate = client_for(ada).get(
        reverse("discussions:post-moderate", args=[prompt.course.slug, post.pk])
    )
    flag = client_for(dora).get(
        reverse("discussions:post-flag", args=[prompt.course.slug, post.pk])
    )
    assert _title(moderate.content.decode()).startswith("Moderate Cleo's post · ")
    assert _title(flag.content.decode()).startswith("Flag Cleo's post · ")


@pytest.mark.parametrize(
    ("was_published", "publish", "message"),
    [
        (False, True, "was published"),
        (True, True, "was saved: students see the changes"),
        (True, False, "was taken back to draft"),
        (False, False, "was saved as a draft"),
    ],
)
def test_saving_a_prompt_says_what_saving_did(
    client_for, ada, prompt, was_published, publish, message
):
    prompt.is_published = was_published
    prompt.save()
    form = {
        "title": prompt.title,
        "body": "Argue it.",
        "reveal_mode": prompt.reveal_mode,
        "points_possible": "0",
        "min_words": "0",
        "required_responses": "1",
        "required_replies": "0",
    } | ({"is_published": "on"} if publish else {})
    url = reverse("discussions:prompt-edit", args=[prompt.course.slug, prompt.pk])
    response = client_for(ada).post(url, form, follow=True)
    assert response.status_code == 200
    assert f"“{prompt.title}” {message}" in response.content.decode()


def test_a_new_student_is_told_posts_exist_and_are_withheld(client_for, cleo, dora, guarded):
    make_post(guarded, dora, TEN_WORDS)
    make_post(guarded, dora, "And a second thought, as long as the first one was.")
    html = client_for(cleo).get(guarded.get_absolute_url()).content.decode()
    assert "appear once you have posted your own response" in html
    assert "No responses yet." not in html
    assert "2 posts so far, not shown to you yet." in html


def test_an_empty_discussion_still_says_no_responses_yet(client_for, cleo, guarded):
    html = client_for(cleo).get(guarded.get_absolute_url()).content.decode()
    assert '<h2 id="thread-title">Responses</h2>' in html and "No responses yet." in html


def test_a_permalink_to_a_withheld_post_says_why(client_for, cleo, dora, guarded):
    post = make_post(guarded, dora, TEN_WORDS)
    response = client_for(cleo).get(
        reverse("discussions:post", args=[guarded.course.slug, post.pk])
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert "<h1>You can't see this post yet</h1>" in html
    assert "appear once you have posted your own response of at least 10 words" in html
    assert f'href="{guarded.get_absolute_url()}#respond"' in html


def test_a_permalink_to_a_post_the_student_may_never_read_stays_a_404(
    client_for, ada, cleo, dora, guarded
):
    from discussions.moderation.services import hide_post

    post = make_post(guarded, dora, TEN_WORDS)
    hide_post(post=post, by=ada, reason="Off topic")
    response = client_for(cleo).get(
        reverse("discussions:post", args=[guarded.course.slug, post.pk])
    )
    assert response.status_code == 404
    assert "You can't see this post yet" not in response.content.decode()


def test_once_revealed_the_permalink_leads_to_the_post(client_for, cleo, dora, guarded):
    post = make_post(guarded, dora, TEN_WORDS)
    make_post(guarded, cleo, TEN_WORDS)
    response = client_for(cleo).get(
        reverse("discussions:post", args=[guarded.course.slug, post.pk])
    )
    assert response.status_code == 302 and response["Location"].endswith(f"#post-{post.pk}")


def test_a_first_visit_marks_as_new_what_the_course_page_counts(
    client_for, cleo, dora, ben, prompt
):
    for author, text in ((dora, "First."), (ben, "Second."), (dora, "Third.")):
        make_post(prompt, author, text)
    client = client_for(cleo)
    course_page = client.get(prompt.course.get_absolute_url()).content.decode()
    assert re.search(r"\b3 new\b", course_page)
    thread = client.get(prompt.get_absolute_url()).content.decode()
    assert thread.count('<strong class="new">new</strong>') == 3
    assert "Jump to first new post" in thread
    # Seen now: neither page calls them new any more.
    assert "Jump to first new post" not in client.get(prompt.get_absolute_url()).content.decode()
    assert not re.search(
        r"\b3 new\b", client.get(prompt.course.get_absolute_url()).content.decode()
    )

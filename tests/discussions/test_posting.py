from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from discussions.models import Post, PostRevision, RevealMode
from discussions.post_services import delete_post
from tests.factories import PromptFactory, make_post
from tests.html_safety import unsafe_parts
from tests.pages import page_text

pytestmark = pytest.mark.django_db


def _post(client, prompt, body, parent=None, action="post"):
    data = {"body": body, "action": action}
    if parent is not None:
        data["parent"] = parent.pk if hasattr(parent, "pk") else parent
    return client.post(
        reverse("discussions:post-create", args=[prompt.course.slug, prompt.pk]), data
    )


def test_student_responds_and_a_classmate_replies(client_for, cleo, dora, prompt):
    response = _post(client_for(cleo), prompt, "Khrushchev *meant* it.")
    first = Post.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#post-{first.pk}")
    assert (first.depth, first.path, first.parent) == (0, f"{first.pk:010d}", None)
    assert first.body_html == "<p>Khrushchev <em>meant</em> it.</p>\n"
    _post(client_for(dora), prompt, "He did not.", parent=first)
    reply = Post.objects.exclude(pk=first.pk).get()
    assert (reply.depth, reply.root, reply.path) == (1, first, first.path + f"{reply.pk:010d}")


def test_thread_shows_replies_under_their_parent_oldest_first(client_for, cleo, dora, ben, prompt):
    a = make_post(prompt, cleo, "Alpha response.")
    make_post(prompt, dora, "Beta response.")
    make_post(prompt, ben, "Gamma reply to alpha.", parent=a)
    page = client_for(cleo).get(prompt.get_absolute_url()).content.decode()
    assert page.index("Alpha") < page.index("Gamma") < page.index("Beta")
    assert 'class="post-item indent-1"' in page
    assert 'badge--role">TA<' in page


def test_site_staff_posts_carry_a_staff_badge_not_an_instructors(
    client_for, ada, sam, cleo, prompt
):
    _post(client_for(sam), prompt, "A note from the site's staff.")
    _post(client_for(ada), prompt, "The instructor's framing.")
    assert dict(Post.objects.values_list("author", "author_role")) == {
        sam.pk: "staff",
        ada.pk: "instructor",
    }
    page = client_for(cleo).get(prompt.get_absolute_url()).content.decode()
    # Like a teacher's framing post, a staff post is shown before the student has written.
    assert '<bdi>Sam</bdi> <span class="badge badge--role">Staff</span>' in page
    assert '<bdi>Ada</bdi> <span class="badge badge--role">Instructor</span>' in page


def test_staff_posts_written_before_the_staff_badge_are_marked_staff(ada, sam, prompt):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("discussions.migrations.0009_post_staff_author_role")
    from discussions.post_services import post_reply

    by_sam = post_reply(prompt=prompt, author=sam, role="staff", body="Written by staff.")
    by_ada = make_post(prompt, ada, "Written by the instructor.")
    Post.objects.update(author_role="instructor")  # as they were stored until now
    migration.mark_staff_posts(apps, None)
    assert Post.objects.get(pk=by_sam.pk).author_role == "staff"
    assert Post.objects.get(pk=by_ada.pk).author_role == "instructor"


def test_deep_replies_stop_indenting_and_say_whom_they_answer(client_for, cleo, dora, prompt):
    parent = make_post(prompt, cleo, "Level 0.")
    for depth in range(1, 7):
        parent = make_post(prompt, dora if depth % 2 else cleo, f"Level {depth}.", parent=parent)
    page = client_for(cleo).get(prompt.get_absolute_url()).content.decode()
    assert "indent-5" not in page
    assert page.count('class="post-item indent-4"') == 3
    assert "replying to <bdi>Cleo</bdi>" in page


def test_a_reply_to_a_deleted_post_names_no_one(client_for, ada, cleo, dora, course):
    prompt = PromptFactory(course=course)
    parent = make_post(prompt, cleo, "Level 0.")
    for depth in range(1, 5):
        parent = make_post(prompt, cleo if depth % 2 else dora, f"Level {depth}.", parent=parent)
    make_post(prompt, cleo, "Level 5.", parent=parent)  # answers Dora's "Level 4."
    named = page_text(client_for(cleo).get(prompt.get_absolute_url())).count(
        "replying to <bdi>Dora</bdi>"
    )
    delete_post(post=parent, by=ada)
    page = page_text(client_for(cleo).get(prompt.get_absolute_url()))
    assert "Level 5." in page and "replying to a post not shown" in page
    assert page.count("replying to <bdi>Dora</bdi>") == named - 1


def test_preview_shows_the_rendering_and_saves_nothing(client_for, cleo, prompt):
    response = _post(client_for(cleo), prompt, "**Bold** claim.", action="preview")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<strong>Bold</strong> claim." in page and "Not posted yet." in page
    assert "**Bold** claim." in page  # still in the form
    assert not Post.objects.exists()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Write something before posting."),
        ("   \n ", "Write something before posting."),
        ("x" * 20_001, "Posts can be at most 20000 characters"),
        ("nul\x00byte", "Null characters are not allowed."),
    ],
)
def test_bad_posts_are_refused_and_the_text_kept(client_for, cleo, prompt, body, message):
    response = _post(client_for(cleo), prompt, body)
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    if len(body) > 20_000:
        assert body in page
    assert not Post.objects.exists()


def test_a_double_submit_posts_once(client_for, cleo, prompt):
    client = client_for(cleo)
    _post(client, prompt, "The Thaw began in 1953.")
    second = _post(client, prompt, "The Thaw began in 1953.")
    assert second.status_code == 400
    assert "already in the discussion" in second.content.decode()
    assert Post.objects.count() == 1


def test_same_text_is_fine_a_minute_later(cleo, prompt):
    make_post(prompt, cleo, "Again.", now=timezone.now() - timedelta(minutes=2))
    make_post(prompt, cleo, "Again.")
    assert Post.objects.count() == 2


def test_the_same_words_to_two_classmates_are_not_duplicates(cleo, dora, ada, prompt):
    a, b = make_post(prompt, dora, "Dora."), make_post(prompt, ada, "Ada.")
    make_post(prompt, cleo, "I agree.", parent=a)
    make_post(prompt, cleo, "I agree.", parent=b)
    assert Post.objects.filter(author=cleo).count() == 2


def test_replies_to_other_prompts_or_unknown_posts_are_refused(
    client_for, cleo, dora, course, prompt
):
    elsewhere = make_post(PromptFactory(course=course), dora, "Elsewhere.")
    client = client_for(cleo)
    assert _post(client, prompt, "Hi", parent=elsewhere).status_code == 404
    assert _post(client, prompt, "Hi", parent="abc").status_code == 404
    assert _post(client, prompt, "Hi", parent=999999).status_code == 404
    assert Post.objects.filter(author=cleo).count() == 0


def test_replying_to_a_deleted_post_is_refused(client_for, ada, cleo, dora, prompt):
    target = make_post(prompt, dora, "Soon gone.")
    client_for(dora).post(reverse("discussions:post-delete", args=[prompt.course.slug, target.pk]))
    # The instructor still sees it, and still cannot reply to it.
    response = _post(client_for(ada), prompt, "Reply", parent=target)
    assert response.status_code == 400
    assert "was deleted" in response.content.decode()


def test_no_posting_after_the_cut_off_unless_extended(client_for, ada, cleo, prompt):
    prompt.cutoff_at = timezone.now() - timedelta(hours=1)
    prompt.save()
    response = _post(client_for(cleo), prompt, "Too late?")
    assert response.status_code == 403
    assert "closed" in response.content.decode()
    client_for(ada).post(
        reverse("discussions:extensions", args=[prompt.course.slug, prompt.pk]),
        {
            "student": cleo.pk,
            "cutoff_at": (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert _post(client_for(cleo), prompt, "Extended.").status_code == 302


def test_no_posting_before_the_prompt_opens(client_for, cleo, prompt):
    prompt.opens_at = timezone.now() + timedelta(days=1)
    prompt.save()
    assert _post(client_for(cleo), prompt, "Early").status_code == 403


def test_posts_after_the_due_date_are_marked_late(client_for, cleo, prompt):
    prompt.due_at = timezone.now() - timedelta(minutes=5)
    prompt.save()
    _post(client_for(cleo), prompt, "Late but here.")
    assert Post.objects.get().is_late
    assert (
        '<span class="late">late</span>'
        in client_for(cleo).get(prompt.get_absolute_url()).content.decode()
    )


def test_archived_course_is_read_only(client_for, cleo, course, prompt):
    post = make_post(prompt, cleo, "Mine.")
    course.is_archived = True
    course.save()
    client = client_for(cleo)
    assert _post(client, prompt, "Hello").status_code == 403
    edit = reverse("discussions:post-edit", args=[course.slug, post.pk])
    assert client.post(edit, {"body": "Changed"}).status_code == 403
    delete = reverse("discussions:post-delete", args=[course.slug, post.pk])
    assert client.post(delete).status_code == 403
    post.refresh_from_db()
    assert post.body == "Mine." and not post.is_deleted


@pytest.mark.parametrize(
    "body",
    [
        "<script>alert(1)</script>",
        "[click](javascript:alert(1))",
        "<img src=x onerror=alert(1)>",
        '<a href="#" onclick="alert(1)">x</a>',
        "![pixel](https://tracker.example/p.gif) A tracking pixel.",
        '<div style="position:fixed;top:0">cover</div>',
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "<svg onload=alert(1)>",
    ],
)
def test_rendered_posts_never_carry_script(client_for, cleo, prompt, body):
    _post(client_for(cleo), prompt, body)
    assert unsafe_parts(Post.objects.get().body_html) == []


def test_author_edits_and_the_previous_version_is_kept(client_for, ada, cleo, prompt):
    post = make_post(prompt, cleo, "First draft.")
    url = reverse("discussions:post-edit", args=[prompt.course.slug, post.pk])
    assert client_for(cleo).post(url, {"body": "Second draft."}).status_code == 302
    post.refresh_from_db()
    assert post.body == "Second draft." and post.edited_at is not None
    assert list(PostRevision.objects.values_list("body", flat=True)) == ["First draft."]
    assert "edited" in client_for(cleo).get(prompt.get_absolute_url()).content.decode()
    history = client_for(ada).get(
        reverse("discussions:post-history", args=[prompt.course.slug, post.pk])
    )
    assert "First draft." in history.content.decode()
    assert (
        client_for(cleo)
        .get(reverse("discussions:post-history", args=[prompt.course.slug, post.pk]))
        .status_code
        == 403
    )


def test_classmates_cannot_edit_someone_elses_post(client_for, dora, cleo, prompt):
    # (Moderators can, visibly: tests/discussions/test_moderation.py.)
    post = make_post(prompt, cleo, "Mine.")
    url = reverse("discussions:post-edit", args=[prompt.course.slug, post.pk])
    assert client_for(dora).post(url, {"body": "Hijacked."}).status_code == 403
    post.refresh_from_db()
    assert post.body == "Mine."


def test_edits_and_deletes_stop_at_the_cut_off(client_for, cleo, prompt):
    post = make_post(prompt, cleo, "Mine.")
    prompt.cutoff_at = timezone.now() - timedelta(minutes=1)
    prompt.save()
    url = reverse("discussions:post-edit", args=[prompt.course.slug, post.pk])
    assert client_for(cleo).post(url, {"body": "Changed."}).status_code == 403
    delete = reverse("discussions:post-delete", args=[prompt.course.slug, post.pk])
    assert client_for(cleo).post(delete).status_code == 403
    post.refresh_from_db()
    assert post.body == "Mine." and not post.is_deleted


def test_delete_keeps_the_threads_shape_and_teachers_can_restore(
    client_for, ada, cleo, dora, prompt
):
    post = make_post(prompt, cleo, "Regrettable words.")
    client_for(cleo).post(reverse("discussions:post-delete", args=[prompt.course.slug, post.pk]))
    post.refresh_from_db()
    assert post.is_deleted
    assert "Regrettable" not in client_for(dora).get(prompt.get_absolute_url()).content.decode()
    teacher_page = client_for(ada).get(prompt.get_absolute_url()).content.decode()
    assert "Regrettable words." in teacher_page and "post--deleted" in teacher_page
    client_for(ada).post(reverse("discussions:post-restore", args=[prompt.course.slug, post.pk]))
    assert "Regrettable" in client_for(dora).get(prompt.get_absolute_url()).content.decode()


def test_deleted_posts_with_replies_leave_a_placeholder(client_for, ada, cleo, dora, prompt):
    post = make_post(prompt, cleo, "Parent words.")
    make_post(prompt, dora, "Child words.", parent=post)
    delete_post(post=post, by=ada)
    page = client_for(dora).get(prompt.get_absolute_url()).content.decode()
    assert "This post was deleted." in page and "Child words." in page
    assert "Parent words." not in page


def test_authors_cannot_delete_posts_that_have_replies(client_for, cleo, dora, prompt):
    post = make_post(prompt, cleo, "Parent.")
    make_post(prompt, dora, "Child.", parent=post)
    url = reverse("discussions:post-delete", args=[prompt.course.slug, post.pk])
    assert client_for(cleo).post(url).status_code == 403
    assert client_for(dora).post(url).status_code == 403
    post.refresh_from_db()
    assert not post.is_deleted


def test_a_reply_its_author_cannot_see_yet_still_stops_the_delete(
    client_for, cleo, dora, ben, course
):
    prompt = PromptFactory(course=course, reveal_mode=RevealMode.AFTER_POST, min_words=50)
    mine = make_post(prompt, cleo, "Short.")
    delete = reverse("discussions:post-delete", args=[course.slug, mine.pk])
    assert delete in page_text(client_for(cleo).get(prompt.get_absolute_url()))
    make_post(prompt, dora, "Dora's reply Cleo cannot see yet.", parent=mine)
    page = page_text(client_for(cleo).get(prompt.get_absolute_url()))
    assert "Short." in page and delete not in page


def test_students_cannot_restore(client_for, cleo, prompt):
    post = make_post(prompt, cleo, "Gone.")
    client_for(cleo).post(reverse("discussions:post-delete", args=[prompt.course.slug, post.pk]))
    url = reverse("discussions:post-restore", args=[prompt.course.slug, post.pk])
    assert client_for(cleo).post(url).status_code == 404  # a deleted post is gone for students


def test_permalink_leads_to_the_post_in_its_thread(client_for, cleo, dora, prompt):
    post = make_post(prompt, cleo, "Here.")
    response = client_for(dora).get(reverse("discussions:post", args=[prompt.course.slug, post.pk]))
    assert response["Location"] == f"{prompt.get_absolute_url()}#post-{post.pk}"


def test_other_courses_cannot_reach_posts_by_id(client_for, eve, cleo, prompt):
    post = make_post(prompt, cleo, "Private.")
    client = client_for(eve)
    for name in ("discussions:post", "discussions:post-edit", "discussions:post-history"):
        assert client.get(reverse(name, args=[prompt.course.slug, post.pk])).status_code == 404
    assert (
        client.post(
            reverse("discussions:post-delete", args=[prompt.course.slug, post.pk])
        ).status_code
        == 404
    )

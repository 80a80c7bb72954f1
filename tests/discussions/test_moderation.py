"""Moderation: hide, delete, edit, lock, pin, endorse; flags and the review queue; held
posts and the word list; the posting rate limit; the audit log. Moderated posts never reach
classmates by any path."""

from datetime import timedelta
from importlib import import_module

import pytest
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from discussions.models import AuditEntry, Flag, Participation, Post
from discussions.moderation.services import hide_post
from tests.factories import make_post
from tests.pages import count_queries, page_text

pytestmark = pytest.mark.django_db


def _url(name, post, **kwargs):
    return reverse(
        f"discussions:{name}", kwargs={"course": post.prompt.course.slug, "pk": post.pk, **kwargs}
    )


def _moderate(client, post, action, **data):
    return client.post(_url("post-moderate", post), {"action": action, **data})


def _thread(client, prompt):
    page = page_text(client.get(prompt.get_absolute_url()))
    assert prompt.title in page
    return page


@pytest.fixture
def rude(prompt, cleo, dora):
    """Dora's response, which Cleo answers."""
    post = make_post(prompt, dora, "A rude remark about classmates.")
    make_post(prompt, cleo, "That was uncalled for.", parent=post)
    return post


def test_hidden_post_shows_a_placeholder_to_classmates_and_the_reason_to_its_author(
    client_for, ben, cleo, dora, prompt, rude
):
    response = _moderate(client_for(ben), rude, "hide", reason="Personal attack")
    assert response.status_code == 302
    # Ben is the TA: the post says so, not "the instructor".
    assert Post.objects.get(pk=rude.pk).hidden_by_role == "ta"
    classmate = _thread(client_for(cleo), prompt)
    assert "A rude remark" not in classmate and "Hidden by a TA." in classmate
    assert "Hidden by the instructor" not in classmate
    author = _thread(client_for(dora), prompt)
    assert "A rude remark" in author and "Hidden by a TA: Personal attack" in author
    teacher = _thread(client_for(ben), prompt)
    assert "A rude remark" in teacher and "post--hidden" in teacher
    _moderate(client_for(ben), rude, "unhide")
    assert Post.objects.get(pk=rude.pk).hidden_by_role == ""
    assert "A rude remark" in _thread(client_for(cleo), prompt)


def test_the_thread_names_the_role_of_whoever_hid_the_post(
    client_for, ada, ben, cleo, sam, prompt, rude
):
    """Instructor, TA or site staff (a moderator who is no member of the course), and the
    role is the one they had when they hid it, whoever hid it before."""
    for by, role, said in [
        (ada, "instructor", "Hidden by the instructor."),
        (ben, "ta", "Hidden by a TA."),
        (sam, "staff", "Hidden by staff."),
    ]:
        assert _moderate(client_for(by), rude, "hide", reason="").status_code == 302
        assert Post.objects.get(pk=rude.pk).hidden_by_role == role
        page = _thread(client_for(cleo), prompt)
        assert said in page and page.count("Hidden by") == 1, role
        _moderate(client_for(by), rude, "unhide")


def test_moderators_delete_and_restore_within_30_days(client_for, ada, cleo, prompt, rude):
    client = client_for(ada)
    assert _moderate(client, rude, "delete", reason="Abuse").status_code == 302
    rude.refresh_from_db()
    assert rude.deleted_at is not None
    assert "A rude remark" not in _thread(client_for(cleo), prompt)
    client = client_for(ada)
    assert client.post(_url("post-restore", rude)).status_code == 302
    rude.refresh_from_db()
    assert rude.deleted_at is None
    _moderate(client, rude, "delete")
    Post.objects.filter(pk=rude.pk).update(deleted_at=timezone.now() - timedelta(days=31))
    response = client.post(_url("post-restore", rude))
    assert response.status_code == 403 and "within 30 days" in response.content.decode()


def test_moderator_edit_is_marked_and_keeps_the_authors_version(
    client_for, ben, dora, prompt, rude
):
    response = client_for(ben).post(_url("post-edit", rude), {"body": "[Removed by the TA.]"})
    assert response.status_code == 302
    page = _thread(client_for(dora), prompt)
    assert "[Removed by the TA.]" in page and "edited by the instructor" in page
    history = client_for(ben).get(_url("post-history", rude)).content.decode()
    assert "A rude remark about classmates." in history
    entry = AuditEntry.objects.get(action="edit")
    assert (entry.before, entry.after, entry.actor) == (
        "A rude remark about classmates.",
        "[Removed by the TA.]",
        ben,
    )


def test_locked_prompt_and_thread_take_no_new_student_posts(client_for, ada, cleo, prompt, rude):
    create = reverse("discussions:post-create", args=[prompt.course.slug, prompt.pk])
    client_for(ada).post(
        reverse("discussions:prompt-lock", args=[prompt.course.slug, prompt.pk]), {"locked": "1"}
    )
    response = client_for(cleo).post(create, {"body": "Late thoughts."})
    assert response.status_code == 403 and "locked" in response.content.decode()
    assert client_for(ada).post(create, {"body": "Closing remarks."}).status_code == 302
    client_for(ada).post(
        reverse("discussions:prompt-lock", args=[prompt.course.slug, prompt.pk]), {"locked": "0"}
    )
    # One thread locked: replies refused there, new responses still welcome.
    _moderate(client_for(ada), rude, "lock")
    page = _thread(client_for(cleo), prompt)
    reply = reverse("discussions:reply", args=[prompt.course.slug, prompt.pk, rude.pk])
    assert reply not in page
    refused = client_for(cleo).post(create, {"body": "Me too.", "parent": rude.pk})
    assert refused.status_code == 403 and "thread is locked" in refused.content.decode()
    assert client_for(cleo).post(create, {"body": "A new response."}).status_code == 302


def test_pinned_and_endorsed_posts_are_shown_as_such(client_for, ben, cleo, prompt, rude):
    framing = make_post(prompt, ben, "How to read the speech.")
    _moderate(client_for(ben), framing, "pin")
    _moderate(client_for(ben), framing, "endorse")
    page = _thread(client_for(cleo), prompt)
    assert 'id="pinned-title"' in page and f'href="#post-{framing.pk}"' in page
    assert "endorsed by the instructor" in page
    _moderate(client_for(ben), framing, "unpin")
    assert 'id="pinned-title"' not in _thread(client_for(cleo), prompt)


def test_flags_reach_the_review_queue_once_per_person_and_never_name_the_flagger(
    client_for, ben, cleo, dora, prompt, rude
):
    flag_url = _url("post-flag", rude)
    client = client_for(cleo)
    assert (
        client.post(flag_url, {"reason": "harassment", "details": "Aimed at me"}).status_code == 302
    )
    again = client.post(flag_url, {"reason": "spam"})
    assert again.status_code == 400 and "already flagged" in again.content.decode()
    assert Flag.objects.count() == 1
    own = client_for(dora).post(flag_url, {"reason": "spam"})
    assert own.status_code == 403
    authors_view = _thread(client_for(dora), prompt)
    assert (
        "Aimed at me" not in authors_view
        and "flag"
        not in authors_view.lower()
        .split('id="thread-title"')[1]
        .split(f'id="post-{rude.pk}"')[1]
        .split("</article>")[0]
    )
    queue_url = reverse("discussions:review-queue", args=[prompt.course.slug])
    queue = client_for(ben).get(queue_url).content.decode()
    assert "Harassment or a personal attack" in queue and "Aimed at me" in queue
    home = client_for(ben).get(reverse("course-detail", args=[prompt.course.slug])).content.decode()
    assert '<span class="count">1<span class="visually-hidden"> waiting' in home
    response = _moderate(client_for(ben), rude, "hide", reason="Flagged", next=queue_url)
    assert response["Location"] == queue_url
    assert Flag.objects.get().resolution == "hidden"
    assert "Nothing to review." in client_for(ben).get(queue_url).content.decode()


def test_keep_closes_flags_and_is_idempotent(client_for, ben, cleo, rude):
    client_for(cleo).post(_url("post-flag", rude), {"reason": "spam"})
    assert _moderate(client_for(ben), rude, "keep").status_code == 302
    assert _moderate(client_for(ben), rude, "keep").status_code == 302
    assert Flag.objects.get().resolution == "kept"
    assert AuditEntry.objects.filter(action="keep").count() == 1


def test_held_posts_wait_for_approval(
    client_for, ada, cleo, dora, prompt, django_capture_on_commit_callbacks
):
    parent = make_post(prompt, cleo, "My response.")
    prompt.course.hold_posts = True
    prompt.course.save()
    create = reverse("discussions:post-create", args=[prompt.course.slug, prompt.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(dora).post(
            create, {"body": "Held reply.", "parent": parent.pk}, follow=True
        )
    assert "awaits review" in response.content.decode()
    held = Post.objects.get(body="Held reply.")
    assert held.held_at is not None
    assert "Awaiting review" in _thread(client_for(dora), prompt)
    assert "Held reply." not in _thread(client_for(cleo), prompt)
    assert mail.outbox == []  # Cleo is not told about a reply she cannot see
    queue = client_for(ada).get(reverse("discussions:review-queue", args=[prompt.course.slug]))
    assert "Held reply." in queue.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert _moderate(client_for(ada), held, "approve").status_code == 302
    assert "Held reply." in _thread(client_for(cleo), prompt)
    assert [m.to for m in mail.outbox] == [["cleo@example.edu"]]


def test_a_prompt_can_hold_its_own_posts(client_for, cleo, prompt):
    prompt.hold_posts = True
    prompt.save()
    post = make_post(prompt, cleo, "Wait for me.")
    assert post.held_at is not None


@pytest.mark.parametrize(
    ("body", "held"),
    [
        ("The USTI committee met.", True),
        ("Ústí nad Labem", True),
        ("a Bad Phrase here", True),
        ("This class is fine.", False),
        ("Ustinov spoke.", False),
    ],
)
def test_word_list_holds_whole_words_ignoring_case_and_accents(
    client_for, ada, cleo, prompt, body, held
):
    client_for(ada).post(
        reverse("discussions:moderation-settings", args=[prompt.course.slug]),
        {"word_list": "ústí\nass\nbad   phrase"},
    )
    prompt.course.refresh_from_db()
    post = make_post(prompt, cleo, body)
    assert (post.held_at is not None) is held
    if held:
        assert post.held_reason.startswith("It contains a word")


def test_teachers_posts_are_never_held(ada, prompt):
    prompt.course.hold_posts = True
    prompt.course.word_list = "speech"
    prompt.course.save()
    assert make_post(prompt, ada, "About the speech.").held_at is None


# Day-long windows: a per-minute window could roll over in the middle of the test.
@override_settings(POST_RATE_PER_MINUTE="3/d")
def test_students_posting_too_fast_get_429_and_keep_their_text(client_for, ada, cleo, prompt):
    create = reverse("discussions:post-create", args=[prompt.course.slug, prompt.pk])
    client = client_for(cleo)
    for n in range(3):
        assert client.post(create, {"body": f"Post {n}."}).status_code == 302
    response = client.post(create, {"body": "One too many."})
    assert response.status_code == 429
    page = response.content.decode()
    assert "posting faster than the course allows" in page and "One too many." in page
    teacher = client_for(ada)
    for n in range(5):
        assert teacher.post(create, {"body": f"Teacher {n}."}).status_code == 302


@pytest.mark.parametrize("action", ["hide", "delete", "pin", "lock", "approve", "keep"])
def test_students_cannot_moderate(client_for, cleo, rude, action):
    assert _moderate(client_for(cleo), rude, action).status_code == 403
    assert not AuditEntry.objects.exists()


def test_moderating_another_courses_post_is_not_found(client_for, ada, other_course, eve):
    from tests.factories import PromptFactory

    theirs = make_post(PromptFactory(course=other_course), eve, "Elsewhere.")
    url = reverse("discussions:post-moderate", kwargs={"course": "hist-274", "pk": theirs.pk})
    assert client_for(ada).post(url, {"action": "hide"}).status_code == 404


def test_bad_moderation_input_gets_a_clear_message(client_for, ben, rude):
    client = client_for(ben)
    long = _moderate(client, rude, "hide", reason="x" * 501)
    assert long.status_code == 400 and "under 500 characters" in long.content.decode()
    unknown = _moderate(client, rude, "obliterate")
    assert unknown.status_code == 400
    _moderate(client, rude, "delete")
    on_deleted = _moderate(client, rude, "hide", reason="late")
    assert on_deleted.status_code == 400 and "Restore it first" in on_deleted.content.decode()
    rude.refresh_from_db()
    assert rude.hidden_at is None


def test_audit_log_lists_filters_and_exports_for_instructors_only(
    client_for, ada, ben, cleo, rude, prompt
):
    _moderate(client_for(ben), rude, "hide", reason="Because")
    _moderate(client_for(ada), rude, "pin")
    log_url = reverse("discussions:audit-log", args=[prompt.course.slug])
    page = client_for(ada).get(log_url).content.decode()
    assert "Hid a post" in page and "Because" in page and "Pinned a post" in page
    only_ben = client_for(ada).get(log_url, {"actor": ben.pk}).content.decode()
    assert "<td>Hid a post</td>" in only_ben and "<td>Pinned a post</td>" not in only_ben
    only_pins = client_for(ada).get(log_url, {"action": "pin"}).content.decode()
    assert "<td>Pinned a post</td>" in only_pins and "<td>Hid a post</td>" not in only_pins
    bad = client_for(ada).get(log_url, {"actor": "x\x00", "action": "nope"})
    assert bad.status_code == 200
    csv_response = client_for(ada).get(
        reverse("discussions:audit-log-csv", args=[prompt.course.slug])
    )
    text = b"".join(csv_response.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[0].startswith("when,who,action") and "Because" in text
    assert client_for(cleo).get(log_url).status_code == 403
    assert client_for(ben).get(log_url).status_code == 403


def test_grading_actions_are_in_the_audit_log(client_for, ada, cleo, prompt):
    prompt.points_possible = 10
    prompt.save()
    make_post(prompt, cleo, "Graded work.")
    grader = reverse("grading:grade-student", args=[prompt.course.slug, prompt.pk, cleo.pk])
    client_for(ada).post(grader, {"status": "graded", "score": "7", "feedback": "", "version": 0})
    client_for(ada).post(
        reverse("grading:release", args=[prompt.course.slug, prompt.pk]), {"scope": "everyone"}
    )
    entries = list(AuditEntry.objects.order_by("id").values_list("action", "student", "after"))
    assert entries[0] == ("grade", cleo.pk, "7")
    assert entries[1][0] == "release"


def _where_cleo_finds(post, *, client_for, cleo, prompt, thaw):
    """Each path by which Cleo might come across ``post``: True where she finds it. The unread
    count is read first, before the pages she opens count as a visit."""
    from discussions.prompt_selectors import prompts_for_course

    client, course = client_for(cleo), prompt.course.slug
    unread = prompts_for_course(course=prompt.course, user=cleo, teaching=False)[0].unread
    search = client.get(reverse("course-search", args=[course]), {"q": "Zyzzyva"})
    quotes = page_text(
        client.get(reverse("discussions:paragraph-quotes", args=[course, thaw.slug, 1]))
    )
    reading = page_text(client.get(reverse("reading-detail", args=[course, thaw.slug])))
    thread = _thread(client, prompt)
    # Every page loaded as itself, so what is missing is missing from the real page.
    assert "Discussions:" in page_text(search) and "Posts quoting ¶ 1" in quotes
    assert 'class="para-quote"' in reading and prompt.title in thread
    return {
        "unread": unread > 0,
        "search": len(search.context["post_hits"]) > 0,
        "quotes": "<bdi>Dora</bdi> in" in quotes,
        "reading": "quoted in 1 post" in reading,
        "thread": "Zyzzyva" in thread,
        "permalink": client.get(_url("post", post)).status_code == 302,
    }


@pytest.mark.parametrize("how", ["hide", "hold", "delete"])
def test_hidden_held_and_deleted_posts_reach_classmates_by_no_path(
    client_for, ben, cleo, dora, prompt, thaw, how
):
    from discussions.selectors import quote_markdown
    from readings.models import Paragraph

    paragraph = Paragraph.objects.get(reading=thaw, number=1)
    body = quote_markdown(course=prompt.course, paragraph=paragraph, text=paragraph.text)
    post = make_post(prompt, dora, body + "Zyzzyva.")
    paths = {"client_for": client_for, "cleo": cleo, "prompt": prompt, "thaw": thaw}
    found = _where_cleo_finds(post, **paths)
    assert found == dict.fromkeys(found, True)
    Participation.objects.filter(user=cleo).update(last_visited_at=None)
    if how == "hold":
        Post.objects.filter(pk=post.pk).update(held_at=timezone.now(), held_reason="test")
    else:
        _moderate(client_for(ben), post, how, reason="no")
    assert _where_cleo_finds(post, **paths) == dict.fromkeys(found, False)
    # Nor can she answer it, so its author's classmates are never mailed about it.
    reply = client_for(cleo).post(
        reverse("discussions:post-create", args=[prompt.course.slug, prompt.pk]),
        {"body": "A reply.", "parent": post.pk},
    )
    assert reply.status_code == 404
    # The author still has it (held and hidden: marked; deleted: gone for them too).
    assert ("Zyzzyva" in _thread(client_for(dora), prompt)) is (how != "delete")


def test_a_hidden_post_without_replies_leaves_a_placeholder(client_for, ben, cleo, dora, prompt):
    post = make_post(prompt, dora, "Alone and rude.")
    _moderate(client_for(ben), post, "hide", reason="rude")
    page = _thread(client_for(cleo), prompt)
    assert "Alone and rude." not in page and "Hidden by a TA." in page


@pytest.mark.parametrize(
    "body",
    ["for&#98;idden word", "for\u200bbidden word", "for\u00adbidden", "for**bid**den", "FORBIDDEN"],
)
def test_the_word_list_sees_words_as_readers_do(cleo, prompt, body):
    prompt.course.word_list = "forbidden"
    prompt.course.save()
    assert make_post(prompt, cleo, body).held_at is not None


def test_editing_a_listed_word_in_holds_the_edit_and_keeps_the_approved_text(
    client_for, cleo, dora, prompt
):
    prompt.course.word_list = "forbidden"
    prompt.course.save()
    post = make_post(prompt, cleo, "Clean text.")
    response = client_for(cleo).post(_url("post-edit", post), {"body": "Now forbidden text."})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.pending_at is not None and post.held_at is None
    page = _thread(client_for(dora), prompt)
    assert "Clean text." in page and "Now forbidden" not in page


def test_a_held_reply_gives_no_sign_to_the_post_it_answers(client_for, cleo, dora, prompt):
    parent = make_post(prompt, cleo, "My response.")
    reply = make_post(prompt, dora, "A reply.", parent=parent)
    Post.objects.filter(pk=reply.pk).update(held_at=timezone.now())
    client = client_for(cleo)
    assert _url("post-delete", parent) in _thread(client, prompt)
    assert client.post(_url("post-delete", parent)).status_code == 302


def test_hiding_a_held_post_takes_it_out_of_the_queue(client_for, ada, cleo, prompt):
    post = make_post(prompt, cleo, "Held.")
    Post.objects.filter(pk=post.pk).update(held_at=timezone.now())
    _moderate(client_for(ada), post, "hide", reason="no")
    queue = client_for(ada).get(reverse("discussions:review-queue", args=[prompt.course.slug]))
    assert "Nothing to review." in queue.content.decode()


def test_a_held_response_mails_teachers_once_when_approved(
    client_for, ada, cleo, prompt, django_capture_on_commit_callbacks
):
    ada.notify_new_responses = True
    ada.save()
    prompt.course.hold_posts = True
    prompt.course.save()
    create = reverse("discussions:post-create", args=[prompt.course.slug, prompt.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client_for(cleo).post(create, {"body": "Wait for approval."})
    assert mail.outbox == []
    held = Post.objects.get(body="Wait for approval.")
    with django_capture_on_commit_callbacks(execute=True):
        _moderate(client_for(ada), held, "approve")
    assert [m.to for m in mail.outbox] == [["ada@example.edu"]]


def test_archived_courses_take_no_locks_flags_or_settings(client_for, ada, cleo, prompt, rude):
    prompt.course.is_archived = True
    prompt.course.save()
    lock = reverse("discussions:prompt-lock", args=[prompt.course.slug, prompt.pk])
    assert client_for(ada).post(lock, {"locked": "1"}).status_code == 403
    settings_url = reverse("discussions:moderation-settings", args=[prompt.course.slug])
    assert client_for(ada).post(settings_url, {"word_list": "x"}).status_code == 403
    assert client_for(cleo).post(_url("post-flag", rude), {"reason": "spam"}).status_code == 403
    assert not AuditEntry.objects.exists() and not Flag.objects.exists()


@override_settings(POST_RATE_PER_MINUTE="100/d", POST_RATE_PER_HOUR="2/d")
def test_the_hourly_limit_says_so(client_for, cleo, prompt):
    create = reverse("discussions:post-create", args=[prompt.course.slug, prompt.pk])
    client = client_for(cleo)
    for n in range(2):
        client.post(create, {"body": f"Post {n}."})
    response = client.post(create, {"body": "Third."})
    assert response.status_code == 429 and "in an hour" in response.content.decode()


def test_approving_a_post_not_held_is_refused(client_for, ben, rude):
    response = _moderate(client_for(ben), rude, "approve")
    assert response.status_code == 400 and "not waiting for review" in response.content.decode()


def test_the_authors_own_edit_clears_the_moderator_note(client_for, ben, dora, prompt, rude):
    client_for(ben).post(_url("post-edit", rude), {"body": "Edited by Ben."})
    client_for(dora).post(_url("post-edit", rude), {"body": "My own words again."})
    page = _thread(client_for(dora), prompt)
    assert "My own words again." in page and "edited by the instructor" not in page


def test_tas_see_no_links_to_instructor_pages_and_settings_are_audited(
    client_for, ada, ben, course
):
    queue = page_text(client_for(ben).get(reverse("discussions:review-queue", args=[course.slug])))
    assert "Nothing to review." in queue
    assert reverse("discussions:audit-log", args=[course.slug]) not in queue
    client_for(ada).post(
        reverse("discussions:moderation-settings", args=[course.slug]),
        {"hold_posts": "on", "word_list": "forbidden"},
    )
    entry = AuditEntry.objects.get(action="settings")
    assert "forbidden" in entry.after and entry.actor == ada


def test_an_approved_post_is_new_to_classmates_who_visited_while_it_was_held(
    client_for, ada, cleo, dora, prompt
):
    from discussions.prompt_selectors import prompts_for_course

    post = make_post(prompt, dora, "Held for a while.")
    Post.objects.filter(pk=post.pk).update(held_at=timezone.now())
    _thread(client_for(cleo), prompt)  # Cleo visits; the post is not hers to see yet
    _moderate(client_for(ada), post, "approve")
    assert prompts_for_course(course=prompt.course, user=cleo, teaching=False)[0].unread == 1
    assert "post--new" in _thread(client_for(cleo), prompt)


def test_removed_members_and_suspended_users_cannot_post(client, cleo, dora, prompt):
    create = reverse("discussions:post-create", args=[prompt.course.slug, prompt.pk])
    client.force_login(cleo)
    cleo.memberships.update(removed_at=timezone.now())
    assert client.post(create, {"body": "Still here?"}).status_code == 404
    client.force_login(dora)
    dora.is_active = False
    dora.save()
    response = client.post(create, {"body": "Suspended but signed in."})
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert not Post.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's locks")
def test_moderating_locks_only_the_post_and_its_authors_standing(ben, rude):
    from django.test.utils import CaptureQueriesContext

    from discussions.moderation import services

    with CaptureQueriesContext(connection) as queries:
        services.hide_post(post=rude, by=ben, reason="r")
    locks = [q["sql"] for q in queries if "FOR UPDATE" in q["sql"]]
    # The post's row, and the author's standing, which hiding recomputes (as deleting does);
    # never the prompt, the course or the author, which posting needs.
    assert any('FOR UPDATE OF "discussions_post"' in sql for sql in locks)
    assert all(
        'FOR UPDATE OF "discussions_post"' in sql
        or sql.startswith('SELECT "discussions_participation"')
        for sql in locks
    ), locks


def test_staff_enrolled_as_students_still_read_hidden_posts(client_for, ben, sam, prompt, rude):
    from destalin.models import Membership, Role

    Membership.objects.create(user=sam, course=prompt.course, role=Role.STUDENT)
    _moderate(client_for(ben), rude, "hide", reason="no")
    assert "A rude remark" in _thread(client_for(sam), prompt)


def test_the_review_queue_and_its_count_cost_the_same_however_much_waits(
    client_for, ben, cleo, dora, prompt
):
    queue = reverse("discussions:review-queue", args=[prompt.course.slug])
    home = prompt.course.get_absolute_url()
    client = client_for(ben)
    empty = count_queries(client, queue), count_queries(client, home)
    for n in range(3):
        post = make_post(prompt, dora, f"Flagged {n}.")
        Flag.objects.create(post=post, course=prompt.course, flagged_by=cleo, reason="spam")
        held = make_post(prompt, cleo, f"Held {n}.")
        Post.objects.filter(pk=held.pk).update(held_at=timezone.now())
    flagged_and_held = make_post(prompt, dora, "Both.")
    Flag.objects.create(post=flagged_and_held, course=prompt.course, flagged_by=cleo, reason="spam")
    Post.objects.filter(pk=flagged_and_held.pk).update(held_at=timezone.now())
    client = client_for(ben)
    assert (count_queries(client, queue), count_queries(client, home)) == empty
    page = page_text(client.get(queue))
    assert all(f"Flagged {n}." in page and f"Held {n}." in page for n in range(3))
    waiting = '<span class="count">7<span class="visually-hidden"> waiting'
    assert waiting in page_text(client.get(home))


def test_flags_carry_their_course_and_the_queue_reads_only_its_own(
    client_for, ben, cleo, dora, eve, other_course, prompt
):
    from django.test.utils import CaptureQueriesContext

    from discussions.moderation.services import flag_post
    from tests.factories import PromptFactory

    queue = reverse("discussions:review-queue", args=[prompt.course.slug])
    client = client_for(ben)
    before = count_queries(client, queue)
    elsewhere = PromptFactory(course=other_course)
    for n in range(5):
        flag_post(post=make_post(elsewhere, eve, f"Elsewhere {n}."), by=eve, reason="spam")
    here = flag_post(post=make_post(prompt, dora, "Flagged here."), by=cleo, reason="spam")

    with CaptureQueriesContext(connection) as captured:
        page = client.get(queue)

    assert here.course == prompt.course
    assert Flag.objects.filter(course=elsewhere.course).count() == 5
    assert len(captured) == before
    assert "Flagged here." in page_text(page) and "Elsewhere" not in page_text(page)
    reads = [q["sql"] for q in captured if 'FROM "discussions_flag"' in q["sql"]]
    assert reads and all('"discussions_flag"."course_id" =' in sql for sql in reads)


def test_posts_hidden_before_the_role_was_recorded_take_it_from_the_audit_log(
    ada, ben, sam, prompt, rude, cleo
):
    from django.apps import apps

    backfill = import_module("discussions.migrations.0018_post_hidden_by_role").backfill
    by_staff = make_post(prompt, cleo, "Hidden by staff long ago.")
    unlogged = make_post(prompt, cleo, "Hidden before there was an audit log.")
    hide_post(post=rude, by=ada, reason="")
    hide_post(post=rude, by=ben, reason="")  # already hidden: Ada hid it
    hide_post(post=by_staff, by=sam, reason="")
    Post.objects.filter(pk=unlogged.pk).update(hidden_at=timezone.now())
    Post.objects.update(hidden_by_role="")
    backfill(apps, None)
    roles = dict(Post.objects.filter(hidden_at__isnull=False).values_list("pk", "hidden_by_role"))
    assert roles == {rude.pk: "instructor", by_staff.pk: "staff", unlogged.pk: ""}

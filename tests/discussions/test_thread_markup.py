"""The thread page writes its posts' HTML by hand, for speed (discussions/thread/markup.py).
Rendered through a plain Django template instead (thread_reference.html), a thread of every
kind of post reads the same, for a student and for a teacher: the fast path cannot drift
from what a template would write, its times from Django's date filter, or its links from
``{% url %}``, even in a course whose slug holds the number links were once built with."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import timezone

from discussions.models import Participation, Post
from discussions.moderation import services as moderation
from discussions.post_services import edit_post
from discussions.selectors import quote_markdown
from readings.models import Paragraph
from tests.factories import MembershipFactory, UserFactory, make_post

pytestmark = pytest.mark.django_db

REFERENCE = Template((Path(__file__).parent / "thread_reference.html").read_text())
TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*"')


def _normalised(html):
    """Whitespace that holds a newline is layout and goes; other runs become one space. Form
    tokens are masked afresh on each use, so they are compared by place, not value."""
    html = TOKEN.sub(r'\1TOKEN"', html)
    return re.sub(r"[ \t]+", " ", re.sub(r"\s*\n\s*", "", html)).strip()


@pytest.fixture
def thread(course, thaw, ada, ben, cleo, dora, sam):
    """A graded discussion holding every kind of post, in a course slugged with the number
    the thread's links were once built with. Cleo and Ada last visited midway."""
    course.slug = "x-2147483647"
    course.save(update_fields=["slug"])
    prompt = course.prompts.create(
        title="Was the Thaw a turning point?",
        body="Argue it.",
        body_html="<p>Argue it.</p>",
        points_possible=10,
        is_published=True,
        due_at=timezone.now() + timedelta(days=1),
    )
    zoe = MembershipFactory(course=course, user=UserFactory(display_name="Zoë <b>&\"'</b>")).user
    paragraph = Paragraph.objects.select_related("reading", "section").get(reading=thaw, number=1)
    quoting = quote_markdown(course=course, paragraph=paragraph, text=paragraph.text)

    framing = make_post(prompt, ada, "Start from **Ehrenburg**: what thawed, and for whom?")
    cleo_response = make_post(prompt, cleo, "Cleo's response, edited later.")
    edit_post(post=cleo_response, editor=cleo, body="Cleo's response, as edited.")
    dora_response = make_post(prompt, dora, quoting + "Dora's response quotes the reading.")
    moderation.set_pinned(post=dora_response, by=ada, pinned=True)
    moderation.set_endorsed(post=dora_response, by=ada, endorsed=True)
    make_post(prompt, ada, "Ada answers Cleo.", parent=cleo_response)
    make_post(prompt, ben, "Ben, the TA, answers Dora.", parent=dora_response)
    # A chain deeper than the indentation shows; Dora's post at depth 5 awaits review.
    parent = dora_response
    for depth, author in enumerate([cleo, dora, cleo, ada, dora, cleo], start=1):
        if depth == 5:
            prompt.hold_posts = True
            prompt.save(update_fields=["hold_posts"])
        parent = make_post(prompt, author, f"Deeper, at {depth}.", parent=parent)
        prompt.hold_posts = False
        prompt.save(update_fields=["hold_posts"])

    visit = timezone.now()
    Participation.objects.filter(prompt=prompt, user__in=[cleo, ada]).update(last_visited_at=visit)
    zoe_post = make_post(prompt, zoe, "Zoë's response, hidden by the instructor.")
    moderation.hide_post(post=zoe_post, by=ada, reason='Off topic <& "quoted">.')
    cleo_hidden = make_post(prompt, cleo, "Cleo's post, hidden without a reason.")
    moderation.hide_post(post=cleo_hidden, by=ada, reason="")
    # Hidden by the TA and by site staff (no member of the course): each says who.
    by_ta = make_post(prompt, zoe, "Zoë's second response, hidden by the TA.")
    moderation.hide_post(post=by_ta, by=ben, reason="Spam")
    by_staff = make_post(prompt, zoe, "Zoë's third response, hidden by staff.")
    moderation.hide_post(post=by_staff, by=sam, reason="")
    gone = make_post(prompt, dora, "Dora's response, deleted under a reply.")
    make_post(prompt, cleo, "Cleo answers the deleted post.", parent=gone)
    moderation.delete_post(post=gone, by=ada)
    cleo_gone = make_post(prompt, cleo, "Cleo's own post, deleted.")
    moderation.delete_post(post=cleo_gone, by=ada)
    prompt.hold_posts = True
    prompt.save(update_fields=["hold_posts"])
    cleo_held = make_post(prompt, cleo, "Cleo's post awaiting review.")
    cleo_edited = make_post(prompt, ada, "Ada's post, published before holding.")
    edit_post(post=cleo_held, editor=cleo, body="Cleo's post awaiting review, reworded.")
    Post.objects.filter(pk=cleo_edited.pk).update(
        author=cleo, author_role="student", pending_at=timezone.now(), pending_body="Later."
    )
    prompt.hold_posts = False
    prompt.save(update_fields=["hold_posts"])
    locked = make_post(prompt, dora, "Dora's response in a thread the instructor locked.")
    make_post(prompt, cleo, "Cleo replied before the lock.", parent=locked)
    moderation.set_thread_locked(post=locked, by=ada, locked=True)
    moderation.edit_post(post=locked, by=ada, body="Dora's response, edited by Ada.")
    late = make_post(prompt, dora, "Dora's late response.", now=prompt.due_at + timedelta(hours=1))
    return {
        "prompt": prompt,
        "framing": framing,
        "cleo_held": cleo_held,
        "late": late,
        "hidden": zoe_post,
        "gone": gone,
        "cleo_gone": cleo_gone,
    }


# What each viewer's thread must show, so that the comparison covers every kind of post.
SHOWN = {
    "cleo": [
        "badge--role", "replying to", "indent-4", "<blockquote>", "post--new",
        "<strong>pinned</strong>", "endorsed by the instructor", "edited by the instructor",
        "thread locked", "late", ">edited<", "This post was deleted.",
        "Hidden by the instructor.", "Hidden by a TA.", "Hidden by staff.",
        "A post you cannot see yet.", "a post not shown", "Hidden by the instructor.</p>",
        "Awaiting review", ">Edit<", ">Delete<", ">Flag<", ">Reply<",
    ],
    "ada": [
        "badge--role", "replying to <bdi>Dora</bdi>", "indent-4", "<blockquote>", "post--new",
        "<strong>deleted</strong>", ">Restore<", ">History<", ">Moderate<",
        "Hidden by the instructor: Off topic &lt;&amp; &quot;quoted&quot;&gt;.",
        "Hidden by a TA: Spam</p>", "Hidden by staff.</p>",
        "Zoë &lt;b&gt;&amp;&quot;&#x27;&lt;/b&gt;", "Awaiting review", "thread locked",
    ],
}  # fmt: skip


@pytest.mark.parametrize("viewer", ["cleo", "ada"])
def test_the_fast_thread_reads_as_a_plain_template_would_write_it(
    client_for, people, thread, viewer
):
    prompt = thread["prompt"]
    page = client_for(people[viewer]).get(prompt.get_absolute_url())
    assert page.status_code == 200
    fast = re.search(r'<ol class="posts">(.*)</ol>\s*</section>', page.content.decode(), re.S)
    posts = page.context["items"]
    reference = REFERENCE.render(
        Context({"items": posts, "course": prompt.course, "prompt": prompt, "csrf_token": "TOKEN"})
    )
    assert _normalised(fast.group(1)) == _normalised(reference)
    for kind in SHOWN[viewer]:
        assert kind in fast.group(1), kind
    # All but Cleo's own deleted post, which nothing readable hangs under.
    assert len(posts) == prompt.posts.count() - (1 if viewer == "cleo" else 0)
    links = re.findall(r'(?:href|action)="([^"]*)"', fast.group(1))
    assert links and all(link.startswith("/courses/x-2147483647/") for link in links)


def test_the_thread_in_every_situation_the_student_meets(client_for, cleo, thread):
    """Cleo's view, post by post: what she reads, what stands in for the rest."""
    prompt = thread["prompt"]
    items = {
        post.pk: post for post in client_for(cleo).get(prompt.get_absolute_url()).context["items"]
    }
    assert items[thread["cleo_held"].pk].readable and items[thread["cleo_held"].pk].held
    assert items[thread["hidden"].pk].hidden_here and not items[thread["hidden"].pk].readable
    assert not items[thread["gone"].pk].readable  # kept as a placeholder for Cleo's reply
    assert thread["cleo_gone"].pk not in items
    assert items[thread["late"].pk].is_new and items[thread["late"].pk].is_late
    assert not items[thread["framing"].pk].is_new
    assert Post.objects.filter(prompt=prompt, held_at__isnull=False).count() == 2

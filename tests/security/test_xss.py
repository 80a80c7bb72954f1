"""Stored XSS: payloads through every field that is shown back, checked in the pages that
show it. Nothing may add a script, an event handler, a style, a frame or a javascript: link
to the page; nothing may escape its element."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from destalin.markdown import render_text
from discussions.models import Post, Prompt
from tests.html_safety import unsafe_parts
from tests.security.xss_payloads import ENTITIES, MARKDOWN, PAYLOADS, TAGS

pytestmark = pytest.mark.django_db


def _foreign_parts(html):
    """Unsafe tags or attributes in a page, ignoring our own markup (the page-level <script
    src> of our static files, <form>, <input>, <link>, <meta>, ...)."""
    body = html[html.index("<main") : html.index("</main>")]
    problems = unsafe_parts(body)
    allowed = (
        "<form>",
        "<input>",
        "<button>",
        "<label>",
        "<textarea>",
        "<select>",
        "<option>",
        "<div>",
        "<section>",
        "<header>",
        "<nav>",
        "<span>",
        "<article>",
        "<details>",
        "<summary>",
        "<time>",
        "<main>",
        "<small>",
        "<caption>",
        "<mark>",
        "<h1>",
        "<h2>",
        "<fieldset>",
        "<legend>",
        "<dl>",
        "<dt>",
        "<dd>",
        "<kbd>",
        "<abbr>",
        # The analytics charts (their attributes are still checked: no handlers, no styles).
        "<figure>",
        "<figcaption>",
        "<svg>",
        "<title>",
        "<desc>",
        "<g>",
        "<rect>",
        "<text>",
        "<line>",
    )
    return [p for p in problems if p not in allowed]


def test_corpus_has_two_hundred_payloads():
    assert len(PAYLOADS) + len(_COMBINED) >= 200


_COMBINED = [f"{tag} {md}" for tag in TAGS[:10] for md in MARKDOWN[:17]]


@pytest.mark.parametrize("payload", PAYLOADS + _COMBINED)
def test_markdown_renderer_never_emits_unsafe_html(payload):
    assert unsafe_parts(render_text(payload)) == []


@given(
    st.lists(st.sampled_from(TAGS + MARKDOWN + ENTITIES), min_size=1, max_size=4),
    st.text(max_size=30),
)
@settings(max_examples=150, deadline=None)
def test_generated_payloads_never_render_unsafe(parts, noise):
    assert unsafe_parts(render_text(noise.join(parts))) == []


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_in_every_shown_field_stay_inert(
    client_for, ada, cleo, dora, course, prompt, payload
):
    from tests.factories import make_post

    body = payload.replace("\x00", "")
    cleo.display_name = body[:80]
    cleo.save()
    course.title = body[:200]
    course.save()
    Prompt.objects.filter(pk=prompt.pk).update(title=body[:300], body_html=render_text(body))
    post = make_post(prompt, cleo, body + " marker-text")
    make_post(prompt, dora, "Reply " + body, parent=post)
    pages = [
        prompt.get_absolute_url(),
        course.get_absolute_url(),
        reverse("course-members", args=[course.slug]),
        reverse("course-search", args=[course.slug]) + "?q=marker-text",
        reverse("discussions:reply", args=[course.slug, prompt.pk, post.pk]),
        reverse("discussions:prompt-progress", args=[course.slug, prompt.pk]),
        reverse("dashboard"),
    ]
    client = client_for(ada)
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert _foreign_parts(response.content.decode()) == [], url


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_in_grading_and_moderation_fields_stay_inert(
    client_for, ada, cleo, dora, course, prompt, payload
):
    """Rubric text, feedback, hiding reasons, flag details, the word list and display names
    in charts: through the services that store them, checked on every page that shows them."""
    from discussions.grading import services as grading
    from discussions.grading.models import GradingPolicy, Rubric
    from discussions.moderation import services as moderation
    from tests.factories import make_post

    text = payload.replace("\x00", "")
    dora.display_name = text[:80] or "x"
    dora.save()
    Prompt.objects.filter(pk=prompt.pk).update(points_possible=10, title=text[:300] or "x")
    prompt.refresh_from_db()
    rubric = Rubric.objects.create(course=course, title=text[:200])
    criterion = rubric.criteria.create(title=text[:200], description=text[:2000], position=1)
    level = criterion.levels.create(title=text[:200], points=5, position=1)
    GradingPolicy.objects.create(prompt=prompt, rubric=rubric, released_at="2000-01-01T00:00Z")
    response = make_post(prompt, cleo, "Cleo's response.")
    reply = make_post(prompt, dora, "Dora's reply.", parent=response)
    grading.save_grade(
        prompt=prompt, student=cleo, grader=ada, status="graded", levels={criterion.pk: level},
        feedback=text, expected_version=0,
    )  # fmt: skip
    moderation.flag_post(post=reply, by=cleo, reason="other", details=text[:500])
    moderation.hide_post(post=response, by=ada, reason=text[:500])
    course.word_list = text[:5000]
    course.save()
    slug, pk = course.slug, prompt.pk
    teacher_pages = [
        reverse("grading:grader", args=[slug, pk]),
        reverse("grading:grade-student", args=[slug, pk, cleo.pk]),
        reverse("grading:gradebook", args=[slug]),
        reverse("grading:rubrics", args=[slug]),
        reverse("grading:prompt-analytics", args=[slug, pk]),
        reverse("discussions:review-queue", args=[slug]),
        reverse("discussions:audit-log", args=[slug]),
        reverse("discussions:post-moderate", args=[slug, response.pk]),
        reverse("discussions:moderation-settings", args=[slug]),
        prompt.get_absolute_url(),
    ]
    for user, pages in (
        (ada, teacher_pages),
        (cleo, [reverse("grading:my-grades", args=[slug]), prompt.get_absolute_url()]),
    ):
        client = client_for(user)
        for url in pages:
            page = client.get(url)
            assert page.status_code == 200, url
            assert _foreign_parts(page.content.decode()) == [], url


@pytest.mark.parametrize("payload", TAGS[:12] + MARKDOWN[:6])
def test_search_terms_are_shown_inert(client_for, cleo, course, payload):
    response = client_for(cleo).get(reverse("course-search", args=[course.slug]), {"q": payload})
    assert response.status_code == 200
    assert _foreign_parts(response.content.decode()) == []


@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=2000))
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_post_body_is_saved_or_refused_never_a_500(client_for, cleo, prompt, text):
    cache.clear()  # sixty posts in a row would otherwise meet the posting rate limit
    client = client_for(cleo)
    before = Post.objects.count()
    response = client.post(
        reverse("discussions:post-create", args=[prompt.course.slug, prompt.pk]),
        {"body": text},
    )
    assert response.status_code in {302, 400}
    assert Post.objects.count() == before + (1 if response.status_code == 302 else 0)

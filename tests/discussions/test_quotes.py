"""Quoting the readings: from a paragraph into a discussion, and back again."""

import re
from datetime import timedelta
from urllib.parse import quote as urlquote

import pytest
from django.urls import reverse
from django.utils import timezone

from discussions.models import Quote
from discussions.selectors import quote_markdown
from readings.models import Paragraph, Section
from readings.services import render_reading
from tests.factories import PromptFactory, make_post
from tests.pages import page_text

pytestmark = pytest.mark.django_db

FIRST = "Ehrenburg's novel gave the era its name."


def _quote_body(course, reading, number, text=None):
    paragraph = Paragraph.objects.select_related("reading", "section").get(
        reading=reading, number=number
    )
    return quote_markdown(course=course, paragraph=paragraph, text=text or paragraph.text)


def test_every_paragraph_offers_quote_in_a_discussion(client_for, cleo, course, thaw):
    page = client_for(cleo).get(reverse("reading-detail", args=[course.slug, thaw.slug]))
    quote_url = reverse("discussions:quote", args=[course.slug])
    assert page.content.decode().count(f'href="{quote_url}?reading=the-thaw&amp;p=') == 6


def test_quote_page_offers_the_courses_prompts(client_for, cleo, course, thaw, prompt):
    url = reverse("discussions:quote", args=[course.slug])
    page = client_for(cleo).get(url, {"reading": thaw.slug, "p": 1}).content.decode()
    assert FIRST.replace("'", "&#x27;") in page
    assert prompt.get_absolute_url() + "?reading=the-thaw&amp;p=1" in page


def test_quote_page_offers_only_open_prompts(client_for, cleo, course, thaw):
    PromptFactory(course=course, title="Open prompt")
    PromptFactory(
        course=course, title="Closed prompt", cutoff_at=timezone.now() - timedelta(hours=1)
    )
    page = (
        client_for(cleo)
        .get(reverse("discussions:quote", args=[course.slug]), {"reading": thaw.slug, "p": 1})
        .content.decode()
    )
    assert "Open prompt" in page and "Closed prompt" not in page


@pytest.mark.parametrize(
    "params", [{"reading": "nope", "p": "1"}, {"reading": "the-thaw", "p": "x"}, {}]
)
def test_quote_page_refuses_unknown_passages(client_for, cleo, course, thaw, params):
    url = reverse("discussions:quote", args=[course.slug])
    assert client_for(cleo).get(url, params).status_code == 404


def test_reply_form_opens_with_the_passage_and_its_source(client_for, cleo, course, thaw, prompt):
    page = client_for(cleo).get(prompt.get_absolute_url(), {"reading": thaw.slug, "p": 1})
    body = page.context["form"].initial["body"]
    assert body.startswith("> Ehrenburg's novel gave the era its name.")
    assert "— [The Thaw, § Origins ¶ 1](/courses/hist-274/readings/the-thaw/#p-1)" in body


def test_a_selection_quotes_just_that_part(client_for, cleo, course, thaw, prompt):
    page = client_for(cleo).get(
        prompt.get_absolute_url(), {"reading": thaw.slug, "p": 1, "text": "gave the era"}
    )
    assert page.context["form"].initial["body"].startswith("> gave the era\n")


def test_a_forged_selection_falls_back_to_the_paragraph(client_for, cleo, course, thaw, prompt):
    page = client_for(cleo).get(
        prompt.get_absolute_url(), {"reading": thaw.slug, "p": 1, "text": "words never written"}
    )
    assert page.context["form"].initial["body"].startswith("> Ehrenburg")


def test_posting_a_quote_records_its_passage_and_links_back(client_for, cleo, course, thaw, prompt):
    body = _quote_body(course, thaw, 1) + "I think the name stuck."
    post = make_post(prompt, cleo, body)
    quote = Quote.objects.get(post=post)
    assert (quote.paragraph_number, quote.exact) == (1, FIRST)
    source = reverse("discussions:quote-source", args=[course.slug, quote.pk])
    assert f'href="{source}"' in post.body_html
    assert "The Thaw, § Origins ¶ 1" in post.body_html
    response = client_for(cleo).get(source)
    assert response["Location"] == reverse("reading-detail", args=[course.slug, thaw.slug]) + "#p-1"


def test_reading_shows_how_many_posts_quote_each_paragraph(
    client_for, cleo, dora, course, thaw, prompt
):
    make_post(prompt, cleo, _quote_body(course, thaw, 1) + "Mine.")
    make_post(prompt, dora, _quote_body(course, thaw, 1, "gave the era") + "Hers.")
    page = client_for(cleo).get(reverse("reading-detail", args=[course.slug, thaw.slug]))
    assert "quoted in 2 posts" in page.content.decode()
    listing = reverse("discussions:paragraph-quotes", args=[course.slug, thaw.slug, 1])
    posts = client_for(cleo).get(listing).content.decode()
    assert "<bdi>Cleo</bdi> in" in posts and "<bdi>Dora</bdi> in" in posts


def test_quote_counts_respect_the_reveal_rule(client_for, ada, cleo, dora, course, thaw, guarded):
    make_post(guarded, dora, _quote_body(course, thaw, 1) + "Hidden until Cleo posts.")
    reading = reverse("reading-detail", args=[course.slug, thaw.slug])
    page = page_text(client_for(cleo).get(reading))
    assert 'class="para-quote"' in page and "quoted in" not in page
    listing = reverse("discussions:paragraph-quotes", args=[course.slug, thaw.slug, 1])
    quotes = page_text(client_for(cleo).get(listing))
    assert (
        "No post you can see quotes this paragraph." in quotes
        and "<bdi>Dora</bdi> in" not in quotes
    )
    # Dora's teacher, to whom it is revealed, sees it counted and listed.
    assert "quoted in 1 post" in page_text(client_for(ada).get(reading))
    assert "<bdi>Dora</bdi> in" in page_text(client_for(ada).get(listing))


def test_a_quote_finds_its_passage_after_the_reading_changes(
    client_for, cleo, course, thaw, prompt
):
    post = make_post(prompt, cleo, _quote_body(course, thaw, 1) + "Noted.")
    quote = Quote.objects.get(post=post)
    section = thaw.sections.get(position=1)
    section.body = "A new opening paragraph.\n\n" + section.body
    section.save()
    render_reading(reading=thaw)
    source = reverse("discussions:quote-source", args=[course.slug, quote.pk])
    response = client_for(cleo).get(source)
    # The paragraph kept its identity (p-1) and is now the second: "¶ 2".
    assert response["Location"] == reverse("reading-detail", args=[course.slug, thaw.slug]) + "#p-1"
    page = client_for(cleo).get(reverse("reading-detail", args=[course.slug, thaw.slug]))
    html = page.content.decode()
    paragraphs = dict(re.findall(r'<p id="p-(\d+)" class="para">(.*?)</p>', html, re.S))
    assert [n for n, text in paragraphs.items() if "quoted in 1 post" in text] == ["1"]
    assert 'aria-label="Paragraph 2, link">¶ 2</a>' in paragraphs["1"]
    assert "Ehrenburg" in paragraphs["1"]
    assert "A new opening paragraph." in paragraphs["7"]


def test_a_quote_says_when_its_passage_is_gone(client_for, cleo, course, thaw, prompt):
    post = make_post(prompt, cleo, _quote_body(course, thaw, 1) + "Noted.")
    Section.objects.filter(reading=thaw, position=1).update(body="Entirely rewritten.")
    render_reading(reading=thaw)
    quote = post.quotes.get()
    response = client_for(cleo).get(
        reverse("discussions:quote-source", args=[course.slug, quote.pk])
    )
    reading = reverse("reading-detail", args=[course.slug, thaw.slug])
    assert response["Location"] == f"{reading}?quote={quote.pk}"
    page = page_text(client_for(cleo).get(response["Location"]))
    assert "The quoted passage was removed" in page
    assert f"<blockquote><p><bdi>{FIRST}</bdi></p></blockquote>".replace("'", "&#x27;") in page
    assert "quoted in" not in page


def test_links_to_other_courses_readings_are_not_quotes(cleo, course, other_course, prompt):
    body = f"> Words\n>\n> — [Elsewhere](/courses/{other_course.slug}/readings/x/#p-1)\n\nMine."
    post = make_post(prompt, cleo, body)
    assert not post.quotes.exists()
    assert urlquote(other_course.slug) in post.body_html

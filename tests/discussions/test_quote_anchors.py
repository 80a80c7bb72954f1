"""Quotes anchored as W3C Web Annotation selectors (readings.anchors) through the pages: a
quote follows its words through edits, and says so plainly when they changed."""

import importlib
import re

import pytest
from django.apps import apps
from django.urls import reverse

from discussions.models import Quote
from discussions.selectors import quote_markdown
from readings.models import Paragraph
from readings.services import edit_reading
from tests.factories import AssignmentFactory, ReadingFactory, make_post
from tests.pages import page_text

pytestmark = pytest.mark.django_db

SPEECH = (
    "In February 1956 Khrushchev addressed the closed session of the Twentieth Congress and "
    "spoke for four hours about the crimes of Stalin, while the delegates listened in silence."
)
LOOK_ALIKE = (
    "Historians still argue whether the crimes of Stalin could be named without naming the "
    "system that had made them possible in the first place."
)


def _filler(n):
    return f"Filler paragraph number {n} about the thaw, with words of its own."


@pytest.fixture
def congress(course):
    """A reading whose ¶ 12 is the speech and whose ¶ 8 uses the same three words."""
    paragraphs = [_filler(n) for n in range(1, 13)]
    paragraphs[7], paragraphs[11] = LOOK_ALIKE, SPEECH
    reading = ReadingFactory(
        slug="congress", title="The Congress", sections=[("", "\n\n".join(paragraphs))]
    )
    AssignmentFactory(course=course, reading=reading)
    return reading


def _quote(course, reading, key, words, prompt, author):
    paragraph = Paragraph.objects.select_related("reading", "section").get(reading=reading, key=key)
    body = quote_markdown(course=course, paragraph=paragraph, text=words) + "My response."
    return Quote.objects.get(post=make_post(prompt, author, body))


def _edit(reading, ada, old, new):
    section = reading.sections.get()
    edit_reading(reading=reading, sections=[("", section.body.replace(old, new))], user=ada)


def _counted(html):
    """Block keys whose paragraph says "quoted in"."""
    blocks = re.findall(r'<p id="p-(\d+)" class="para">(.*?)</p>', html, re.S)
    return [int(key) for key, text in blocks if "quoted in" in text]


def test_a_reworded_quote_says_changed_and_never_lands_on_a_look_alike(
    client_for, ada, cleo, course, congress, prompt
):
    """The issue's case: the quoted words of ¶ 12 are reworded; ¶ 8 uses the same words."""
    quote = _quote(course, congress, 12, "the crimes of Stalin", prompt, cleo)
    reading_url = reverse("reading-detail", args=[course.slug, congress.slug])
    assert _counted(client_for(cleo).get(reading_url).content.decode()) == [12]
    _edit(
        congress,
        ada,
        "spoke for four hours about the crimes of Stalin, while the delegates listened",
        "denounced the cult of personality at great length, and nobody in the hall spoke",
    )
    # ¶ 12 kept its identity through the edit; its quoted words are gone from it.
    assert Paragraph.objects.get(reading=congress, number=12).key == 12
    source = reverse("discussions:quote-source", args=[course.slug, quote.pk])
    response = client_for(cleo).get(source)
    assert response["Location"] == f"{reading_url}?quote={quote.pk}#p-12"
    page = client_for(cleo).get(response["Location"]).content.decode()
    assert "The quoted passage has changed" in page
    assert "<blockquote><p><bdi>the crimes of Stalin</bdi></p></blockquote>" in page
    assert _counted(page) == []  # not on ¶ 12, and above all not on ¶ 8
    assert 'id="p-8" class="para"' in page and LOOK_ALIKE.split(",")[0] in page
    listing = reverse("discussions:paragraph-quotes", args=[course.slug, congress.slug, 8])
    assert "No post you can see quotes this paragraph." in page_text(client_for(cleo).get(listing))


def test_words_reworded_between_unchanged_context_stay_quoted_there(
    client_for, ada, cleo, course, congress, prompt
):
    quote = _quote(course, congress, 12, "the crimes of Stalin", prompt, cleo)
    _edit(congress, ada, "the crimes of Stalin", "Stalin's crimes")
    response = client_for(cleo).get(
        reverse("discussions:quote-source", args=[course.slug, quote.pk])
    )
    page = client_for(cleo).get(response["Location"]).content.decode()
    assert response["Location"].endswith(f"?quote={quote.pk}#p-12")
    assert "The quoted passage has been reworded" in page
    assert _counted(page) == [12]


def test_a_quote_follows_its_paragraph_when_paragraphs_are_inserted_before_it(
    client_for, ada, cleo, course, congress, prompt
):
    quote = _quote(course, congress, 12, "the crimes of Stalin", prompt, cleo)
    section = congress.sections.get()
    edit_reading(
        reading=congress,
        sections=[("", "A new first paragraph.\n\nAnd a second.\n\n" + section.body)],
        user=ada,
    )
    response = client_for(cleo).get(
        reverse("discussions:quote-source", args=[course.slug, quote.pk])
    )
    url = reverse("reading-detail", args=[course.slug, congress.slug])
    assert response["Location"] == f"{url}#p-12"  # the same words, no notice needed
    page = client_for(cleo).get(url).content.decode()
    assert _counted(page) == [12]
    assert 'aria-label="Paragraph 14, link">¶ 14</a>' in page  # it reads as ¶ 14 now


def test_a_quote_of_a_moved_passage_is_found_in_its_new_paragraph(
    client_for, ada, cleo, course, congress, prompt
):
    quote = _quote(course, congress, 12, "the crimes of Stalin", prompt, cleo)
    # ¶ 11 rewritten at length and ¶ 12 joined to it: a new block, unlike either, holding
    # the quoted words with their whole context.
    longer = " ".join(f"A long new sentence number {n} about the congress." for n in range(12))
    _edit(congress, ada, _filler(11) + "\n\n" + SPEECH, longer + " " + SPEECH)
    new_key = Paragraph.objects.get(reading=congress, text__contains="crimes of Stalin, while").key
    response = client_for(cleo).get(
        reverse("discussions:quote-source", args=[course.slug, quote.pk])
    )
    assert response["Location"].endswith(f"?quote={quote.pk}#p-{new_key}")
    page = client_for(cleo).get(response["Location"]).content.decode()
    assert "The quoted passage has moved" in page
    assert _counted(page) == [new_key]


def test_a_quote_records_its_block_words_context_and_position(cleo, course, congress, prompt):
    quote = _quote(course, congress, 12, "the crimes of Stalin", prompt, cleo)
    start = SPEECH.index("the crimes of Stalin")
    assert (quote.block_key, quote.paragraph_number) == (12, 12)
    assert (quote.start, quote.end) == (start, start + len("the crimes of Stalin"))
    assert quote.prefix == SPEECH[start - 32 : start]
    assert quote.suffix == SPEECH[quote.end : quote.end + 32]


def test_the_arrival_notice_needs_a_quote_the_reader_may_see(
    client_for, cleo, eve, course, congress, prompt
):
    quote = _quote(course, congress, 12, "the crimes of Stalin", prompt, cleo)
    url = reverse("reading-detail", args=[course.slug, congress.slug])
    for value in [str(quote.pk + 1000), "x", ""]:
        page = client_for(cleo).get(url, {"quote": value})
        assert page.status_code == 200
        assert "quote-arrival" not in page.content.decode()
        assert "Filler paragraph number 1 " in page.content.decode()


def test_existing_quotes_move_to_anchors_with_the_data_migration(cleo, course, congress, prompt):
    quote = _quote(course, congress, 12, "the crimes of Stalin", prompt, cleo)
    expected = (quote.block_key, quote.start, quote.end)
    gone = _quote(course, congress, 3, _filler(3), prompt, cleo)
    # As the rows were before: a paragraph number and context, no key or offsets.
    Quote.objects.update(block_key=0, start=0, end=0)
    Quote.objects.filter(pk=gone.pk).update(exact="Words no longer there", prefix="", suffix="")
    migration = importlib.import_module("discussions.migrations.0019_quote_anchors")
    migration.anchor_existing_quotes(apps, None)
    quote.refresh_from_db()
    gone.refresh_from_db()
    assert (quote.block_key, quote.start, quote.end) == expected
    assert (gone.block_key, gone.start, gone.end) == (3, 0, 0)

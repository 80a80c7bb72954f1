"""What converters write, as the reader shows it (readings.intake.document's conventions):
footnotes linked both ways, page numbers of the original in the margin, images with their alt
text; and the seeds' shapes: bibliography, the cut of an excerpt, names of untitled sections, a
section read alone, paragraph links a keyboard can pass."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from readings.intake.document import page_marker
from tests.factories import AssignmentFactory, ReadingFactory
from tests.html_validator import html_errors
from tests.pages import page_text

pytestmark = pytest.mark.django_db

SITE_CSS = Path(__file__).resolve().parents[2] / "destalin/static/destalin/site.css"

CHAPTER = f"""Khrushchev spoke in closed session.[^1] The speech leaked within weeks.

{page_marker("42")}
The second page begins here, with a map.

![Map of the Gulag camps in 1953](map.png)

[^1]: On 25 February 1956, after the congress had formally ended.
"""


@pytest.fixture
def chapter(course):
    reading = ReadingFactory(
        slug="chapter",
        title="A chapter",
        sections=[("One", CHAPTER), ("Two", "More text.[^1]\n\n[^1]: A second section's note.")],
    )
    AssignmentFactory(course=course, reading=reading)
    return reading


def _page(client, course, reading, **params):
    return page_text(
        client.get(reverse("reading-detail", args=[course.slug, reading.slug]), params)
    )


def test_footnotes_are_notes_linked_both_ways_per_section(client_for, cleo, course, chapter):
    page = _page(client_for(cleo), course, chapter)
    assert '<sup class="footnote-ref"><a href="#fn-s1-1" id="fnref-s1-1">[1]</a></sup>' in page
    assert '<li id="fn-s1-1" class="footnote-item"><p>On 25 February 1956' in page
    assert '<a href="#fnref-s1-1" class="footnote-backref" aria-label="Back to note 1' in page
    # The second section's note 1 is another note, with ids of its own.
    assert 'id="fn-s2-1"' in page and 'href="#fnref-s2-1"' in page
    # Notes are not numbered paragraphs, and their words are not the running text's.
    numbered = chapter.paragraphs.values_list("text", flat=True)
    assert not any("25 February" in text for text in numbered)
    assert "Khrushchev spoke in closed session. The speech leaked within weeks." in numbered


def test_page_numbers_of_the_original_show_in_the_margin(client_for, cleo, course, chapter):
    page = _page(client_for(cleo), course, chapter)
    assert '<p class="page-marker">p. 42</p>' in page
    assert "&lt;!-- page" not in page
    texts = list(chapter.paragraphs.values_list("number", "text"))
    assert texts[1] == (2, "The second page begins here, with a map.")
    assert not any("p. 42" in text for _, text in texts)


def test_images_keep_their_alt_text(client_for, cleo, course, chapter):
    page = _page(client_for(cleo), course, chapter)
    assert '<img src="map.png" alt="Map of the Gulag camps in 1953">' in page


def test_a_reading_with_notes_markers_images_and_notices_is_valid_html(
    client_for, ada, course, chapter, thaw
):
    from readings.services import edit_reading

    edit_reading(reading=thaw, sections=[("", "Only this is left.")], user=ada)
    client = client_for(ada)
    documents = {
        "chapter": _page(client, course, chapter),
        "chapter, one section": page_text(
            client.get(reverse("reading-section", args=[course.slug, chapter.slug, 1]))
        ),
        "edited thaw": _page(client, course, thaw),
        "editor": page_text(client.get(reverse("reading-edit", args=[course.slug, thaw.slug]))),
    }
    assert html_errors(documents) == []


def test_the_bibliography_is_set_as_one(client_for, cleo, course, seed_readings):
    page = _page(client_for(cleo), course, seed_readings["destalinization"])
    assert page.count('class="reading-section reading-section--bibliography"') == 2
    assert '<section class="reading-section" id="s-1"' in page  # the article is not
    css = SITE_CSS.read_text(encoding="utf-8")
    assert ".reading-section--bibliography .para { font-size: 0.92rem;" in css
    assert "text-indent: -2rem" in css


def test_untitled_sections_are_named_by_their_first_words(client_for, cleo, course, seed_readings):
    page = _page(client_for(cleo), course, seed_readings["destalinization"])
    assert "<bdi>Destalinization, a term of Western origin…</bdi>" in page
    assert "<bdi>The chronology of destalinization is not…</bdi>" in page
    assert "Part 1" not in page and "Part 4" not in page
    notes = _page(client_for(cleo), course, seed_readings["dilemmas-of-de-stalinisation"])
    assert "<bdi>The blame was shifted on to…</bdi>" in notes and "Part 6" not in notes
    shift = _page(
        client_for(cleo), course, seed_readings["de-stalinization-unraveling-the-political-shift"]
    )
    assert "<bdi>de-stalinization political definition</bdi>" in shift  # its opening heading


def test_an_excerpt_says_where_it_is_cut(client_for, cleo, course, seed_readings):
    reading = seed_readings["destalinization-the-origins"]
    page = _page(client_for(cleo), course, reading)
    cut = "The excerpt ends here: the rest of this essay is not part of the reading."
    last = page.index("Truly wished to change the coarse of the development of the ...")
    assert page.index(cut) > last  # at the cut, after the last words
    assert page.index("<strong>Excerpt.</strong>") < last  # and still at the top
    first_section = page_text(
        client_for(cleo).get(reverse("reading-section", args=[course.slug, reading.slug, 1]))
    )
    assert cut not in first_section
    last_section = page_text(
        client_for(cleo).get(reverse("reading-section", args=[course.slug, reading.slug, 2]))
    )
    assert cut in last_section


def test_a_section_read_alone_starts_with_the_section(client_for, cleo, course, seed_readings):
    reading = seed_readings["dilemmas-of-de-stalinisation"]
    page = page_text(
        client_for(cleo).get(reverse("reading-section", args=[course.slug, reading.slug, 3]))
    )
    main = page[page.index('<main id="main"') :]
    # One short line names the reading (the page's h1), then the card.
    assert '<h1 class="eyebrow reading__from"><a href="' in main
    card = main.index('<h2 id="s-3-title"')
    assert main.index('<p id="p-') > card
    # The reading's title, byline and contents come after the card's text and the pager.
    assert main.index('<h2 id="reading-title">') > main.index('<nav class="pager')
    assert main.index('id="toc-title"') > main.index('<nav class="pager')
    # Above it only the reading's name and the (hidden until focused) skip link.
    assert main[:card].count("<a ") == 2 and 'class="skip-link"' in main[:card]


def test_paragraph_tools_are_one_tab_stop_with_a_skip_link_past_them(
    client_for, cleo, course, seed_readings
):
    page = _page(client_for(cleo), course, seed_readings["destalinization"])
    text = page[page.index('<div class="reading__text">') :]
    assert text.index('<a class="skip-link" href="#reading-end">') < text.index('class="para"')
    assert '<p id="reading-end" class="visually-hidden" tabindex="-1">End of the text.</p>' in text
    # Each block has one ¶ link, one Quote link and one Note link; Quote and Note are out of
    # sight (and out of the tab order) until their paragraph is hovered or targeted, or on
    # touch screens.
    blocks = len(re.findall(r'class="para"', text))
    assert text.count('class="para-link"') == text.count('class="para-quote"') == blocks
    assert text.count('class="para-note"') == blocks
    css = SITE_CSS.read_text(encoding="utf-8")
    assert ".para-quote, .para-note { display: none; }" in css
    assert (
        ".para:hover .para-quote, .para:target .para-quote, .para:hover .para-note, "
        ".para:target .para-note { display: inline; }"
    ) in css
    assert "@media (hover: none) {\n  .para-quote, .para-note { display: inline; }" in css
    print_css = (SITE_CSS.parent / "print.css").read_text(encoding="utf-8")
    assert ".para-link, .para-quote, .para-quoted," in print_css

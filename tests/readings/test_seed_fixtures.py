"""The seed texts ship faithfully: every sentence, typos included, and none of the site chrome."""

import html
import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from readings.models import Paragraph, Reading, Section
from tests.pages import page_text
from tests.readings.conftest import SEED_SLUGS

SEEDS = Path(__file__).parent / "seed_texts"
SKIP = json.loads((SEEDS / "chrome.json").read_text(encoding="utf-8"))

pytestmark = pytest.mark.django_db


def _sentences(seed_file):
    skipped = SKIP[seed_file]
    dropped = {line for key in ("chrome", "metadata", "navigation") for line in skipped[key]}
    for line in (SEEDS / seed_file).read_text(encoding="utf-8").splitlines():
        line = line.strip().lstrip("•").strip()
        if line and line not in dropped:
            yield from (s for s in re.split(r"(?<=[.!?])\s+", line) if s)


def _squeezed(text):
    return re.sub(r"\s+", "", text)


def _page_text(client, course, slug):
    page = page_text(client.get(reverse("reading-detail", args=[course.slug, slug])))
    body = page[page.index('<div class="reading__text">') :]
    # Our own navigation and tools ("¶ 12", "Quote", "Note", "2 of 6") are not the text.
    body = re.sub(r'<a class="para-(link|quote|quoted|note|notes)".*?</a>', "", body)
    body = re.sub(r'<span class="reading-section__count">[^<]*</span>', "", body)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


@pytest.mark.parametrize("seed_file", sorted(SEED_SLUGS))
def test_every_sentence_of_the_seed_is_in_the_reading(
    client_for, cleo, seed_readings, course, seed_file
):
    text = _squeezed(_page_text(client_for(cleo), course, SEED_SLUGS[seed_file]))
    sentences = list(_sentences(seed_file))
    missing = [s for s in sentences if _squeezed(s) not in text]
    assert len(sentences) > 20
    assert missing == []


@pytest.mark.parametrize("seed_file", sorted(SEED_SLUGS))
def test_site_chrome_is_not_part_of_the_text(client_for, cleo, seed_readings, course, seed_file):
    text = _page_text(client_for(cleo), course, SEED_SLUGS[seed_file])
    assert _squeezed(next(_sentences(seed_file))) in _squeezed(text)
    for line in SKIP[seed_file]["chrome"]:
        if len(line) > 12:
            assert line not in text


def test_typos_are_kept(client_for, cleo, seed_readings, course):
    text = _page_text(client_for(cleo), course, "dilemmas-of-de-stalinisation")
    for typo in ["mainting", "attched", "chauvinsim", "optiminsm", "neo-Lenist"]:
        assert typo in text


def test_the_characteristics_table_is_a_real_table(client_for, cleo, seed_readings, course):
    page = (
        client_for(cleo)
        .get(
            reverse(
                "reading-detail",
                args=[course.slug, "de-stalinization-unraveling-the-political-shift"],
            )
        )
        .content.decode()
    )
    table = page[page.index("<table>") : page.index("</table>")]
    assert re.search(r"<th>Characteristics</th>\s*<th>Values</th>", table)
    body_rows = table[table.index("<tbody>") :].count("<tr ")
    assert body_rows == 10
    assert "Pursuing détente with the West" in table


def test_encyclopedia_entry_keeps_see_also_and_split_bibliography(
    client_for, cleo, seed_readings, course
):
    reading = seed_readings["destalinization"]
    titles = list(reading.sections.values_list("title", flat=True))
    assert titles[-3:] == ["See also", "Primary Sources", "Secondary Sources"]
    assert reading.author == "Denis Kozlov"
    secondary = reading.sections.get(title="Secondary Sources")
    assert "Jones, Polly, ed. The Dilemmas of Destalinisation" in secondary.body


def test_notes_keep_their_six_cards(seed_readings):
    reading = seed_readings["dilemmas-of-de-stalinisation"]
    assert reading.sections.count() == 6
    assert reading.sections.get(position=3).title == "The Thaw"


def test_the_preview_essay_says_it_is_an_excerpt(client_for, cleo, seed_readings, course):
    page = (
        client_for(cleo)
        .get(reverse("reading-detail", args=[course.slug, "destalinization-the-origins"]))
        .content.decode()
    )
    assert "Excerpt." in page
    assert "preview" in page
    assert "Truly wished to change the coarse of the development of the ..." in page


def test_loading_the_fixture_twice_changes_nothing(db):
    call_command("loaddata", "readings", verbosity=0)
    first = StringIO()
    call_command("dumpdata", "readings", stdout=first)
    call_command("loaddata", "readings", verbosity=0)
    second = StringIO()
    call_command("dumpdata", "readings", stdout=second)
    assert first.getvalue() == second.getvalue()
    assert Reading.objects.count() == 4
    assert Section.objects.count() == 22
    assert Paragraph.objects.filter(reading__slug="destalinization").count() > 30


def test_fixture_matches_its_markdown_sources():
    # The fixture carries rendered HTML; it must be rebuilt whenever a source or the renderer
    # changes (manage.py build_readings_fixture).
    call_command("build_readings_fixture", "--check", stdout=StringIO())

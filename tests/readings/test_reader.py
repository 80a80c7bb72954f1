import re
from unittest import mock

import pytest
from django.urls import reverse

from readings.services import render_reading
from tests.factories import ReadingFactory
from tests.pages import page_text

pytestmark = pytest.mark.django_db


def _url(course, reading, position=None):
    if position is None:
        return reverse("reading-detail", args=[course.slug, reading.slug])
    return reverse("reading-section", args=[course.slug, reading.slug, position])


def test_reading_page_shows_the_whole_text_with_contents(client_for, cleo, course, thaw):
    page = client_for(cleo).get(_url(course, thaw)).content.decode()
    assert '<h1 id="reading-title"><bdi>The Thaw</bdi></h1>' in page
    assert "By Denis Kozlov" in page
    assert "About 1 minute" in page
    assert 'aria-labelledby="toc-title"' in page
    for anchor in ("s-1", "s-2", "s-3"):
        assert f'href="#{anchor}"' in page and f'id="{anchor}"' in page
    assert "Ehrenburg&#x27;s novel" in page or "Ehrenburg's novel" in page
    assert "<blockquote>" in page and "<table>" in page


def test_section_page_has_previous_and_next(client_for, cleo, course, thaw):
    page = client_for(cleo).get(_url(course, thaw, 2)).content.decode()
    assert "2 of 3" in page
    assert f'rel="prev" href="{_url(course, thaw, 1)}"' in page
    assert f'rel="next" href="{_url(course, thaw, 3)}"' in page
    assert "Ehrenburg" not in page  # only this section's text
    # An untitled section is named by its first words, not "Part 2".
    assert (
        '<h2 id="s-2-title" class="reading-section__title reading-section__title--alone">'
        "<bdi>An untitled part.</bdi></h2>" in page
    )
    assert "Part 2" not in page


def test_first_and_last_sections_have_one_neighbour(client_for, cleo, course, thaw):
    client = client_for(cleo)
    first = page_text(client.get(_url(course, thaw, 1)))
    assert f'rel="next" href="{_url(course, thaw, 2)}"' in first and 'rel="prev"' not in first
    last = page_text(client.get(_url(course, thaw, 3)))
    assert f'rel="prev" href="{_url(course, thaw, 2)}"' in last and 'rel="next"' not in last


@pytest.mark.parametrize("position", [0, 4, 999999])
def test_missing_section_is_404(client_for, cleo, course, thaw, position):
    assert client_for(cleo).get(_url(course, thaw, position)).status_code == 404


def test_every_block_has_a_numbered_anchor_and_permalink(client_for, cleo, course, thaw):
    page = client_for(cleo).get(_url(course, thaw)).content.decode()
    numbers = [int(n) for n in re.findall(r'id="p-(\d+)"', page)]
    assert numbers == list(range(1, 7))  # 1 paragraph, 2 items, 1 paragraph, 1 quote, 1 row
    for n in numbers:
        assert f'href="#p-{n}"' in page
    paragraphs = list(thaw.paragraphs.values_list("number", "kind", "text"))
    assert paragraphs[1] == (2, "item", "Releases")
    assert paragraphs[5] == (6, "row", "1956 — Hungary")


def test_anchors_survive_re_rendering(thaw):
    before = [s.body_html for s in thaw.sections.all()]
    render_reading(reading=thaw)
    assert [s.body_html for s in thaw.sections.all()] == before


def test_markdown_is_not_rendered_per_request(client_for, cleo, course, thaw):
    client = client_for(cleo)
    with mock.patch("destalin.markdown._md.parse", side_effect=AssertionError("rendered")):
        assert client.get(_url(course, thaw)).status_code == 200
        assert client.get(_url(course, thaw, 2)).status_code == 200


@pytest.mark.parametrize("size", [3, 60])
def test_reading_page_uses_a_constant_number_of_queries(
    client_for, cleo, course, django_assert_num_queries, size
):
    from tests.factories import AssignmentFactory

    long = ReadingFactory(
        sections=[(f"Part {n}", "One.\n\n- two\n- three") for n in range(size)],
    )
    AssignmentFactory(course=course, reading=long)
    client = client_for(cleo)
    client.get(_url(course, long))  # the first visit records the opening
    # One of them counts the notes in the margin, whatever their number.
    with django_assert_num_queries(8):
        response = client.get(_url(course, long))
    assert response.content.decode().count('class="reading-section"') == size


def test_reading_text_cannot_carry_script(client_for, cleo, course):
    from tests.factories import AssignmentFactory

    reading = ReadingFactory(
        sections=[
            ("T", "<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>")
        ]
    )
    AssignmentFactory(course=course, reading=reading)
    page = client_for(cleo).get(_url(course, reading)).content.decode()
    body = page[page.index('class="reading__text"') :]
    assert "<script>" not in body and "<img" not in body and 'href="javascript:' not in body
    assert "&lt;script&gt;" in body  # shown as text, harmless

"""The reader opens a long reading in as many queries as a short one, quotes and all."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.reader import chapter_text
from discussions.models import Quote
from readings.anchors import describe
from readings.services import edit_reading
from tests.factories import AssignmentFactory, ReadingFactory, make_post

pytestmark = pytest.mark.django_db


def _book(course, pages, post):
    reading = ReadingFactory(
        slug=f"book-{pages}",
        sections=[(f"Chapter {n + 1}", chapter_text(n * 10 + 1, 10)) for n in range(pages // 10)],
    )
    AssignmentFactory(course=course, reading=reading)
    for paragraph in reading.paragraphs.order_by("number")[::7]:
        passage = describe(paragraph.key, paragraph.text, "released prisoners")
        Quote.of_passage(
            passage, post=post, reading=reading, paragraph_number=paragraph.number
        ).save()
    return reading


def _queries(client, course, reading):
    url = reverse("reading-detail", args=[course.slug, reading.slug])
    client.get(url)  # the first visit records progress
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_a_300_page_reading_opens_in_as_many_queries_as_a_30_page_one(
    client_for, ada, cleo, course, prompt
):
    post = make_post(prompt, cleo, "A response that quotes both books.")
    short, long = _book(course, 30, post), _book(course, 300, post)
    client = client_for(cleo)
    short_count, _ = _queries(client, course, short)
    long_count, long_page = _queries(client, course, long)
    assert short_count == long_count
    assert long_page.count("quoted in 1 post") == long.paragraphs.count() // 7 + 1
    assert '<p class="page-marker">p. 300</p>' in long_page
    # Quotes whose words moved read the whole text once more: still the same for any length.
    for book in (short, long):
        first = book.sections.get(position=1)
        sections = [(s.title, s.body) for s in book.sections.all()]
        sections[0] = (first.title, first.body.replace("released prisoners", "freed prisoners"))
        edit_reading(reading=book, sections=sections, user=ada)
    assert (
        _queries(client, course, short)[0] == _queries(client, course, long)[0] == short_count + 1
    )

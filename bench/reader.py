"""Reader benchmark: `make bench`. Not a test; it never fails because a machine is slow.

A 30-page and a 300-page reading (about 350 words a page, ten paragraphs, a page marker of the
original on each, a chapter every ten pages, and quotes in posts), each opened whole by a
student: the median server time of the reader (through the whole middleware stack, test
client), its query count and size, and the 300-page reading's time as a ratio of the 30-page
one's (the issue asks for within 3 times). Timed in turn, round by round, so a noisy moment on the
shared machine falls on both.
"""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "destalin.settings_test")
django.setup()

from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.database import fresh_database  # noqa: E402
from bench.timing import interleaved_medians_ms  # noqa: E402

SIZES = [30, 300]
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "7"))
PAGES_PER_CHAPTER = 10
QUOTES = 40


def chapter_text(first_page, pages):
    """Markdown for ``pages`` pages from ``first_page`` on, as a PDF converter writes them."""
    from readings.intake.document import page_marker

    parts = []
    for page in range(first_page, first_page + pages):
        parts.append(page_marker(str(page)))
        parts += [
            f"Paragraph {n} of page {page}: the Thaw loosened censorship, released prisoners "
            "from the camps and let writers publish what had been unthinkable, though the "
            "limits were set by the party and shifted with the politics of the Presidium."
            for n in range(10)
        ]
    return "\n\n".join(parts)


def build(pages, course, student, prompt):
    from discussions.models import Quote
    from readings.anchors import describe
    from readings.models import Reading, Section
    from readings.services import assign_reading, render_reading
    from tests.factories import make_post

    reading = Reading.objects.create(slug=f"book-{pages}", title=f"A book of {pages} pages")
    Section.objects.bulk_create(
        Section(
            reading=reading,
            position=n + 1,
            title=f"Chapter {n + 1}",
            body=chapter_text(n * PAGES_PER_CHAPTER + 1, PAGES_PER_CHAPTER),
        )
        for n in range(pages // PAGES_PER_CHAPTER)
    )
    render_reading(reading=reading)
    assign_reading(course=course, reading=reading)
    post = make_post(prompt, student, f"A response quoting the book of {pages} pages.")
    paragraphs = list(reading.paragraphs.order_by("number"))
    step = max(1, len(paragraphs) // QUOTES)
    for paragraph in paragraphs[::step][:QUOTES]:
        passage = describe(paragraph.key, paragraph.text, "released prisoners")
        Quote.of_passage(
            passage, post=post, reading=reading, paragraph_number=paragraph.number
        ).save()
    return reading


def main():
    with fresh_database("reader"), override_settings(DEBUG=False):
        from destalin.models import Course, Membership, Role, User
        from tests.factories import PromptFactory

        course = Course.objects.create(title="Bench", code="BR", term="T", slug="bench-reader")
        student = User.objects.create_user(
            email="reader@example.edu", password="x", display_name="Reader"
        )
        Membership.objects.create(user=student, course=course, role=Role.STUDENT)
        prompt = PromptFactory(course=course)
        readings = [build(pages, course, student, prompt) for pages in SIZES]
        client = Client()
        client.force_login(student)
        urls = [f"/courses/{course.slug}/readings/{r.slug}/" for r in readings]
        for url in urls:
            assert client.get(url).status_code == 200
        timings = interleaved_medians_ms(
            *[(lambda url=url: client.get(url)) for url in urls], rounds=ROUNDS
        )
        print(f"\nReader on {connection.vendor} (median of {ROUNDS}, milliseconds)")
        print(f"{'pages':>6} {'paragraphs':>11} {'page':>9} {'queries':>8} {'kB':>7}")
        for pages, reading, url, ms in zip(SIZES, readings, urls, timings, strict=True):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            print(
                f"{pages:>6} {reading.paragraphs.count():>11} {ms:>9.1f} {len(queries):>8} "
                f"{len(response.content) // 1024:>7}"
            )
        print(f"300 pages / 30 pages: {timings[1] / timings[0]:.2f} times (the issue asks <= 3)")


if __name__ == "__main__":
    main()

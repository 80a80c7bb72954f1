"""A prompt's posts exported for archiving and research, and participation analytics."""

import csv
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from destalin import times
from discussions import post_services as discussion_post_services
from discussions.grading.models import Grade
from discussions.models import Post, Quote
from tests.factories import make_post
from tests.grading.steps import grade_form, grader_url

pytestmark = pytest.mark.django_db


def _export(client, prompt, fmt):
    return client.get(
        reverse(
            "grading:export", kwargs={"course": prompt.course.slug, "pk": prompt.pk, "fmt": fmt}
        )
    )


def test_json_export_carries_every_version_with_its_time_and_the_graded_one(
    client, ada, cleo, graded, posts
):
    client.force_login(ada)
    graded.course.time_zone = "America/New_York"
    graded.course.save()
    client.post(grader_url(graded, cleo), grade_form())
    response_post = posts["cleo_response"]
    discussion_post_services.edit_post(post=response_post, editor=cleo, body="Changed.")
    response = _export(client, graded, "json")
    assert response.status_code == 200
    rows = {row["id"]: row for row in json.loads(response.content)["posts"]}
    assert len(rows) == 4
    row = rows[response_post.pk]
    response_post.refresh_from_db()
    revision = response_post.revisions.get()
    first = {
        "version": 1,
        "written": times.iso(revision.created_at, graded.course),
        "replaced": times.iso(revision.replaced_at, graded.course),
        "text": "Cleo argues the speech broke the spell of Stalin.",
    }
    second = {
        "version": 2,
        "written": times.iso(response_post.edited_at, graded.course),
        "replaced": None,
        "text": "Changed.",
    }
    assert row["versions"] == [first, second]
    assert row["graded_version"] == first  # graded before the edit
    assert row["text"] == "Changed." and row["modified"] is not None and row["parent"] is None
    # ISO 8601 with the course zone's offset (New York: -05:00 or -04:00).
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d-0[45]:00", first["written"])
    reply_row = rows[posts["cleo_reply"].pk]
    assert reply_row["parent"] == posts["dora_response"].pk and reply_row["author"] == "Cleo"
    assert reply_row["graded_version"]["version"] == 1 and len(reply_row["versions"]) == 1
    assert rows[posts["dora_answer"].pk]["graded_version"] is None  # Dora is not graded


def test_json_export_writes_quoted_passages_as_fields(client, ada, course, world):
    client.force_login(ada)
    post = Post.objects.get(pk=world["post"])
    row = json.loads(_export(client, post.prompt, "json").content)["posts"][0]
    quote = Quote.objects.get(pk=world["quote"])
    assert row["quoted_passages"] == [
        {
            "reading": "The Thaw",
            "reading_slug": "the-thaw",
            "block": f"p-{quote.block_key}",
            "paragraph": 1,
            "words": "Ehrenburg's novel gave the era its name.",
            "prefix": quote.prefix,
            "suffix": quote.suffix,
        }
    ]


def test_csv_export_has_a_row_per_version_and_quotes_in_columns(client, ada, cleo, course, world):
    client.force_login(ada)
    post = Post.objects.get(pk=world["post"])
    make_post(post.prompt, cleo, "=1+1 looks like a formula.")
    client.post(grader_url(post.prompt, cleo), grade_form())
    discussion_post_services.edit_post(post=post, editor=cleo, body=post.body + " Edited.")
    response = _export(client, post.prompt, "csv")
    rows = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    )
    assert [(r["id"], r["version"], r["versions"]) for r in rows] == [
        (str(post.pk), "1", "2"), (str(post.pk), "2", "2"), (rows[2]["id"], "1", "1"),
    ]  # fmt: skip
    old, new, formula = rows
    assert (old["is_graded"], old["is_current"], new["is_graded"], new["is_current"]) == (
        "yes", "no", "no", "yes",
    )  # fmt: skip
    assert new["text"].endswith(" Edited.") and not old["text"].endswith(" Edited.")
    assert old["replaced"] == new["written"] != ""
    # The quotes recorded for the current text, as fields of its row.
    assert (new["quote_1_reading"], new["quote_1_block"], new["quote_1_words"]) == (
        "The Thaw", "p-1", "Ehrenburg's novel gave the era its name.",
    )  # fmt: skip
    assert old["quote_1_reading"] == "" and "quote_2_reading" not in new
    assert formula["text"] == "'=1+1 looks like a formula." and formula["late"] == "no"


def test_discussion_export_queries_do_not_grow_with_the_posts(client, ada, cleo, dora, graded):
    client.force_login(ada)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            for fmt in ("json", "csv"):
                response = _export(client, graded, fmt)
                if fmt == "csv":
                    b"".join(response.streaming_content)
        return len(captured)

    first = make_post(graded, cleo, "One.")
    discussion_post_services.edit_post(post=first, editor=cleo, body="One, edited.")
    queries()  # the session's first requests write what later ones only read
    few = queries()
    for n in range(6):
        post = make_post(graded, dora, f"More {n}.")
        discussion_post_services.edit_post(post=post, editor=dora, body=f"More {n}, edited.")
    assert queries() == few


def test_exports_are_for_teachers_and_only_in_known_formats(client, ada, cleo, graded):
    client.force_login(cleo)
    assert _export(client, graded, "json").status_code == 403
    client.force_login(ada)
    assert _export(client, graded, "xml").status_code == 404


def _analytics(client, prompt=None, course=None):
    if prompt is not None:
        url = reverse(
            "grading:prompt-analytics", kwargs={"course": prompt.course.slug, "pk": prompt.pk}
        )
    else:
        url = reverse("grading:course-analytics", kwargs={"course": course.slug})
    return client.get(url)


def test_prompt_analytics_counts_and_names_who_has_not_posted(
    client, ada, ben, cleo, dora, course, graded, posts
):
    from tests.factories import MembershipFactory, UserFactory

    quiet = UserFactory(display_name="Quiet Quentin", email="q@example.edu")
    MembershipFactory(course=course, user=quiet)
    client.force_login(ben)
    client.post(grader_url(graded, cleo), grade_form(score="8"))
    response = _analytics(client, prompt=graded)
    assert response.status_code == 200
    page = response.content.decode()
    counts = response.context["counts"][0]
    assert (counts.responses, counts.replies, counts.posters) == (2, 2, 2)
    assert "Quiet Quentin" in page and "mailto:?bcc=q@example.edu" in page
    assert page.count("<svg") == 3
    for chart in response.context["charts"]:
        ET.fromstring(str(chart.svg))  # well-formed
    histogram, over_time, matrix = response.context["charts"]
    assert ("8–9", "1") in histogram.rows
    assert sum(int(row[3]) for row in over_time.rows) == 4
    assert matrix.headers == ("Replied", "Cleo", "Dora")
    assert matrix.rows == (("Cleo", "0", "1"), ("Dora", "1", "0"))


def test_course_analytics_covers_every_published_prompt(client, ada, course, graded, posts, prompt):
    client.force_login(ada)
    response = _analytics(client, course=course)
    assert response.status_code == 200
    titles = [row.prompt.title for row in response.context["counts"]]
    assert graded.title in titles and prompt.title in titles


def test_analytics_hide_nothing_from_teachers_and_show_nothing_to_students(
    client, cleo, course, graded
):
    client.force_login(cleo)
    assert _analytics(client, prompt=graded).status_code == 403
    assert _analytics(client, course=course).status_code == 403
    assert not Grade.objects.exists()

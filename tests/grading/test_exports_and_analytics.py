"""A prompt's posts exported for archiving and research, and participation analytics."""

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from discussions import post_services as discussion_post_services
from discussions.grading.models import Grade
from tests.factories import make_post
from tests.grading.steps import grade_form, grader_url

pytestmark = pytest.mark.django_db


def _export(client, prompt, fmt):
    return client.get(
        reverse(
            "grading:export", kwargs={"course": prompt.course.slug, "pk": prompt.pk, "fmt": fmt}
        )
    )


def test_json_export_has_one_row_per_post_with_the_graded_version(client, ada, cleo, graded, posts):
    client.force_login(ada)
    client.post(grader_url(graded, cleo), grade_form())
    discussion_post_services.edit_post(post=posts["cleo_response"], editor=cleo, body="Changed.")
    response = _export(client, graded, "json")
    assert response.status_code == 200
    rows = {row["id"]: row for row in json.loads(response.content)["posts"]}
    assert len(rows) == 4
    response_row = rows[posts["cleo_response"].pk]
    assert response_row["text"] == "Changed." and response_row["graded_version"] == 0
    assert response_row["modified"] is not None and response_row["parent"] is None
    reply_row = rows[posts["cleo_reply"].pk]
    assert reply_row["parent"] == posts["dora_response"].pk and reply_row["author"] == "Cleo"
    assert rows[posts["dora_answer"].pk]["graded_version"] is None  # Dora is not graded


def test_csv_export_neutralises_formulas_and_lists_quotes(client, ada, cleo, course, world):
    from discussions.models import Post

    client.force_login(ada)
    post = Post.objects.get(pk=world["post"])
    make_post(post.prompt, cleo, "=1+1 looks like a formula.")
    response = _export(client, post.prompt, "csv")
    rows = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    )
    assert [r["text"] for r in rows][1] == "'=1+1 looks like a formula."
    assert "The Thaw, ¶ 1: Ehrenburg's novel gave the era its name." in rows[0]["quoted_passages"]
    assert rows[0]["late"] == "no"


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

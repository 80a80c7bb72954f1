"""What the instructor sees of a reading's margin: notes and questions per paragraph (a quiet
strip in the reader, a table on the margin's page), where the class asks most, who has not
annotated yet, and the notes as W3C Web Annotation JSON-LD and as CSV."""

import csv
import io
import json

import pytest
from django.urls import reverse

from discussions.models import Visibility
from discussions.note_services import post_note
from readings.models import Paragraph
from tests.factories import MembershipFactory, make_post
from tests.pages import page_text

pytestmark = pytest.mark.django_db


def _note(author, course, thaw, number, body, **kwargs):
    return post_note(
        course=course,
        author=author,
        role=author.memberships.get(course=course).role,
        paragraph=Paragraph.objects.get(reading=thaw, number=number),
        exact=kwargs.pop("exact", ""),
        body=body,
        visibility=kwargs.pop("visibility", Visibility.COURSE),
        **kwargs,
    )


@pytest.fixture
def annotated(course, thaw, cleo, dora):
    """Cleo and Dora annotate The Thaw: three notes on ¶ 1 (two questions), a question on
    ¶ 4, Cleo's private note on ¶ 6, and Dora's reply to Cleo."""
    first = _note(cleo, course, thaw, 1, "Whose novel was this?", is_question=True,
                  exact="Ehrenburg's novel")  # fmt: skip
    _note(dora, course, thaw, 1, "Why did the name stick?", is_question=True)
    _note(dora, course, thaw, 1, "The name outlived the book.")
    _note(cleo, course, thaw, 4, "What part is untitled here?", is_question=True)
    _note(cleo, course, thaw, 6, "Remember 1956 for the essay.", visibility="private")
    make_post(first.prompt, dora, "Ilya Ehrenburg's, published in 1954.", parent=first)
    return first


def test_the_margin_page_shows_where_the_class_asks_most_and_who_has_not_annotated(
    client_for, course, thaw, ada, cleo, dora, annotated
):
    silent = MembershipFactory(course=course, role="student").user
    url = reverse("discussions:margin", args=[course.slug, thaw.slug])
    page = page_text(client_for(ada).get(url))
    asked = page[page.index("Where the class asks most") : page.index("Paragraphs with notes")]
    assert asked.index("¶ 1:") < asked.index("¶ 4:")
    assert "2 questions" in asked and "1 question" in asked
    missing = page[page.index("Not annotated yet") :]
    assert f"<bdi>{silent.display_name}</bdi>" in missing
    assert "<bdi>Cleo</bdi>" not in missing and "<bdi>Dora</bdi>" not in missing
    # A student sees counts of what they may read, and no list of classmates.
    student_page = page_text(client_for(dora).get(url))
    assert "Not annotated yet" not in student_page and "Paragraphs with notes" in student_page
    assert "¶ 6</a>" not in student_page and "¶ 6</a>" in page_text(client_for(cleo).get(url))


def test_teachers_see_a_heat_strip_in_the_reader_and_students_do_not(
    client_for, course, thaw, ada, cleo, annotated
):
    reader = reverse("reading-detail", args=[course.slug, thaw.slug])
    teacher = page_text(client_for(ada).get(reader))
    assert 'class="para-notes heat-4"' in teacher  # ¶ 1, the busiest
    assert 'class="para-notes heat-2"' in teacher  # ¶ 4, one note against three
    student = page_text(client_for(cleo).get(reader))
    assert 'class="para-notes"' in student and "heat-" not in student


def test_the_notes_export_as_w3c_web_annotations(client_for, course, thaw, ada, annotated):
    url = reverse("discussions:margin-export", args=[course.slug, thaw.slug, "jsonld"])
    response = client_for(ada).get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    data = json.loads(response.content)
    # The Web Annotation Data Model, sections 3.1 (annotation), 3.2 (bodies), 4.2
    # (selectors) and 5 (collections): what every annotation must carry.
    assert data["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert data["type"] == "AnnotationCollection"
    page = data["first"]
    assert page["type"] == "AnnotationPage" and data["total"] == len(page["items"]) == 5
    for item in page["items"]:
        assert item["type"] == "Annotation"
        assert item["id"].startswith("http") and "target" in item
        assert item["body"]["type"] == "TextualBody" and item["body"]["value"]
        assert item["motivation"] in {"commenting", "questioning", "replying"}
        assert item["created"][-6] in "+-"  # ISO 8601 with the course zone's offset
    by_body = {item["body"]["value"]: item for item in page["items"]}
    assert "Remember 1956 for the essay." not in by_body  # private: Cleo's alone
    question = by_body["Whose novel was this?"]
    assert question["motivation"] == "questioning"
    target = question["target"]
    assert target["source"].endswith(reverse("reading-detail", args=[course.slug, thaw.slug]))
    quote, fragment = target["selector"]
    assert quote == {
        "type": "TextQuoteSelector",
        "exact": "Ehrenburg's novel",
        "prefix": "",
        "suffix": " gave the era its name.",
    }
    assert fragment["type"] == "FragmentSelector" and fragment["value"] == "p-1"
    assert fragment["refinedBy"] == {"type": "TextPositionSelector", "start": 0, "end": 17}
    reply = by_body["Ilya Ehrenburg's, published in 1954."]
    assert reply["motivation"] == "replying" and reply["target"] == question["id"]


def test_the_notes_export_as_csv_with_a_byte_order_mark(client_for, course, thaw, ada, annotated):
    url = reverse("discussions:margin-export", args=[course.slug, thaw.slug, "csv"])
    body = b"".join(client_for(ada).get(url).streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body[1:])))
    assert rows[0][:3] == ["id", "reply to", "author"] and len(rows) == 6
    assert [rows[1][2], *rows[1][4:7]] == ["Cleo", "1", "Ehrenburg's novel", "yes"]


def test_only_teachers_export_and_only_in_known_formats(client_for, course, thaw, ada, cleo):
    url = reverse("discussions:margin-export", args=[course.slug, thaw.slug, "jsonld"])
    assert client_for(cleo).get(url).status_code == 403
    xml = reverse("discussions:margin-export", args=[course.slug, thaw.slug, "xml"])
    assert client_for(ada).get(xml).status_code == 404
    assert client_for(ada).get(url).status_code == 200

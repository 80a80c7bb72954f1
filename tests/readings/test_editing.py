"""Instructors edit a reading in the browser: Markdown with a preview, every save a version,
links that follow the words, a warning about the posts that point into the text."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from discussions.selectors import quote_markdown
from readings.models import Paragraph, Reading
from readings.services import edit_reading
from readings.sources import write_source
from tests.factories import AssignmentFactory, make_post
from tests.pages import page_text

pytestmark = pytest.mark.django_db


def _edit_url(course, reading):
    return reverse("reading-edit", args=[course.slug, reading.slug])


def _reader(course, reading):
    return reverse("reading-detail", args=[course.slug, reading.slug])


def _text(reading):
    return write_source([(s.title, s.body) for s in reading.sections.all()])


def test_the_editor_shows_the_whole_text_as_markdown_with_sections(client_for, ada, course, thaw):
    page = page_text(client_for(ada).get(_edit_url(course, thaw)))
    assert "## Origins\n\nEhrenburg&#x27;s novel gave the era its name." in page
    assert "##\n\nAn untitled part." in page
    assert "No post quotes this reading yet." in page
    assert "“&lt;!-- page: 42 --&gt;” on its own line marks where page 42" in page
    assert 'name="base" value="1"' in page  # the version it was opened at


def test_preview_renders_without_saving(client_for, ada, course, thaw):
    text = _text(thaw).replace("gave the era its name", "gave the *era* its name")
    response = client_for(ada).post(
        _edit_url(course, thaw), {"text": text, "base": 1, "action": "preview"}
    )
    page = page_text(response)
    assert "gave the <em>era</em> its name" in page
    assert "Not saved yet." in page
    assert thaw.versions.count() == 1
    assert "gave the era its name" in Paragraph.objects.get(reading=thaw, key=1).text


def test_saving_keeps_the_version_before_and_carries_the_blocks(client_for, ada, course, thaw):
    text = _text(thaw).replace("## Origins\n\n", "## Origins\n\nA new first paragraph.\n\n")
    response = client_for(ada).post(
        _edit_url(course, thaw),
        {"text": text, "base": 1, "note": "An opening line", "action": "save"},
    )
    assert response.status_code == 302 and response["Location"] == _reader(course, thaw)
    versions = list(thaw.versions.all())
    assert [(v.number, v.note, v.created_by) for v in versions] == [
        (2, "An opening line", ada),
        (1, "", None),  # as the reading was created
    ]
    assert versions[1].sections.get(position=1).body.startswith("Ehrenburg")
    assert versions[0].block_keys == [7, 1, 2, 3, 4, 5, 6]
    page = page_text(client_for(ada).get(_reader(course, thaw)))
    # #p-1 still lands on Ehrenburg's sentence, which now reads as ¶ 2.
    assert (
        '<p id="p-1" class="para"><a class="para-link" href="#p-1" '
        'aria-label="Paragraph 2, link">¶ 2</a>' in page
    )
    assert '<p id="p-7" class="para"><a class="para-link" href="#p-7"' in page


def test_a_link_to_a_removed_paragraph_says_so(client_for, ada, cleo, course, thaw):
    text = _text(thaw).replace("- Releases\n", "")
    edit_reading(reading=thaw, sections=_sections(text), user=ada)
    page = page_text(client_for(cleo).get(_reader(course, thaw)))
    assert (
        '<p class="anchor-gone notice" id="p-2" tabindex="-1">The passage you were linked to '
        "(¶ 2 when it was removed) is no longer in this reading. It read: “<bdi>Releases</bdi>”"
        in page
    )
    assert 'id="p-3" class="para"' in page  # Rehabilitations keeps its key, now ¶ 2


def test_editing_warns_how_many_posts_point_into_the_reading(
    client_for, ada, cleo, dora, course, thaw, prompt, other_course
):
    AssignmentFactory(course=other_course, reading=thaw)
    for author in (cleo, dora):
        paragraph = Paragraph.objects.select_related("reading", "section").get(reading=thaw, key=1)
        make_post(
            prompt, author, quote_markdown(course=course, paragraph=paragraph, text=paragraph.text)
        )
    page = page_text(client_for(ada).get(_edit_url(course, thaw)))
    assert "2 posts quote this reading." in page
    assert f"also assigned in <bdi>{other_course.code}</bdi>" in page
    text = _text(thaw).replace("Ehrenburg's novel gave the era its name.", "Rewritten entirely.")
    preview = page_text(
        client_for(ada).post(
            _edit_url(course, thaw), {"text": text, "base": 1, "action": "preview"}
        )
    )
    assert "With this edit, 2 quoted passages would no longer be found as they were." in preview
    unchanged = page_text(
        client_for(ada).post(
            _edit_url(course, thaw), {"text": _text(thaw), "base": 1, "action": "preview"}
        )
    )
    assert "With this edit, every quoted passage is still found." in unchanged


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "This field is required."),
        ("## Only a title\n", "A reading needs some text."),
        ("---\ntitle: x\n\nNo closing line.", "The front matter has no closing"),
        ("x" * (2 * 1024 * 1024 + 1), "The text is too long"),
    ],
)
def test_bad_text_is_refused_and_nothing_changes(client_for, ada, course, thaw, text, message):
    response = client_for(ada).post(
        _edit_url(course, thaw), {"text": text, "base": 1, "action": "save"}
    )
    page = page_text(response, status=400)
    assert message in page
    assert thaw.versions.count() == 1
    assert Paragraph.objects.filter(reading=thaw).count() == 6


def test_a_save_over_a_newer_edit_is_refused(client_for, ada, ben, course, thaw):
    edit_reading(reading=thaw, sections=_sections(_text(thaw) + "\nBen's line.\n"), user=ben)
    response = client_for(ada).post(
        _edit_url(course, thaw), {"text": "Ada wrote this.", "base": 1, "action": "save"}
    )
    assert "edited by someone else after you opened it" in page_text(response, status=400)
    assert "Ada wrote this." in page_text(response, status=400)  # her words stay in the form
    assert thaw.versions.count() == 2  # created, and Ben's edit
    assert not Paragraph.objects.filter(reading=thaw, text="Ada wrote this.").exists()


def test_tas_edit_only_when_the_course_lets_them(client_for, ben, cleo, course, thaw):
    assert client_for(ben).get(_edit_url(course, thaw)).status_code == 200
    assert client_for(cleo).get(_edit_url(course, thaw)).status_code == 403
    course.tas_may_assign_readings = False
    course.save()
    assert client_for(ben).get(_edit_url(course, thaw)).status_code == 403
    response = client_for(ben).post(
        _edit_url(course, thaw), {"text": "Ben's text.", "base": 1, "action": "save"}
    )
    assert response.status_code == 403
    assert thaw.versions.count() == 1


def test_the_versions_page_lists_every_version_in_constant_queries(client_for, ada, course, thaw):
    client = client_for(ada)
    url = reverse("readings:versions", args=[course.slug, thaw.slug])
    assert "Version 1 (current)" in page_text(client.get(url))
    edit_reading(reading=thaw, sections=_sections(_text(thaw) + "\nOne.\n"), user=ada, note="one")
    with CaptureQueriesContext(connection) as two:
        page = page_text(client.get(url))
    assert "Version 2 (current)" in page and "Version 1," in page and "<bdi>one</bdi>" in page
    for n in range(3):
        edit_reading(reading=thaw, sections=_sections(_text(thaw) + f"\nMore {n}.\n"), user=ada)
    with CaptureQueriesContext(connection) as five:
        assert "Version 5 (current)" in page_text(client.get(url))
    assert len(five) == len(two)


def test_a_loaded_reading_keeps_its_text_as_version_one_at_its_first_edit(
    client_for, ada, course, seed_readings
):
    reading = seed_readings["destalinization"]
    url = reverse("readings:versions", args=[course.slug, reading.slug])
    assert "has not been edited since it was loaded" in page_text(client_for(ada).get(url))
    before = _text(reading)
    edit_reading(reading=reading, sections=_sections(before + "\nAdded.\n"), user=ada)
    first = Reading.objects.get(pk=reading.pk).versions.get(number=1)
    assert write_source([(s.title, s.body) for s in first.sections.all()]) == before
    assert first.block_keys == list(range(1, len(first.block_keys) + 1))


def _sections(text):
    from readings.sources import parse_source

    return parse_source(text).sections

"""People's text in places that hold no markup (the page's <title>, the meta description,
<option> labels, attribute values, chart text) carries no bidi controls: a U+202E in a name
or a title would otherwise reverse the rest of the tab's title or of a screen reader's label.
The words themselves stay, and a checkbox label (which can hold markup) isolates them."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from destalin.text import _BIDI_CONTROLS
from discussions.moderation.services import hide_post
from tests.factories import AssignmentFactory, PromptFactory, ReadingFactory, make_post
from tests.grading.steps import grader_url

pytestmark = pytest.mark.django_db

RLO = "\u202e"
CONTROLS = re.compile("[" + "".join(map(chr, _BIDI_CONTROLS)) + "]")


class _PlainPlaces(HTMLParser):
    """Collects the text of <title>, <option> and SVG <title>/<text>, and every attribute."""

    PLAIN = {"title", "option", "text", "desc"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open, self.texts, self.attributes = [], [], []

    def handle_starttag(self, tag, attrs):
        self.attributes += [value for _, value in attrs if value]
        self.open.append(tag)

    def handle_endtag(self, tag):
        if tag in self.open:
            del self.open[len(self.open) - 1 - self.open[::-1].index(tag) :]

    def handle_data(self, data):
        if self.open and self.open[-1] in self.PLAIN:
            self.texts.append(data)


def _plain_places(page):
    parser = _PlainPlaces()
    parser.feed(page)
    return parser


@pytest.fixture
def rtl_world(ada, ben, cleo, dora, course):
    """A course where a teacher's and a student's names, the course's title, a prompt's title
    and a reading's title each carry a right-to-left override."""
    ada.display_name = f"Ada {RLO}lead"
    ada.save(update_fields=["display_name"])
    cleo.display_name = f"Cleo {RLO}evil"
    cleo.save(update_fields=["display_name"])
    course.title = f"Soviet {RLO}history"
    course.save(update_fields=["title"])
    prompt = PromptFactory(course=course, title=f"Thaw {RLO}or not", points_possible=10)
    post = make_post(prompt, cleo, "My response with enough words to show.")
    hide_post(post=post, by=ada, reason="Checking")
    AssignmentFactory(course=course, reading=ReadingFactory(title=f"Speech {RLO}text"))
    ReadingFactory(title=f"Memoir {RLO}part")  # in the library, not yet assigned
    return prompt, post


def test_page_titles_options_attributes_and_charts_carry_no_bidi_controls(
    client_for, ada, cleo, course, rtl_world
):
    prompt, post = rtl_world
    slug = course.slug
    pages = {
        # <title> with the prompt's title, <nav aria-label> naming it, the course in the meta
        # description.
        prompt.get_absolute_url(): ["Thaw or not", "Prompt: Thaw or not", "Soviet history"],
        # <title> with a student's name.
        reverse("discussions:post-moderate", args=[slug, post.pk]): ["Moderate Cleo evil's"],
        grader_url(prompt, cleo): ["Cleo evil · Grade · Thaw or not"],
        # <option> labels: the gradebook's grader filter (a template), the extension's
        # student and the audit log's person (Django forms), the reading to assign.
        reverse("grading:gradebook", kwargs={"course": slug}): ["Ada lead"],
        reverse("discussions:extensions", args=[slug, prompt.pk]): ["Cleo evil"],
        reverse("discussions:audit-log", args=[slug]): ["Ada lead"],
        reverse("readings:assign", args=[slug]): ["Memoir part"],
        # SVG <title> of the analytics charts.
        reverse("grading:prompt-analytics", kwargs={"course": slug, "pk": prompt.pk}): [
            "Scores, Thaw or not"
        ],
    }
    client = client_for(ada)
    for url, expected in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        places = _plain_places(response.content.decode())
        plain = places.texts + places.attributes
        assert not [text for text in plain if CONTROLS.search(text)], url
        for words in expected:
            assert any(words in text for text in plain), (url, words)


def test_option_labels_lose_only_the_controls_and_checkbox_labels_are_isolated(
    client_for, ada, course, rtl_world
):
    page = client_for(ada).get(reverse("discussions:prompt-create", args=[course.slug]))
    html = page.content.decode()
    # A checkbox's label is markup: the reading's title keeps its text, isolated in <bdi>.
    assert f"<bdi>Speech {RLO}text</bdi></label>" in html
    assert html.count(f"Speech {RLO}text") == 1

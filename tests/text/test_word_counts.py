"""Words are counted from what the reader sees, once (``destalin.text.count_words``), and that
one count decides the minimum, the reveal rule, the grader's figures and analytics."""

import pytest
from django.urls import reverse

from destalin.text import count_words, visible_text
from discussions.models import RevealMode
from discussions.post_services import edit_post
from tests.factories import PromptFactory, make_post
from tests.grading.steps import grader_url

# "Agreed." and an image whose alt text has 25 words: the page shows one word.
ALT = " ".join(f"word{n}" for n in range(25))
AGREED = f"Agreed. ![{ALT}](https://example.edu/picture.png)"


@pytest.mark.parametrize(
    ("html", "words"),
    [
        ("<p>Agreed.</p>", 1),
        (f'<p>Agreed. <img src="x.png" alt="{ALT}"></p>', 1),
        ("<p>one</p><p>two</p>", 2),
        ("<p>em<strong>pha</strong>sis</p>", 1),
        ("<p>line<br>break</p>", 2),
        ("<p>Хрущёв — Dubček, 1956 !</p>", 3),
        ("<p>&amp; &mdash; \u200b</p>", 0),
        ("<p>tom&amp;jerry don&#x27;t</p>", 2),
        ("<script>var a = 1;</script><p>seen</p><p hidden>not seen</p>", 1),
    ],
)
def test_words_are_what_the_page_shows(html, words):
    assert count_words(html) == words


def test_block_quotes_are_left_out_of_ones_own_words():
    html = "<blockquote><p>three quoted words</p></blockquote><p>my two</p>"
    assert count_words(html) == 5
    assert count_words(html, quotes=False) == 2


def test_visible_text_keeps_blocks_apart_and_is_empty_when_nothing_shows():
    assert visible_text("<p>one</p><ul><li>two</li></ul>") == "one\ntwo"
    assert visible_text("<p>\u200b\u200d\u202e</p>") == ""
    assert visible_text('<p><img alt="only a picture"></p>') == ""


@pytest.mark.django_db
def test_an_image_alt_text_neither_meets_the_minimum_nor_reveals(client_for, cleo, dora, course):
    prompt = PromptFactory(
        course=course, reveal_mode=RevealMode.AFTER_POST, min_words=20, required_responses=1
    )
    make_post(prompt, dora, "Dora's secret argument about the Thaw and its limits.")
    post = make_post(prompt, cleo, AGREED)
    assert post.word_count == 1
    standing = prompt.participations.get(user=cleo)
    assert (standing.words, standing.qualifying_responses, standing.unlocked_at) == (1, 0, None)
    page = client_for(cleo).get(prompt.get_absolute_url()).content.decode()
    assert "Agreed." in page and "secret argument" not in page


@pytest.mark.django_db
def test_an_edit_counts_the_rendered_text_again(cleo, prompt):
    post = make_post(prompt, cleo, "Two words.")
    edit_post(post=post, editor=cleo, body=AGREED + " And *three* more.")
    post.refresh_from_db()
    assert post.word_count == 4


@pytest.mark.django_db
def test_grader_and_analytics_show_the_visible_count(client_for, ada, cleo, graded):
    make_post(graded, cleo, AGREED)
    client = client_for(ada)
    rows = client.get(grader_url(graded)).context["rows"]
    assert [row.participation.words for row in rows if row.student == cleo] == [1]
    url = reverse(
        "grading:prompt-analytics", kwargs={"course": graded.course.slug, "pk": graded.pk}
    )
    counts = client.get(url).context["counts"][0]
    assert (counts.responses, counts.words) == (1, 1)

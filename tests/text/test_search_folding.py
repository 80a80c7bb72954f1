"""Search ignores case and accents in every script, on both databases, with the same results:
text and query are folded the same way, and PostgreSQL still answers from its indexes."""

import pytest
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.urls import reverse

from destalin.search import SEARCH_CONFIG, StoredVector
from destalin.text import fold
from discussions.models import Post
from readings.models import Paragraph
from tests.factories import AssignmentFactory, PromptFactory, ReadingFactory, make_post

pytestmark = pytest.mark.django_db

on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")


@pytest.fixture
def texts(course, cleo):
    reading = ReadingFactory(
        sections=[
            ("Thaw", "Хрущёв denounced Stalin in 1956.\n\nThe Prague Spring ended in 1968."),
            ("Poland", "Wałęsa led Solidarity from Gdańsk."),
        ]
    )
    AssignmentFactory(course=course, reading=reading)
    prompt = PromptFactory(course=course)
    make_post(prompt, cleo, "Dubček wanted socialism with a human face.")
    return reading


def _results(client, course, query):
    response = client.get(reverse("course-search", args=[course.slug]), {"q": query})
    assert response.status_code == 200
    context = response.context
    return (
        [hit.item.text for hit in context["reading_hits"]],
        [hit.item.body for hit in context["post_hits"]],
        response.content.decode(),
    )


@pytest.mark.parametrize("query", ["Хрущёв", "хрущёв", "ХРУЩЁВ", "Хрущев", "хрущев", "ХРУЩЕВ"])
def test_khrushchev_is_found_in_any_case_with_or_without_the_diaeresis(
    client_for, cleo, course, texts, query
):
    paragraphs, posts, page = _results(client_for(cleo), course, query)
    assert paragraphs == ["Хрущёв denounced Stalin in 1956."]
    assert posts == []
    assert "<mark>Хрущёв</mark>" in page


@pytest.mark.parametrize("query", ["Dubcek", "dubček", "DUBCEK", "Dubček"])
def test_dubcek_is_found_with_or_without_the_hacek(client_for, cleo, course, texts, query):
    paragraphs, posts, page = _results(client_for(cleo), course, query)
    assert (paragraphs, posts) == ([], ["Dubček wanted socialism with a human face."])
    assert "<mark>Dubček</mark>" in page


@pytest.mark.parametrize("query", ["Walesa", "wałęsa gdansk", "WALESA Gdańsk"])
def test_letters_that_do_not_decompose_fold_too(client_for, cleo, course, texts, query):
    paragraphs, _, page = _results(client_for(cleo), course, query)
    assert paragraphs == ["Wałęsa led Solidarity from Gdańsk."]
    assert "<mark>Wałęsa</mark>" in page


def test_a_word_absent_everywhere_finds_nothing(client_for, cleo, course, texts):
    paragraphs, posts, page = _results(client_for(cleo), course, "Брежнев")
    assert (paragraphs, posts) == ([], [])
    assert "Readings: 0 results" in page


def test_fold_is_the_same_for_text_and_query():
    assert {fold(w) for w in ["Хрущёв", "хрущёв", "ХРУЩЁВ", "Хрущев"]} == {"хрущев"}
    assert fold("Dubček") == fold("DUBCEK") == "dubcek"
    assert fold("Straße Łódź Ørsted") == "strasse lodz orsted"
    assert fold("hid\u00adden\u200bword") == "hiddenword"


NAMES = [
    "Хрущёв", "ХРУЩЁВ", "Dubček", "Wałęsa", "Łódź", "Gdańsk", "Straße", "Ørsted", "Æsir",
    "Đurić", "Ústí nad Labem", "Şişli", "Ceauşescu", "Nagy Imre", "Gomułka", "Zápotocký",
    "Ἀθῆναι", "Tiếng Việt", "Crème brûlée", "ﬁne",
]  # fmt: skip


@on_postgres
def test_python_and_postgresql_fold_alike():
    with connection.cursor() as cursor:
        cursor.execute("SELECT lower(unaccent(x)) FROM unnest(%s::text[]) x", [NAMES])
        folded_by_postgres = [row[0] for row in cursor.fetchall()]
    assert [fold(name) for name in NAMES] == folded_by_postgres


@on_postgres
def test_postgresql_search_stays_on_its_indexes(texts):
    def plan(queryset, field, vector=None):
        vector = vector or SearchVector(field, config=SEARCH_CONFIG)
        query = SearchQuery("хрущев dubcek", config=SEARCH_CONFIG, search_type="websearch")
        rows = queryset.annotate(v=vector).filter(v=query).order_by().values("pk")
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            return rows.explain()

    assert "paragraph_search" in plan(Paragraph.objects.all(), "text")
    # Posts: the stored vector, indexed with the prompt (discussions migration 0014); a
    # multicolumn GIN index serves a condition on its second column alone too.
    assert "post_search" in plan(Post.objects.all(), "body", StoredVector("search_vector"))


@on_postgres
def test_the_stored_vector_follows_an_edited_post(texts, client, course, cleo):
    post = Post.objects.get()
    Post.objects.filter(pk=post.pk).update(body="Brezhnev came after Khrushchev.")
    client.force_login(cleo)

    response = client.get(reverse("course-search", args=[course.slug]), {"q": "brezhnev"})
    stale = client.get(reverse("course-search", args=[course.slug]), {"q": "dubcek"})

    assert b"<mark>Brezhnev</mark> came after" in response.content
    assert stale.status_code == 200
    assert b"Brezhnev" not in stale.content

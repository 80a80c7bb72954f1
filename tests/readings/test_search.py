import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import AssignmentFactory, ReadingFactory, make_post
from tests.pages import page_text

pytestmark = pytest.mark.django_db


def _search(client, course, query):
    return client.get(reverse("course-search", args=[course.slug]), {"q": query})


def test_search_finds_the_passage_and_links_to_its_paragraph(
    client_for, cleo, course, seed_readings
):
    response = _search(client_for(cleo), course, "Doctors' Plot")
    page = response.content.decode()
    assert response.status_code == 200
    paragraph = seed_readings["destalinization"].paragraphs.get(text__contains="Doctors' Plot")
    link = reverse("reading-detail", args=[course.slug, "destalinization"])
    assert f'href="{link}#p-{paragraph.number}"' in page
    assert "<mark>" in page and "Plot</mark>" in page


def test_search_ranks_and_counts_results(client_for, cleo, course, seed_readings):
    page = _search(client_for(cleo), course, "Khrushchev secret speech").content.decode()
    assert "result" in page
    assert page.count('class="result"') >= 3


def test_search_stays_inside_the_course(client_for, cleo, course, other_course):
    hidden = ReadingFactory(sections=[("T", "Zhdanovshchina was the cultural crackdown.")])
    AssignmentFactory(course=other_course, reading=hidden)
    page = _search(client_for(cleo), course, "Zhdanovshchina").content.decode()
    assert "0 results" in page
    assert "crackdown" not in page


def test_search_needs_membership(client_for, eve, course):
    assert _search(client_for(eve), course, "Stalin").status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        '"secret speech',
        "Stalin & | ! ( ) : * <-> -",
        "x" * 10_240,
        "Stalin\x00speech",
        "🙂 Хрущёв 斯大林",
        "' OR 1=1; DROP TABLE readings_paragraph; --",
        "",
        "   ",
    ],
)
def test_any_search_input_is_answered(client_for, cleo, course, seed_readings, query):
    response = _search(client_for(cleo), course, query)
    assert response.status_code == 200


def test_search_passages_are_escaped(client_for, cleo, course):
    reading = ReadingFactory(
        sections=[("T", "Khrushchev wrote \\<script>alert(1)\\</script> here.")]
    )
    AssignmentFactory(course=course, reading=reading)
    page = _search(client_for(cleo), course, "Khrushchev wrote").content.decode()
    assert "1 result" in page
    assert "<script>alert(1)" not in page


@pytest.mark.parametrize("raw", ["%ED%A0%80", "%FF%FE", "%00", "%E2%80"])
def test_undecodable_bytes_in_the_query_are_answered(client_for, cleo, course, seed_readings, raw):
    url = reverse("course-search", args=[course.slug])
    assert client_for(cleo).get(f"{url}?q={raw}Stalin").status_code == 200


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text index")
def test_postgres_search_uses_the_gin_index(course, seed_readings):
    from django.contrib.postgres.search import SearchQuery, SearchVector

    from destalin.search import SEARCH_CONFIG
    from readings.models import Paragraph

    query = (
        Paragraph.objects.annotate(v=SearchVector("text", config=SEARCH_CONFIG))
        .filter(v=SearchQuery("speech", config=SEARCH_CONFIG, search_type="websearch"))
        .order_by()
        .values("pk")
    )
    with connection.cursor() as cursor:
        # Tiny tables are cheaper to scan; forbid that to see whether the index can serve.
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = query.explain()
    assert "paragraph_search" in plan


def test_many_matches_say_more_than_the_page_shows_at_a_constant_cost(
    client_for, cleo, course, prompt
):

    def discussions_heading():
        with CaptureQueriesContext(connection) as queries:
            page = page_text(_search(client_for(cleo), course, "Thaw"))
        return page.split('id="posts-results">')[1].split("</h2>")[0], len(queries)

    for n in range(30):
        make_post(prompt, cleo, f"The Thaw, thought {n}.")
    discussions_heading()  # the first visit of a session writes what later ones read
    heading, queries = discussions_heading()
    assert heading == "Discussions: 30 results"
    make_post(prompt, cleo, "The Thaw, one thought too many.")
    more, more_queries = discussions_heading()
    assert more == "Discussions: more than 30 results"
    assert more_queries == queries

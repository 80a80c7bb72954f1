"""The load-data generator: a consistent database (paths, counters, participations, grades) built
by bulk inserts, which the pages read with their usual query counts."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from destalin.models import Course, Membership
from discussions.grading.models import Grade
from discussions.models import PATH_WIDTH, Participation, Post, Prompt

pytestmark = pytest.mark.django_db


def test_generated_data_is_consistent_and_pages_keep_their_query_counts(client):
    call_command(
        "generate_load_data", courses=3, students=40, posts=900, prompts=2, per_course=20,
        verbosity=0,
    )  # fmt: skip
    assert Course.objects.count() == 3 and Prompt.objects.count() == 6
    assert Post.objects.count() == 900
    by_id = {p.pk: p for p in Post.objects.all()}
    for post in by_id.values():
        assert post.path.endswith(f"{post.pk:0{PATH_WIDTH}d}")
        if post.parent_id:
            parent = by_id[post.parent_id]
            assert post.prompt_id == parent.prompt_id and post.path.startswith(parent.path)
            assert post.root_id == (parent.root_id or parent.pk)
    for prompt in Prompt.objects.all():
        assert prompt.post_count == prompt.posts.count()
    assert sum(p.responses + p.replies for p in Participation.objects.all()) == 900
    assert Grade.objects.count() == Participation.objects.count()
    # New posts get fresh ids after the generator chose its own.
    prompt = Prompt.objects.first()
    member = Membership.objects.filter(course=prompt.course).first().user
    from tests.factories import make_post

    assert make_post(prompt, member, "After the load.").pk > max(by_id)
    client.force_login(member)
    small = Prompt.objects.create(
        course=prompt.course, title="Small", body="b", is_published=True, points_possible=10
    )
    make_post(small, member, "Alone.")

    def queries(url):
        client.get(url)  # the session settles first
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    assert queries(prompt.get_absolute_url()) == queries(small.get_absolute_url())


def test_nonsense_counts_are_refused():
    with pytest.raises(CommandError, match="at least 1"):
        call_command("generate_load_data", courses=0, verbosity=0)

"""Links built in bulk (``destalin.links.url_format``) go where ``reverse`` says, whatever
numbers the course slug holds."""

import pytest
from django.urls import reverse

from destalin.links import STAND_IN, url_format

SLUGS = [
    "hist-274",
    "x-2147483647",  # the number the thread and the gradebook once stood in for ids with
    f"x-{STAND_IN}",
    f"x-{STAND_IN}-{STAND_IN + 1}-{STAND_IN + 2}",
    "1-2-3",
]


@pytest.mark.parametrize("slug", SLUGS)
def test_a_post_link_is_the_reversed_url_for_each_post(slug):
    pattern = url_format("discussions:post-edit", ["pk"], course=slug)
    for pk in (1, 7, STAND_IN, 2147483647):
        assert pattern.format(pk) == reverse(
            "discussions:post-edit", kwargs={"course": slug, "pk": pk}
        )


@pytest.mark.parametrize("slug", SLUGS)
def test_a_link_with_two_ids_keeps_each_in_its_place(slug):
    pattern = url_format("grading:grade-student", ["pk", "student"], course=slug)
    assert pattern.format(12, 345) == reverse(
        "grading:grade-student", kwargs={"course": slug, "pk": 12, "student": 345}
    )
    reply = url_format("discussions:reply", ["post"], course=slug, pk=STAND_IN)
    assert reply.format(9) == reverse(
        "discussions:reply", kwargs={"course": slug, "pk": STAND_IN, "post": 9}
    )

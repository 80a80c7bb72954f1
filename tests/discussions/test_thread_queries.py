"""The thread page costs the same few queries whatever the number of posts."""

import pytest

from tests.factories import MembershipFactory, make_post

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("size", [10, 500])
@pytest.mark.parametrize("viewer", ["cleo", "ada"])
def test_thread_page_costs_five_queries_whatever_its_size_seven_for_instructors(
    client_for, people, course, prompt, size, viewer, django_assert_num_queries
):
    students = [MembershipFactory(course=course).user for _ in range(5)]
    responses = [make_post(prompt, students[i % 5], f"Response {i}.") for i in range(size // 2)]
    for i in range(size - len(responses) - 1):
        make_post(
            prompt, students[(i + 1) % 5], f"Reply {i}.", parent=responses[i % len(responses)]
        )
    client = client_for(people[viewer])
    client.get(prompt.get_absolute_url())  # the first visit creates the person's participation
    make_post(prompt, students[0], "Something new since that visit.")
    # The person, the prompt with their role and participation, the posts, the visit, the readings;
    # for an instructor also, in the course tabs, the number waiting for review and whether the
    # course is in a learning platform.
    review = 2 if viewer == "ada" else 0
    with django_assert_num_queries(5 + review):
        page = client.get(prompt.get_absolute_url())
    assert page.content.decode().count('class="post-item') == size
    # Nothing new since: the visit is not written again.
    with django_assert_num_queries(4 + review):
        client.get(prompt.get_absolute_url())


def test_course_page_queries_do_not_grow_with_prompts(
    client_for, cleo, course, thaw, django_assert_max_num_queries
):
    from tests.factories import PromptFactory

    for _ in range(15):
        make_post(PromptFactory(course=course), cleo, "Hello.")
    client = client_for(cleo)
    client.get(course.get_absolute_url())
    with django_assert_max_num_queries(8):
        client.get(course.get_absolute_url())

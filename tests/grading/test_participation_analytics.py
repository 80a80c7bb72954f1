"""Analytics per student: posts, responses, replies to others, words, late posts, first and last
activity in the viewer's zone; a reply to oneself is no interaction; the due line stands on the
due date of the course's calendar; a fixed number of queries."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from destalin import times
from discussions.models import Post
from tests.factories import MembershipFactory, PromptFactory, UserFactory, make_post
from tests.pages import count_queries, page_text

pytestmark = pytest.mark.django_db


def _url(prompt=None, course=None):
    if prompt is not None:
        kwargs = {"course": prompt.course.slug, "pk": prompt.pk}
        return reverse("grading:prompt-analytics", kwargs=kwargs)
    return reverse("grading:course-analytics", kwargs={"course": course.slug})


def _row(response, student):
    return next(r for r in response.context["students"] if r.student == student)


def test_each_student_has_a_row_and_replies_to_oneself_are_no_interaction(
    client, ben, cleo, dora, course, graded, posts
):
    quiet = UserFactory(display_name="Quiet Quentin")
    MembershipFactory(course=course, user=quiet)
    make_post(graded, cleo, "And one more thought of mine.", parent=posts["cleo_response"])
    client.force_login(ben)
    response = client.get(_url(graded))
    page = page_text(response)
    cleo_row, dora_row, quiet_row = (_row(response, s) for s in (cleo, dora, quiet))
    # Cleo: a response, a reply to Dora, a reply to herself (a post, not a reply to others).
    assert (cleo_row.posts, cleo_row.responses, cleo_row.replies) == (3, 1, 1)
    assert (dora_row.posts, dora_row.responses, dora_row.replies) == (2, 1, 1)
    assert cleo_row.words == sum(
        Post.objects.filter(author=cleo, prompt=graded).values_list("word_count", flat=True)
    )
    assert cleo_row.words > 0
    assert (quiet_row.posts, quiet_row.first_at, quiet_row.last_at) == (0, None, None)
    assert "Each student's participation" in page and ">Quiet Quentin</bdi>" in page
    # Who replied to whom: one each way, Cleo's reply to herself nowhere.
    matrix = response.context["charts"][2]
    assert matrix.rows == (("Cleo", "0", "1"), ("Dora", "1", "0"))
    assert matrix.caption.startswith("2 replies among 2 people")
    # Quentin has not posted; the others have.
    assert [s.display_name for s in response.context["silent"]] == ["Quiet Quentin"]


def test_late_posts_and_first_and_last_activity_in_the_viewers_zone(
    client, ada, cleo, course, graded
):
    course.time_zone = "America/New_York"
    course.save()
    ada.time_zone = "Asia/Tokyo"
    ada.save()
    first = make_post(graded, cleo, "Early thoughts.")
    later = make_post(graded, cleo, "Later thoughts.", parent=first)
    at = datetime(2026, 11, 2, 0, 30, tzinfo=UTC)
    Post.objects.filter(pk=first.pk).update(created_at=at)
    Post.objects.filter(pk=later.pk).update(
        created_at=at + timedelta(hours=1), is_late=True, edited_at=at + timedelta(days=1)
    )
    client.force_login(ada)
    response = client.get(_url(course=course))
    row = _row(response, cleo)
    assert (row.late, row.first_at, row.last_at) == (1, at, at + timedelta(days=1))
    token = times.activate_personal("Asia/Tokyo")
    try:
        first_text = times.show(at, course=course)
        last_text = times.show(at + timedelta(days=1), course=course)
    finally:
        times.reset_personal(token)
    # 9:30 AM in Tokyo on Nov 2, 7:30 PM on Nov 1 in the course's New York.
    assert first_text.startswith("Nov 2, 9:30 AM JST (Nov 1, 7:30 PM EST")
    page = page_text(response)
    assert f'<time datetime="2026-11-02T00:30:00Z">{first_text}</time>' in page
    assert f'<time datetime="2026-11-03T00:30:00Z">{last_text}</time>' in page


def test_the_due_line_stands_on_the_due_date_in_the_courses_calendar(
    client, ada, cleo, dora, course
):
    course.time_zone = "America/New_York"
    course.save()
    # Due 11:30 PM on Thursday Nov 5 in New York: Friday Nov 6 in UTC.
    prompt = PromptFactory(course=course, due_at=datetime(2026, 11, 6, 4, 30, tzinfo=UTC))
    for author, day in ((cleo, 2), (dora, 9)):
        post = make_post(prompt, author, "A post.")
        Post.objects.filter(pk=post.pk).update(created_at=datetime(2026, 11, day, 15, tzinfo=UTC))
    client.force_login(ada)
    chart = client.get(_url(prompt)).context["charts"][1]
    assert chart.caption.endswith(" Due Nov 5.")
    svg = str(chart.svg)
    line_x = float(svg.split('class="chart__due" x1="')[1].split('"')[0])
    label_x = float(svg.split('">Nov 5</text>')[0].rsplit('<text x="', 1)[1].split('"')[0])
    assert line_x == pytest.approx(label_x, abs=0.1)
    assert [row[0] for row in chart.rows] == ["Nov 2", "Nov 9"]  # only days with posts listed


def test_analytics_use_a_fixed_number_of_queries(client, ada, course, graded, posts):
    client.force_login(ada)
    urls = [_url(graded), _url(course=course)]
    small = [count_queries(client, url) for url in urls]
    PromptFactory(course=course)
    for n in range(20):
        student = UserFactory(display_name=f"Student {n:02d}")
        MembershipFactory(course=course, user=student)
        response = make_post(graded, student, f"Response {n}.")
        make_post(graded, student, "Me again.", parent=response)
        make_post(graded, student, "To Cleo.", parent=posts["cleo_response"])
    assert [count_queries(client, url) for url in urls] == small

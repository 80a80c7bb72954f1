"""People are listed by name by language rules (ICU collation, case and accents not
deciding), the same on every page and on both databases: "ianfries" before "Oleg S."."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from destalin.models import Role
from destalin.text import by_name
from discussions.services import grant_extension
from tests.factories import MembershipFactory, PromptFactory, UserFactory

pytestmark = pytest.mark.django_db

# In the right order; code point order would put "Oleg S." and "Zoë" before "ianfries" and
# "Ölaf" after "Zoë".
NAMES = ["Álvaro Díaz", "ianfries", "Ölaf", "Oleg S.", "Zoë", "Ёжиков"]


@pytest.fixture
def students(course, thaw):
    # Joined in reverse order, so neither insertion nor primary keys give the right order.
    people = [UserFactory(display_name=name) for name in reversed(NAMES)]
    for person in people:
        MembershipFactory(course=course, user=person, role=Role.STUDENT)
    return people


def _in_order(page, names=NAMES):
    positions = [page.index(name) for name in names]
    return positions == sorted(positions)


def test_the_collation_ignores_case_and_accents():
    names = ["Oleg S.", "Zoë", "ianfries", "Ölaf", "Ёжиков", "Álvaro Díaz"]
    assert by_name(names, name=str, then=str) == NAMES


def test_gradebook_progress_grader_and_people_list_by_name(client_for, ada, course, students):
    prompt = PromptFactory(course=course, points_possible=10)
    client = client_for(ada)
    pages = {
        "gradebook": reverse("grading:gradebook", kwargs={"course": course.slug}),
        "students' progress": reverse(
            "discussions:prompt-progress", kwargs={"course": course.slug, "pk": prompt.pk}
        ),
        "grader": reverse("grading:grader", kwargs={"course": course.slug, "pk": prompt.pk}),
        "people": reverse("course-members", args=[course.slug]),
        "reading progress": reverse("readings:progress", args=[course.slug, "the-thaw"]),
    }
    for label, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, label
        assert _in_order(response.content.decode()), label


def test_the_gradebook_csv_lists_by_sortable_name(client_for, ada, course, students):
    PromptFactory(course=course, points_possible=10)
    response = client_for(ada).get(reverse("grading:gradebook-csv", kwargs={"course": course.slug}))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    names = [row[0] for row in rows[3:]]  # after the header, manual posting and points rows
    # "Last, First": Díaz, ianfries, Ölaf, Oleg ("S., Oleg"), Zoë, Ёжиков.
    assert names == ["Díaz, Álvaro", "ianfries", "Ölaf", "S., Oleg", "Zoë", "Ёжиков"]


def test_extensions_list_by_name(client_for, ada, course, students):
    prompt = PromptFactory(course=course)
    later = timezone.now() + timedelta(days=7)
    for person in students:
        grant_extension(prompt=prompt, student=person, due_at=later, cutoff_at=None, granted_by=ada)
    page = client_for(ada).get(
        reverse("discussions:extensions", kwargs={"course": course.slug, "pk": prompt.pk})
    )
    assert _in_order(page.content.decode())

"""The demo course's syllabus: the seed readings, in a teaching order, with due dates."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from destalin import times
from readings.models import Assignment, Reading
from readings.services import assign_reading

DEMO_SYLLABUS = [
    ("destalinization", 3, "Start here: the encyclopedia's overview, 1953 to 1991."),
    ("dilemmas-of-de-stalinisation", 5, "Notes on Polly Jones's book, which the discussion cites."),
    ("de-stalinization-unraveling-the-political-shift", 8, ""),
    ("destalinization-the-origins", 10, "Only a preview survives; read it for its argument."),
]


@transaction.atomic
def assign_demo_readings(course):
    """Assign whichever seed readings the demo course does not have yet."""
    # Due at 11:59 PM on the course's wall clock, some calendar days from today there.
    zone = times.course_zone(course)
    today = times.local_date(timezone.now(), zone)
    readings = {r.slug: r for r in Reading.objects.filter(slug__in=[s for s, *_ in DEMO_SYLLABUS])}
    assigned = set(Assignment.objects.filter(course=course).values_list("reading__slug", flat=True))
    for slug, days, instructions in DEMO_SYLLABUS:
        if slug in readings and slug not in assigned:
            assign_reading(
                course=course,
                reading=readings[slug],
                due_at=times.end_of_day(today + timedelta(days=days), zone),
                instructions=instructions,
            )

import pytest
from django.core.management import call_command

from readings.models import Reading
from tests.factories import AssignmentFactory, ReadingFactory

SEED_SLUGS = {
    "000_6091642c0a7e107d.txt": "dilemmas-of-de-stalinisation",
    "002_6416b278ba7586de.txt": "de-stalinization-unraveling-the-political-shift",
    "003_528ec5eea072e5b8.txt": "destalinization-the-origins",
    "004_3d0cfe29769304b4.txt": "destalinization",
}


@pytest.fixture
def seed_readings(course):
    """The four seed readings from the fixture, all assigned in HIST 274."""
    call_command("loaddata", "readings", verbosity=0)
    for position, reading in enumerate(Reading.objects.order_by("slug"), start=1):
        AssignmentFactory(course=course, reading=reading, position=position)
    return {r.slug: r for r in Reading.objects.all()}


@pytest.fixture
def thaw(course):
    """A short reading assigned in HIST 274, in three sections."""
    reading = ReadingFactory(
        slug="the-thaw",
        title="The Thaw",
        sections=[
            (
                "Origins",
                "Ehrenburg's novel gave the era its name.\n\n- Releases\n- Rehabilitations",
            ),
            ("", "An untitled part.\n\n> A quoted line."),
            ("Limits", "| Year | Event |\n| --- | --- |\n| 1956 | Hungary |"),
        ],
    )
    AssignmentFactory(course=course, reading=reading, position=1)
    return reading

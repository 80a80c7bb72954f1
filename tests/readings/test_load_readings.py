"""`make run` loads the seed readings with load_readings: missing ones are created, existing
ones (edited or not) are left alone, and it says which."""

from io import StringIO

import pytest
from django.core.management import call_command

from readings.models import Paragraph, Reading
from readings.services import edit_reading
from readings.sources import parse_source, write_source

pytestmark = pytest.mark.django_db

SLUGS = [
    "de-stalinization-unraveling-the-political-shift",
    "destalinization",
    "destalinization-the-origins",
    "dilemmas-of-de-stalinisation",
]


def _load():
    out = StringIO()
    call_command("load_readings", stdout=out)
    return out.getvalue()


def test_an_empty_database_gets_every_seed_reading_with_its_first_version():
    out = _load()
    assert sorted(Reading.objects.values_list("slug", flat=True)) == SLUGS
    assert all(f"Created {slug} from readings.json." in out for slug in SLUGS)
    reading = Reading.objects.get(slug="destalinization")
    assert reading.versions.get().number == 1
    assert reading.paragraphs.count() == reading.last_block_key > 0


def test_running_it_again_never_reverts_an_edit(ada):
    _load()
    reading = Reading.objects.get(slug="destalinization")
    text = write_source([(s.title, s.body) for s in reading.sections.all()])
    edited = text.replace("Destalinization, a term of Western origin", "De-Stalinisation, a term")
    edit_reading(reading=reading, sections=parse_source(edited).sections, user=ada)
    out = _load()
    assert "Kept destalinization: it is already in the database (not reloaded)." in out
    assert "Created" not in out
    assert Paragraph.objects.filter(reading=reading, text__startswith="De-Stalinisation, a term")
    assert not Paragraph.objects.filter(reading=reading, text__contains="term of Western origin")
    assert reading.versions.count() == 2


def test_a_deleted_seed_reading_comes_back_alone(ada):
    _load()
    Reading.objects.get(slug="destalinization-the-origins").delete()
    kept = Reading.objects.get(slug="destalinization")
    out = _load()
    assert "Created destalinization-the-origins from readings.json." in out
    assert out.count("Kept ") == 3
    assert Reading.objects.get(slug="destalinization").updated_at == kept.updated_at
    assert Reading.objects.get(slug="destalinization-the-origins").paragraphs.exists()

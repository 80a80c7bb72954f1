"""Create the seed readings that are missing, from fixtures/readings.json, and leave every
existing reading alone: ``make run`` calls it each time, and must never undo an edit (plain
``loaddata`` overwrote readings edited in the browser or the admin)."""

import json
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.management.base import BaseCommand
from django.db import transaction

from readings.models import Reading
from readings.services import keep_history

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "readings.json"


class Command(BaseCommand):
    help = (
        "Create the readings of fixtures/readings.json that the database does not have; "
        "readings already there (edited or not) are left as they are."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fixture", type=Path, default=FIXTURE, help="A readings fixture.")

    @transaction.atomic
    def handle(self, *args, fixture, **options):
        records = json.loads(fixture.read_text(encoding="utf-8"))
        slugs = [r["fields"]["slug"] for r in records if r["model"] == "readings.reading"]
        existing = set(Reading.objects.filter(slug__in=slugs).values_list("slug", flat=True))
        missing = [slug for slug in slugs if slug not in existing]
        # Sections and paragraphs name their reading by slug (natural keys). Deserializing is
        # lazy, so each reading is saved before its sections look it up.
        wanted = [r for r in records if _slug_of(r) in missing]
        for item in serializers.deserialize("python", wanted):
            item.save()
        for reading in Reading.objects.filter(slug__in=missing):
            keep_history(reading=reading)
        for slug in sorted(existing):
            self.stdout.write(f"Kept {slug}: it is already in the database (not reloaded).")
        for slug in missing:
            self.stdout.write(self.style.SUCCESS(f"Created {slug} from {fixture.name}."))


def _slug_of(record):
    fields = record["fields"]
    return fields["slug"] if record["model"] == "readings.reading" else fields["reading"][0]

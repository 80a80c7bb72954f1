import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from readings.fixture import build_fixture

SOURCES = Path(settings.BASE_DIR) / "fixtures" / "readings"
TARGET = Path(settings.BASE_DIR) / "fixtures" / "readings.json"


class Command(BaseCommand):
    help = (
        "Rebuild fixtures/readings.json from the Markdown sources in fixtures/readings/, "
        "with the rendered HTML and numbered paragraphs that loaddata cannot compute."
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Fail if the file is stale.")

    def handle(self, *args, check=False, **options):
        text = json.dumps(build_fixture(sorted(SOURCES.glob("*.md"))), indent=1, ensure_ascii=False)
        text += "\n"
        if check:
            if TARGET.read_text(encoding="utf-8") != text:
                raise SystemExit("fixtures/readings.json is stale: run build_readings_fixture")
            self.stdout.write("fixtures/readings.json is up to date.")
            return
        TARGET.write_text(text, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Wrote {TARGET}"))

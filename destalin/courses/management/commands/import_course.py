import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from destalin.courses.archive import import_course


class Command(BaseCommand):
    help = "Make a new course from an archive written by export_course (all of it, or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--slug", help="the new course's address (default from code and term)")

    def handle(self, *args, file, slug, **options):
        try:
            with open(file, encoding="utf-8") as archive:
                data = json.load(archive)
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from None
        try:
            course = import_course(data, slug=slug)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(self.style.SUCCESS(f"Imported as {course.slug}: {course}."))

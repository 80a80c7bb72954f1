from datetime import datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from destalin import times
from destalin.models import Course
from readings.models import Kind
from readings.services import create_reading
from readings.sources import MAX_BYTES, decode_upload, parse_source


class Command(BaseCommand):
    help = (
        "Add a reading from a Markdown or plain-text file (## lines start sections; optional "
        "front matter). With --course, assign it there."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--title", help="Defaults to the file's front matter.")
        parser.add_argument("--author", help="Defaults to the front matter, else 'unknown'.")
        parser.add_argument("--kind", choices=Kind.values)
        parser.add_argument("--course", help="Slug of the course to assign the reading to.")
        parser.add_argument("--due", help="Due date for the assignment: YYYY-MM-DD [HH:MM].")

    def handle(self, *args, file, title, author, kind, course, due, **options):
        course_obj = self._course(course)
        due_at = self._due(due, course_obj)
        if due_at and course_obj is None:
            raise CommandError("--due needs --course.")
        try:
            if file.stat().st_size > MAX_BYTES:
                raise ValidationError(
                    f"The file is too large; the limit is {MAX_BYTES // 1024} KB.", code="too_large"
                )
            source = parse_source(decode_upload(file.read_bytes()))
            reading = create_reading(
                source=source,
                title=title,
                author=author,
                kind=kind,
                course=course_obj,
                due_at=due_at,
            )
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from error
        except ValidationError as error:
            raise CommandError(f"{file}: {' '.join(error.messages)} Nothing was saved.") from error
        where = f" and assigned it in {course_obj.code}" if course_obj else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"Added “{reading}” ({reading.sections.count()} sections, "
                f"{reading.word_count} words){where}."
            )
        )

    def _course(self, slug):
        if not slug:
            return None
        course = Course.objects.filter(slug=slug).first()
        if course is None:
            raise CommandError(f"No course with the slug {slug!r}.")
        return course

    def _due(self, text, course):
        """The due date typed on the course's wall clock (a date alone is 11:59 PM)."""
        if not text:
            return None
        zone = times.course_zone(course)
        for pattern in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d"):
            try:
                moment = datetime.strptime(text, pattern)
            except ValueError:
                continue
            if pattern == "%Y-%m-%d":
                return times.end_of_day(moment.date(), zone)
            return times.at_wall_clock(moment.date(), moment.time(), zone)
        raise CommandError(f"--due {text!r} is not a date like 2026-12-01 or 2026-12-01 17:00.")

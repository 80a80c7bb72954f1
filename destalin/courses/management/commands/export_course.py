import json

from django.core.management.base import BaseCommand, CommandError

from destalin.courses.archive import export_course
from destalin.models import Course


class Command(BaseCommand):
    help = "Write a course (people, readings, prompts, posts, grades, rubrics) as one JSON file."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("file", help="where to write the archive; - for standard output")

    def handle(self, *args, slug, file, **options):
        course = Course.objects.filter(slug=slug).first()
        if course is None:
            raise CommandError(f"No course with the slug {slug!r}.")
        text = json.dumps(export_course(course), ensure_ascii=False, indent=1)
        if file == "-":
            self.stdout.write(text)
            return
        with open(file, "w", encoding="utf-8") as out:
            out.write(text)
        self.stdout.write(self.style.SUCCESS(f"{course} written to {file}."))

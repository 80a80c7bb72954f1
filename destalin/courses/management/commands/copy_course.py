from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from destalin.courses.copying import copy_course
from destalin.models import Course, User


class Command(BaseCommand):
    help = (
        "Copy a course into a new term: syllabus, prompts (as drafts), rubrics and grading "
        "settings, every date moved by --shift-days; no students, posts or grades."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the course to copy")
        parser.add_argument("--term", required=True, help='e.g. "Spring 2027"')
        parser.add_argument("--instructor", required=True, help="email of the new instructor")
        parser.add_argument("--shift-days", type=int, required=True)
        parser.add_argument("--title", help="defaults to the course's title")
        parser.add_argument("--code", help="defaults to the course's code")

    def handle(self, *args, slug, term, instructor, shift_days, title, code, **options):
        course = Course.objects.filter(slug=slug).first()
        if course is None:
            raise CommandError(f"No course with the slug {slug!r}.")
        person = User.objects.filter(email__iexact=instructor).first()
        if person is None:
            raise CommandError(f"No user with the email {instructor!r}.")
        if abs(shift_days) > 3660:
            raise CommandError("Shift by at most ten years (3660 days).")
        try:
            new = copy_course(
                course=course,
                by=person,
                title=title or course.title,
                code=code or course.code,
                term=term,
                shift=timedelta(days=shift_days),
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(self.style.SUCCESS(f"Copied to {new.slug}: {new}."))

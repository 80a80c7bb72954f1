from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from destalin.demo import DEMO_PASSWORD, ensure_demo_course
from discussions.demo import ensure_demo_discussion
from readings.demo import assign_demo_readings


class Command(BaseCommand):
    help = (
        "Create the demo course, its syllabus and its logins where missing, and print the "
        "logins. Load the readings fixture first."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Create the demo logins even with DEBUG off (they share a known password).",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "The demo logins share a published password; run with DEBUG=1 or --force."
            )
        course, people = ensure_demo_course()
        assign_demo_readings(course)
        ensure_demo_discussion(course)
        self.stdout.write(
            self.style.SUCCESS(f"Demo course: {course}  (join code {course.join_code})")
        )
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for email, name, role in people:
            self.stdout.write(f"  {role.label:<11} {email:<32} {name}")

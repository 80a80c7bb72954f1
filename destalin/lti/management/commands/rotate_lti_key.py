from django.core.management.base import BaseCommand

from destalin.lti import keys


class Command(BaseCommand):
    help = (
        "Make a new LTI signing key and sign with it from now on; the old keys stay in the "
        "JWKS until --retire, run once platforms have fetched the new one (a day is plenty)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--retire", action="store_true", help="Stop publishing keys no registration uses."
        )

    def handle(self, *args, retire=False, **options):
        if retire:
            self.stdout.write(f"Retired {keys.retire_unused()} key(s).")
            return
        key = keys.rotate()
        self.stdout.write(f"New key {key.name} signs for every registration.")

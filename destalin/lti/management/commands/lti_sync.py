from django.core.management.base import BaseCommand

from destalin.lti import tasks
from destalin.lti.models import LtiContext


class Command(BaseCommand):
    help = (
        "Queue a roster sync and a score send for every course linked to a platform (run it "
        "from cron, every 15 minutes say; the task worker does the work)."
    )

    def handle(self, *args, **options):
        contexts = list(LtiContext.objects.values_list("pk", flat=True))
        for pk in contexts:
            tasks.sync_roster.enqueue(pk)
            tasks.send_scores.enqueue(pk)
        self.stdout.write(f"Queued syncs for {len(contexts)} course(s).")

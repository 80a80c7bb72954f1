from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Count, Q

from destalin.models import User
from discussions.models import Participation, Post, Prompt
from discussions.services import recompute_participation


class Command(BaseCommand):
    help = (
        "Recount what is kept as counters: each prompt's live posts and every person's "
        "participation (responses, replies, requirements met). Safe to run at any time."
    )

    def handle(self, *args, **options):
        fixed = 0
        for prompt in Prompt.objects.annotate(
            live=Count("posts", filter=Q(posts__deleted_at__isnull=True))
        ):
            if prompt.post_count != prompt.live:
                Prompt.objects.filter(pk=prompt.pk).update(post_count=prompt.live)
                fixed += 1
        prompts = Prompt.objects.in_bulk()
        users = User.objects.in_bulk(set(Post.objects.values_list("author_id", flat=True)))
        with transaction.atomic():
            pairs = Post.objects.values_list("prompt_id", "author_id").distinct().order_by()
            for prompt_id, author_id in pairs.iterator():
                recompute_participation(prompt=prompts[prompt_id], user=users[author_id])
        counted = Participation.objects.count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Post counts fixed on {fixed} prompts; {counted} participations recounted."
            )
        )

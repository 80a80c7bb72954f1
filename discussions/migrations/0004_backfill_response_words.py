from django.db import migrations
from django.db.models import OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce


def backfill(apps, schema_editor):
    """Words of each person's live responses, for standings recorded before the field."""
    Participation = apps.get_model("discussions", "Participation")
    Post = apps.get_model("discussions", "Post")
    words = (
        Post.objects.filter(
            prompt=OuterRef("prompt"),
            author=OuterRef("user"),
            parent__isnull=True,
            deleted_at__isnull=True,
        )
        .order_by()
        .values("author")
        .annotate(total=Sum("word_count"))
        .values("total")
    )
    Participation.objects.update(response_words=Coalesce(Subquery(words), 0))


class Migration(migrations.Migration):
    dependencies = [("discussions", "0003_response_words")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]

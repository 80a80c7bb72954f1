from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def backfill(apps, schema_editor):
    """Posts made before the minimum was recorded are measured by the prompt's minimum of
    today, as they were until now."""
    Post = apps.get_model("discussions", "Post")
    Prompt = apps.get_model("discussions", "Prompt")
    minimum = Prompt.objects.filter(pk=OuterRef("prompt")).values("min_words")[:1]
    Post.objects.update(min_words_at_posting=Subquery(minimum))


class Migration(migrations.Migration):
    dependencies = [("discussions", "0012_post_search_folding")]

    operations = [
        migrations.AddField(
            model_name="post",
            name="min_words_at_posting",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]

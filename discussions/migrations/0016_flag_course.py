import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    """Each flag's course is its post's."""
    Flag = apps.get_model("discussions", "Flag")
    Post = apps.get_model("discussions", "Post")
    course = Post.objects.filter(pk=OuterRef("post")).values("prompt__course")[:1]
    Flag.objects.update(course=Subquery(course))


class Migration(migrations.Migration):
    """Flags carry their course, read through a partial index of open flags (issue 22)."""

    dependencies = [
        ("destalin", "0009_search_folding"),
        ("discussions", "0015_audit_score_sends"),
    ]

    operations = [
        migrations.AddField(
            model_name="flag",
            name="course",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="destalin.course",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="flag",
            name="course",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="destalin.course",
            ),
        ),
        migrations.AddIndex(
            model_name="flag",
            index=models.Index(
                condition=models.Q(("resolved_at__isnull", True)),
                fields=["course"],
                name="flag_open_course",
            ),
        ),
    ]

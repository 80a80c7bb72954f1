import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.db.models import F, Max


def keys_are_todays_numbers(apps, schema_editor):
    """Each block's key is its number today, so every ``#p-N`` link made before blocks had
    keys still lands on the words that were ¶ N."""
    Paragraph = apps.get_model("readings", "Paragraph")
    Reading = apps.get_model("readings", "Reading")
    Paragraph.objects.update(key=F("number"))
    for reading in Reading.objects.annotate(last=Max("paragraphs__number")):
        Reading.objects.filter(pk=reading.pk).update(last_block_key=reading.last or 0)


def first_versions(apps, schema_editor):
    """Each reading's text today is its first version, which the first edit keeps."""
    Reading = apps.get_model("readings", "Reading")
    ReadingVersion = apps.get_model("readings", "ReadingVersion")
    SectionVersion = apps.get_model("readings", "SectionVersion")
    for reading in Reading.objects.all():
        version = ReadingVersion.objects.create(
            reading=reading,
            number=1,
            block_keys=list(
                reading.paragraphs.order_by("number").values_list("key", flat=True)
            ),
        )
        SectionVersion.objects.bulk_create(
            SectionVersion(version=version, position=s.position, title=s.title, body=s.body)
            for s in reading.sections.order_by("position")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("readings", "0003_paragraph_search_folding"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="paragraph",
            name="key",
            field=models.PositiveIntegerField(default=0),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="reading",
            name="last_block_key",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="reading",
            name="retired_blocks",
            field=models.JSONField(blank=True, default=list, editable=False),
        ),
        migrations.RunPython(keys_are_todays_numbers, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="paragraph",
            constraint=models.UniqueConstraint(fields=("reading", "key"), name="paragraph_key"),
        ),
        migrations.CreateModel(
            name="ReadingVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("number", models.PositiveIntegerField()),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("note", models.CharField(blank=True, max_length=300)),
                ("block_keys", models.JSONField(default=list)),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "reading",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="versions",
                        to="readings.reading",
                    ),
                ),
            ],
            options={
                "ordering": ["reading", "-number"],
                "constraints": [
                    models.UniqueConstraint(fields=("reading", "number"), name="reading_version_once")
                ],
            },
        ),
        migrations.CreateModel(
            name="SectionVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("position", models.PositiveIntegerField()),
                ("title", models.CharField(blank=True, max_length=300)),
                ("body", models.TextField()),
                (
                    "version",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="sections",
                        to="readings.readingversion",
                    ),
                ),
            ],
            options={
                "ordering": ["version", "position"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("version", "position"), name="section_version_position"
                    )
                ],
            },
        ),
        migrations.RunPython(first_versions, migrations.RunPython.noop),
    ]

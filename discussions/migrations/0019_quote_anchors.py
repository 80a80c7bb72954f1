from django.db import migrations, models


def anchor_existing_quotes(apps, schema_editor):
    """Quotes stored a paragraph number; blocks now have keys, and today's keys are today's
    numbers (readings 0004), so the number is the key. The offsets come from the context the
    quote kept, found in today's text of that block (0 when the words are gone: the anchor
    then says "changed" rather than pointing at other words)."""
    Quote = apps.get_model("discussions", "Quote")
    Paragraph = apps.get_model("readings", "Paragraph")
    texts = {
        (reading, number): text
        for reading, number, text in Paragraph.objects.values_list("reading_id", "number", "text")
    }
    quotes = list(Quote.objects.all())
    for quote in quotes:
        quote.block_key = quote.paragraph_number
        text = texts.get((quote.reading_id, quote.paragraph_number), "")
        index = text.find(quote.prefix + quote.exact + quote.suffix)
        index = index + len(quote.prefix) if index >= 0 else text.find(quote.exact)
        if index >= 0:
            quote.start, quote.end = index, index + len(quote.exact)
    Quote.objects.bulk_update(quotes, ["block_key", "start", "end"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("discussions", "0018_post_hidden_by_role"),
        ("readings", "0004_versions_and_block_keys"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="quote", name="discussions_reading_178b0d_idx"),
        migrations.AddField(
            model_name="quote",
            name="block_key",
            field=models.PositiveIntegerField(default=0),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="quote",
            name="start",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="quote",
            name="end",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.RunPython(anchor_existing_quotes, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="quote",
            index=models.Index(fields=["reading", "block_key"], name="discussions_reading_5fad29_idx"),
        ),
    ]

from django.db import migrations

from destalin.migration_operations import RunSQLOnPostgres


class Migration(migrations.Migration):
    """The paragraphs' search index in the folding configuration (see destalin.search)."""

    dependencies = [
        ("readings", "0002_paragraph_search_index"),
        ("destalin", "0009_search_folding"),
    ]

    operations = [
        RunSQLOnPostgres(
            sql=[
                "DROP INDEX IF EXISTS paragraph_search",
                "CREATE INDEX paragraph_search ON readings_paragraph USING gin "
                "(to_tsvector('destalin_search'::regconfig, COALESCE(text, '')))",
            ],
            reverse_sql=[
                "DROP INDEX IF EXISTS paragraph_search",
                "CREATE INDEX paragraph_search ON readings_paragraph USING gin "
                "(to_tsvector('english'::regconfig, COALESCE(text, '')))",
            ],
        ),
    ]

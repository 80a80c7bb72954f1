from django.db import migrations

from destalin.migration_operations import RunSQLOnPostgres


class Migration(migrations.Migration):
    """The posts' search index in the folding configuration (see destalin.search)."""

    dependencies = [
        ("discussions", "0011_pending_edits_and_audit"),
        ("destalin", "0009_search_folding"),
    ]

    operations = [
        RunSQLOnPostgres(
            sql=[
                "DROP INDEX IF EXISTS post_search",
                "CREATE INDEX post_search ON discussions_post USING gin "
                "(to_tsvector('destalin_search'::regconfig, COALESCE(body, '')))",
            ],
            reverse_sql=[
                "DROP INDEX IF EXISTS post_search",
                "CREATE INDEX post_search ON discussions_post USING gin "
                "(to_tsvector('english'::regconfig, COALESCE(body, '')))",
            ],
        ),
    ]

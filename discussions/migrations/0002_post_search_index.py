from django.db import migrations

from destalin.migration_operations import RunSQLOnPostgres


class Migration(migrations.Migration):
    """Full-text search over posts on PostgreSQL (see destalin.search)."""

    dependencies = [("discussions", "0001_initial")]

    operations = [
        RunSQLOnPostgres(
            sql=(
                "CREATE INDEX post_search ON discussions_post USING gin "
                "(to_tsvector('english'::regconfig, COALESCE(body, '')))"
            ),
            reverse_sql="DROP INDEX post_search",
        ),
    ]

from django.db import migrations

from destalin.migration_operations import RunSQLOnPostgres


class Migration(migrations.Migration):
    """Full-text search on PostgreSQL through an expression index: the query's
    ``SearchVector("text", config="english")`` compiles to exactly this expression, so no vector
    is computed per row per query. SQLite searches without it."""

    dependencies = [("readings", "0001_initial")]

    operations = [
        RunSQLOnPostgres(
            sql=(
                "CREATE INDEX paragraph_search ON readings_paragraph USING gin "
                "(to_tsvector('english'::regconfig, COALESCE(text, '')))"
            ),
            reverse_sql="DROP INDEX paragraph_search",
        ),
    ]

from django.db import migrations

from destalin.migration_operations import RunSQLOnPostgres


class Migration(migrations.Migration):
    """The text search configuration of destalin.search: English, with ``unaccent`` before
    the stemmer for words holding non-ASCII letters, so case and accents never matter
    ("Хрущев" finds "Хрущёв", "Dubcek" finds "Dubček"). ``to_tsvector`` with a named
    configuration is immutable, so expression indexes can use it; ``unaccent`` is a trusted
    extension (PostgreSQL 13+), which a database owner may create."""

    dependencies = [("destalin", "0008_course_ta_settings")]

    operations = [
        RunSQLOnPostgres(
            sql=[
                "CREATE EXTENSION IF NOT EXISTS unaccent",
                "CREATE TEXT SEARCH CONFIGURATION destalin_search (COPY = english)",
                "ALTER TEXT SEARCH CONFIGURATION destalin_search "
                "ALTER MAPPING FOR word, hword, hword_part WITH unaccent, english_stem",
            ],
            reverse_sql=["DROP TEXT SEARCH CONFIGURATION destalin_search"],
        ),
    ]

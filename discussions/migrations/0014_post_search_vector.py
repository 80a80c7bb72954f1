from django.db import migrations

from destalin.migration_operations import RunSQLOnPostgres

VECTOR = "to_tsvector('destalin_search'::regconfig, COALESCE(body, ''))"


class Migration(migrations.Migration):
    """Posts' search vector stored beside the text, indexed with the prompt (issue 22).

    With the vector only in an expression index, a course where most posts match had the
    planner read the course's posts through the prompt index and compute ``to_tsvector`` for
    every one of them (about 50 us a post: 280 ms for a course of 5,000 posts against 110 ms
    for 1,000). A stored generated column costs a read instead, whichever index the planner
    takes, and ranking reads it too; the GIN index on ``(prompt_id, search_vector)``
    (``btree_gin``, a trusted extension) finds a rare word's matches in one course without
    touching the others. The column is PostgreSQL's alone, outside the model: the database
    keeps it, and ``destalin.search`` names it (``vector=``)."""

    dependencies = [("discussions", "0013_post_min_words_at_posting")]

    operations = [
        RunSQLOnPostgres(
            sql=[
                "CREATE EXTENSION IF NOT EXISTS btree_gin",
                "ALTER TABLE discussions_post ADD COLUMN search_vector tsvector "
                f"GENERATED ALWAYS AS ({VECTOR}) STORED",
                "DROP INDEX IF EXISTS post_search",
                "CREATE INDEX post_search ON discussions_post USING gin "
                "(prompt_id, search_vector)",
            ],
            reverse_sql=[
                "DROP INDEX IF EXISTS post_search",
                "ALTER TABLE discussions_post DROP COLUMN search_vector",
                f"CREATE INDEX post_search ON discussions_post USING gin ({VECTOR})",
            ],
        ),
    ]

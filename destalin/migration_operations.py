from django.db import migrations


class RunSQLOnPostgres(migrations.RunSQL):
    """SQL only PostgreSQL understands (a full-text GIN index, say); other databases skip it.

    Kept out of the model state on purpose: SQLite rebuilds tables from that state on every
    later schema change and could not rebuild such an index.
    """

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)

from django.db import migrations

# `search_value` matches anywhere in the name (Django's icontains: UPPER(name::text) LIKE UPPER(%term%)).
# A trigram index on that same expression answers it without reading every row; PostgreSQL only,
# since the embedded SQLite default has no such index type.
CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS activity_name_trigram ON activities_activity USING gin ((UPPER(name::text)) gin_trgm_ops)",
]
DROP = ["DROP INDEX IF EXISTS activity_name_trigram"]


def run_on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]

    operations = [migrations.RunPython(run_on_postgresql(CREATE), run_on_postgresql(DROP))]

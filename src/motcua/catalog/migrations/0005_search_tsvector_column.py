"""PostgreSQL: keep the tsvector in a stored generated column so ranking does not re-parse the
text of every match (375 ms → a few ms on 10,000 procedures). SQLite keeps its FTS5 table."""

from django.db import migrations

FORWARD = [
    "DROP INDEX IF EXISTS catalog_procedure_search_gin",
    "ALTER TABLE catalog_procedure ADD COLUMN search_tsv tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED",
    "CREATE INDEX catalog_procedure_search_tsv_gin ON catalog_procedure USING gin (search_tsv)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS catalog_procedure_search_tsv_gin",
    "ALTER TABLE catalog_procedure DROP COLUMN IF EXISTS search_tsv",
    "CREATE INDEX catalog_procedure_search_gin ON catalog_procedure "
    "USING gin (to_tsvector('simple', search_text))",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("catalog", "0004_processstep")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]

"""Full-text index on the folded search text: FTS5 on SQLite, a GIN tsvector on PostgreSQL."""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE catalog_procedure_fts USING fts5("
    "search_text, content='catalog_procedure', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER catalog_procedure_fts_ai AFTER INSERT ON catalog_procedure BEGIN "
    "INSERT INTO catalog_procedure_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER catalog_procedure_fts_ad AFTER DELETE ON catalog_procedure BEGIN "
    "INSERT INTO catalog_procedure_fts(catalog_procedure_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER catalog_procedure_fts_au AFTER UPDATE OF search_text ON catalog_procedure "
    "BEGIN INSERT INTO catalog_procedure_fts(catalog_procedure_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO catalog_procedure_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO catalog_procedure_fts(catalog_procedure_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS catalog_procedure_fts_au",
    "DROP TRIGGER IF EXISTS catalog_procedure_fts_ad",
    "DROP TRIGGER IF EXISTS catalog_procedure_fts_ai",
    "DROP TABLE IF EXISTS catalog_procedure_fts",
]
POSTGRES_FORWARD = [
    "CREATE INDEX catalog_procedure_search_gin ON catalog_procedure "
    "USING gin (to_tsvector('simple', search_text))",
]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS catalog_procedure_search_gin"]


def _run(statements_by_vendor: dict[str, list[str]]):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]

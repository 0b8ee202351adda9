"""PostgreSQL only: trigram indexes for the vault's search (icontains is UPPER(col) LIKE '%Q%').

Without them a search that matches little scans every request of the agency. SQLite (tests,
embedded mode) skips this migration's SQL.
"""

from django.db import migrations

INDEXES = [
    ("vault_insured_name_trgm", "vault_insured", "legal_name"),
    ("vault_insured_dba_trgm", "vault_insured", "dba"),
    ("vault_carrier_name_trgm", "vault_carrier", "legal_name"),
    ("vault_policy_number_trgm", "vault_policy", "policy_number"),
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("vault", "0002_request_status_indexes")]

    operations = [migrations.RunPython(forwards, backwards)]

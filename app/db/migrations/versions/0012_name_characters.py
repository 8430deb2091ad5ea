"""on PostgreSQL, a GIN index of each name's characters (string_to_array(name, NULL)), so that the search box
finds 张 or 明 (one or two characters: no trigram for pg_trgm to look up) among 100,000 persons from the
index instead of reading every person. SQLite has its own search index (0007): nothing to do there.

Revision ID: 0012_name_characters
Revises: 0011_towns
Create Date: 2026-11-30
"""
from alembic import op

revision = '0012_name_characters'
down_revision = '0011_towns'
branch_labels = None
depends_on = None


def upgrade() -> None:
    from app.db import search_index

    if op.get_bind().dialect.name == 'postgresql':
        for name, what in search_index.PG_NAME_CHARACTERS.items():
            op.execute(f"create index {name} on {what}")
        # an expression index has no statistics until ANALYZE, and autovacuum does not run one for a new index
        op.execute("analyze person")


def downgrade() -> None:
    from app.db import search_index

    if op.get_bind().dialect.name == 'postgresql':
        for name in search_index.PG_NAME_CHARACTERS:
            op.execute(f"drop index if exists {name}")

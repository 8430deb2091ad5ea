"""the search index, so the search box finds 张, 明 or 1985 among 100,000 persons without reading every one.
SQLite: each character of each name and the ID numbers' trigrams, kept by triggers; PostgreSQL: pg_trgm and
prefix indexes (app/db/search_index.py)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    from app.db import search_index

    if op.get_bind().dialect.name == 'postgresql':
        # PostgreSQL serves the same searches from indexes of its own: pg_trgm GIN (name and ID fragments)
        # and text_pattern_ops (the start of the initials and the pinyin); no triggers to keep
        for statement in search_index.postgresql_create_statements():
            op.execute(statement)
        return
    for statement in search_index.create_statements():
        op.execute(statement)


def downgrade() -> None:
    from app.db import search_index

    if op.get_bind().dialect.name == 'postgresql':
        for statement in search_index.postgresql_drop_statements():
            op.execute(statement)
        return
    for statement in search_index.drop_statements():
        op.execute(statement)

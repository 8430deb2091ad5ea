"""the search index (SQLite): each character of each name and the ID numbers' trigrams, kept by triggers, so
the search box finds 张, 明 or 1985 among 100,000 persons without reading every one (app/db/search_index.py)

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

    if op.get_bind().dialect.name != 'sqlite':
        return  # PostgreSQL serves the same searches from pg_trgm indexes of its own
    for statement in search_index.create_statements():
        op.execute(statement)


def downgrade() -> None:
    from app.db import search_index

    if op.get_bind().dialect.name != 'sqlite':
        return
    for statement in search_index.drop_statements():
        op.execute(statement)

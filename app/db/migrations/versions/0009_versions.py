"""a version counter on the records two clerks may edit at once (person, household): SQLAlchemy's
version_id_col, so a save made over another clerk's save is refused instead of silently undoing it. Every
stored row starts at 1. Plain ADD COLUMN with a server default: the same on SQLite and PostgreSQL.

Revision ID: 0009_versions
Revises: 0007
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = '0009_versions'
down_revision = '0007'
branch_labels = None
depends_on = None

_TABLES = ('person', 'household')


def upgrade() -> None:
    for table in _TABLES:
        op.add_column(table, sa.Column('version', sa.Integer(), nullable=False, server_default='1'))


def downgrade() -> None:
    for table in _TABLES:
        # ALTER TABLE … DROP COLUMN on both stores (SQLite since 3.35): no batch copy of the table, which
        # foreign keys pointing at person and household would refuse
        op.execute(f'ALTER TABLE {table} DROP COLUMN version')

"""a town key for a county's shared server: village.town (the town's name; a household and a person reach it
through their village, every record through its person or household), the town an audit row belongs to,
and the table of the server's clerks (login → town, none for 县残联 staff). Existing villages take the town
of 单位信息, so that a town's file moved to the county's server keeps its town. On PostgreSQL also the two
roles, the row-level security per town and the audit's actor set by the server (app/db/town_security.py);
on SQLite the columns only exist: a town's file is one town.

Revision ID: 0011_towns
Revises: 0010_county
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = '0011_towns'
down_revision = '0010_county'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('village') as batch:
        batch.add_column(sa.Column('town', sa.String(40), nullable=True))
        batch.create_index('ix_village_town', ['town'])
    with op.batch_alter_table('audit_log') as batch:
        batch.add_column(sa.Column('town', sa.String(40), nullable=True))
    op.create_table(
        'clerk',
        sa.Column('login', sa.String(63), primary_key=True),
        sa.Column('town', sa.String(40), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
    )
    setting = sa.table('setting', sa.column('key', sa.String), sa.column('value', sa.Text))
    village = sa.table('village', sa.column('town', sa.String))
    town = op.get_bind().scalar(sa.select(setting.c.value).where(setting.c.key == 'unit.town'))
    if town and town.strip():
        op.execute(village.update().where(village.c.town.is_(None)).values(town=town.strip()))
    if op.get_bind().dialect.name == 'postgresql':
        from app.db import town_security

        for statement in town_security.create_statements():
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        from app.db import town_security

        for statement in town_security.drop_statements():
            op.execute(statement)
    op.drop_table('clerk')
    with op.batch_alter_table('audit_log') as batch:
        batch.drop_column('town')
    with op.batch_alter_table('village') as batch:
        batch.drop_index('ix_village_town')
        batch.drop_column('town')

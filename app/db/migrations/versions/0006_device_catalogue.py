"""the default 辅助器具目录 goes into the register once, here: a new register, or one of 0005 whose catalogue is
still empty, gets the types of resources/devices/catalogue.json; a register with a catalogue keeps its own.
The window never loads it on a refresh again. Written without audit rows, as the schema and the register's
identity are: it is the program's shipped content, not a clerk's change (the clerk's edits are audited).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

# the table as this revision knows it (the models may grow later; this insert must not)
_types = sa.table(
    'device_type', sa.column('name', sa.String), sa.column('category', sa.String), sa.column('unit', sa.String),
    sa.column('reusable', sa.Boolean), sa.column('use_period_months', sa.Integer),
    sa.column('suits_categories', sa.String), sa.column('suits_grades', sa.String),
    sa.column('needs_assessment', sa.Boolean), sa.column('has_serial', sa.Boolean),
    sa.column('reorder_level', sa.Integer), sa.column('active', sa.Boolean), sa.column('stock_version', sa.Integer),
)


def upgrade() -> None:
    from app.domain.device_rules import codes_text
    from app.services.devices.catalogue import read_catalogue

    if op.get_bind().scalar(sa.select(sa.func.count()).select_from(_types)):
        return
    op.bulk_insert(_types, [
        dict(name=t.name.strip(), category=t.category, unit=t.unit.strip(), reusable=t.reusable,
             use_period_months=t.use_period_months, suits_categories=codes_text(t.suits_categories),
             suits_grades=codes_text(t.suits_grades), needs_assessment=t.needs_assessment, has_serial=t.has_serial,
             reorder_level=t.reorder_level, active=True, stock_version=0)
        for t in read_catalogue()
    ])


def downgrade() -> None:
    pass  # nothing is deleted: by then the types may have stock and issues

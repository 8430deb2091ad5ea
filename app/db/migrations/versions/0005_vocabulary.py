"""one vocabulary: 辅助器具 are devices and 救助 is relief, in the tables' and columns' names; every row kept

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

TABLES = (('aid_type', 'device_type'), ('aid_receipt', 'device_receipt'), ('aid_entry', 'relief_entry'))
# index names carry the table's name: (table after the rename, old index, new index, columns)
INDEXES = (
    ('device_receipt', 'ix_aid_receipt_person_id', 'ix_device_receipt_person_id', ['person_id']),
    ('relief_entry', 'ix_aid_entry_household_id', 'ix_relief_entry_household_id', ['household_id']),
    ('relief_entry', 'ix_aid_entry_person_id', 'ix_relief_entry_person_id', ['person_id']),
    ('relief_entry', 'ix_aid_kind_date', 'ix_relief_kind_date', ['kind', 'date']),
)
MOVEMENT_COLUMN = ('aid_type_id', 'device_type_id')  # stock_movement's column naming the device type

_audit = sa.table('audit_log', sa.column('entity', sa.String), sa.column('field', sa.String),
                  sa.column('new_value', sa.Text))


def _rename_audit(tables: tuple[tuple[str, str], ...], column: tuple[str, str]) -> None:
    """The audit log names tables and columns: it follows the rename, so a row's history stays whole."""
    for old, new in tables:
        op.execute(_audit.update().where(_audit.c.entity == old).values(entity=new))
    old, new = column
    on_movements = _audit.c.entity == 'stock_movement'
    op.execute(_audit.update().where(on_movements, _audit.c.field == old).values(field=new))
    op.execute(_audit.update().where(on_movements, _audit.c.new_value.like(f'%{old}=%'))
               .values(new_value=sa.func.replace(_audit.c.new_value, f'{old}=', f'{new}=')))


def upgrade() -> None:
    # Plain renames (SQLite ≥ 3.26 and PostgreSQL carry the rows and the foreign keys pointing at them).
    for old, new in TABLES:
        op.rename_table(old, new)
    for table, old, new, columns in INDEXES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(old)
            batch_op.create_index(new, columns, unique=False)
    with op.batch_alter_table('stock_movement', schema=None) as batch_op:
        batch_op.alter_column(MOVEMENT_COLUMN[0], new_column_name=MOVEMENT_COLUMN[1])
    _rename_audit(TABLES, MOVEMENT_COLUMN)


def downgrade() -> None:
    _rename_audit(tuple((new, old) for old, new in TABLES), MOVEMENT_COLUMN[::-1])
    with op.batch_alter_table('stock_movement', schema=None) as batch_op:
        batch_op.alter_column(MOVEMENT_COLUMN[1], new_column_name=MOVEMENT_COLUMN[0])
    for table, old, new, columns in INDEXES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(new)
            batch_op.create_index(old, columns, unique=False)
    for old, new in TABLES:
        op.rename_table(new, old)

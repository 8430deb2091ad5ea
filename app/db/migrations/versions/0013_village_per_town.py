"""a village's name is unique in its town, not in the whole register: on a county's shared server two towns'
clerks each have their own 中心村 (the server's trigger gives a town clerk's new village their town). A
village without a town (county staff's, where the villages are many towns') stays unique by name alone. A
town's file, one town, keeps its names unique as before.

Revision ID: 0013_village_per_town
Revises: 0012_name_characters
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = '0013_village_per_town'
down_revision = '0012_name_characters'
branch_labels = None
depends_on = None

_WITHOUT_TOWN = sa.text('town IS NULL')


def _name_unique() -> str:
    # revision 0001's UNIQUE (name) has no name of its own: PostgreSQL calls it village_name_key; on SQLite
    # the batch's naming convention gives the reflected one this name
    return 'village_name_key' if op.get_bind().dialect.name == 'postgresql' else 'uq_village_name'


def upgrade() -> None:
    with op.batch_alter_table('village', naming_convention={'uq': 'uq_%(table_name)s_%(column_0_name)s'}) as batch:
        batch.drop_constraint(_name_unique(), type_='unique')
        batch.create_index('uq_village_town_name', ['town', 'name'], unique=True)
        batch.create_index('uq_village_name_without_town', ['name'], unique=True,
                           sqlite_where=_WITHOUT_TOWN, postgresql_where=_WITHOUT_TOWN)


def downgrade() -> None:
    with op.batch_alter_table('village') as batch:
        batch.drop_index('uq_village_name_without_town')
        batch.drop_index('uq_village_town_name')
        batch.create_unique_constraint(_name_unique(), ['name'])

"""the county's tables (县级汇总, issue 17): the towns reporting to it with their public keys, the 上报包
accepted from each, the towns' data as of their latest package, and the 待核实 lines across towns

Revision ID: 0010_county
Revises: 0009_versions
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = '0010_county'
down_revision = '0009_versions'  # after the version columns (two clerks at once, issue 16)
branch_labels = None
depends_on = None

TABLES = ('county_check', 'county_record', 'county_payment', 'county_status_change', 'county_household',
          'county_person', 'county_package', 'county_town')


def upgrade() -> None:
    op.create_table(
        'county_town',
        sa.Column('id', sa.Integer(), primary_key=True, nullable=False),
        sa.Column('code', sa.String(12), nullable=False),
        sa.Column('name', sa.String(40), nullable=False),
        sa.Column('public_key', sa.String(64), nullable=False),
        sa.Column('fingerprint', sa.String(60), nullable=False),
        sa.Column('last_sequence', sa.Integer(), nullable=False),
        sa.Column('last_as_of', sa.Date(), nullable=True),
        sa.Column('registered_at', sa.DateTime(), nullable=False),
        sa.UniqueConstraint('code'),
    )
    op.create_table(
        'county_package',
        sa.Column('id', sa.Integer(), primary_key=True, nullable=False),
        sa.Column('town_id', sa.Integer(), sa.ForeignKey('county_town.id'), nullable=False),
        sa.Column('sequence', sa.Integer(), nullable=False),
        sa.Column('as_of', sa.Date(), nullable=False),
        sa.Column('manifest_sha256', sa.String(64), nullable=False),
        sa.Column('program_version', sa.String(20), nullable=False),
        sa.Column('schema', sa.String(40), nullable=False),
        sa.Column('summaries', sa.Text(), nullable=False),
        sa.Column('changes', sa.Text(), nullable=False),
        sa.Column('forced', sa.Boolean(), nullable=False),
        sa.Column('imported_at', sa.DateTime(), nullable=False),
        sa.UniqueConstraint('manifest_sha256'),
        sa.UniqueConstraint('town_id', 'sequence'),
    )
    op.create_index('ix_county_package_town_id', 'county_package', ['town_id'], unique=False)
    op.create_table(
        'county_person',
        sa.Column('id', sa.Integer(), primary_key=True, nullable=False),
        sa.Column('town_id', sa.Integer(), sa.ForeignKey('county_town.id'), nullable=False),
        sa.Column('source_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(40), nullable=False),
        sa.Column('id_number', sa.String(18), nullable=False),
        sa.Column('certificate_number', sa.String(20), nullable=False),
        sa.Column('sex', sa.String(2), nullable=False),
        sa.Column('birth_date', sa.Date(), nullable=True),
        sa.Column('category', sa.Integer(), nullable=False),
        sa.Column('grade', sa.Integer(), nullable=False),
        sa.Column('village', sa.String(40), nullable=False),
        sa.Column('address', sa.String(200), nullable=False),
        sa.Column('phone', sa.String(40), nullable=False),
        sa.Column('household_source_id', sa.Integer(), nullable=True),
        sa.Column('labor_ability', sa.String(4), nullable=False),
        sa.Column('medical_insurance', sa.Boolean(), nullable=False),
        sa.Column('bank_account', sa.String(40), nullable=False),
        sa.Column('status', sa.String(4), nullable=False),
        sa.Column('status_date', sa.Date(), nullable=True),
        sa.UniqueConstraint('town_id', 'source_id'),
    )
    op.create_index('ix_county_person_id_number', 'county_person', ['id_number'], unique=False)
    op.create_table(
        'county_household',
        sa.Column('id', sa.Integer(), primary_key=True, nullable=False),
        sa.Column('town_id', sa.Integer(), sa.ForeignKey('county_town.id'), nullable=False),
        sa.Column('source_id', sa.Integer(), nullable=False),
        sa.Column('village', sa.String(40), nullable=False),
        sa.Column('address', sa.String(200), nullable=False),
        sa.Column('head_id_number', sa.String(18), nullable=False),
        sa.Column('dibao', sa.Boolean(), nullable=False),
        sa.Column('tekun', sa.Boolean(), nullable=False),
        sa.UniqueConstraint('town_id', 'source_id'),
    )
    op.create_table(
        'county_status_change',
        sa.Column('id', sa.Integer(), primary_key=True, nullable=False),
        sa.Column('town_id', sa.Integer(), sa.ForeignKey('county_town.id'), nullable=False),
        sa.Column('source_id', sa.Integer(), nullable=False),
        sa.Column('person_source_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(4), nullable=False),
        sa.Column('date', sa.Date(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.UniqueConstraint('town_id', 'source_id'),
    )
    op.create_index('ix_county_status_person', 'county_status_change', ['town_id', 'person_source_id'], unique=False)
    op.create_table(
        'county_payment',
        sa.Column('id', sa.Integer(), primary_key=True, nullable=False),
        sa.Column('town_id', sa.Integer(), sa.ForeignKey('county_town.id'), nullable=False),
        sa.Column('source_id', sa.Integer(), nullable=False),
        sa.Column('person_source_id', sa.Integer(), nullable=False),
        sa.Column('programme', sa.String(20), nullable=False),
        sa.Column('month', sa.Date(), nullable=False),
        sa.Column('amount_fen', sa.Integer(), nullable=False),
        sa.UniqueConstraint('town_id', 'source_id'),
    )
    op.create_index('ix_county_payment_person', 'county_payment', ['town_id', 'person_source_id'], unique=False)
    op.create_table(
        'county_record',
        sa.Column('id', sa.Integer(), primary_key=True, nullable=False),
        sa.Column('town_id', sa.Integer(), sa.ForeignKey('county_town.id'), nullable=False),
        sa.Column('kind', sa.String(8), nullable=False),
        sa.Column('source_id', sa.Integer(), nullable=False),
        sa.Column('person_source_id', sa.Integer(), nullable=True),
        sa.Column('household_source_id', sa.Integer(), nullable=True),
        sa.Column('date', sa.Date(), nullable=True),
        sa.Column('what', sa.String(100), nullable=False),
        sa.Column('quantity', sa.Integer(), nullable=False),
        sa.Column('amount_fen', sa.Integer(), nullable=False),
        sa.UniqueConstraint('town_id', 'kind', 'source_id'),
    )
    op.create_table(
        'county_check',
        sa.Column('id', sa.Integer(), primary_key=True, nullable=False),
        sa.Column('kind', sa.String(20), nullable=False),
        sa.Column('subject', sa.String(80), nullable=False),
        sa.Column('facts', sa.Text(), nullable=False),
        sa.Column('found_at', sa.DateTime(), nullable=False),
        sa.Column('resolved_at', sa.DateTime(), nullable=True),
        sa.Column('note', sa.Text(), nullable=False),
        sa.UniqueConstraint('kind', 'subject'),
    )


def downgrade() -> None:
    for table in TABLES:
        op.drop_table(table)

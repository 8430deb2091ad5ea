"""overpayments of the two subsidies (应追回 → 已追回 / 核销) and the day a household's 低保 ended

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # 低保停止日期: the living subsidy stops from the month after it; NULL for every household so far (their
    # cancellations, if any, are dated by the audit log as before).
    with op.batch_alter_table('household', schema=None) as batch_op:
        batch_op.add_column(sa.Column('dibao_ended', sa.Date(), nullable=True))
    op.create_table('overpayment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('programme', sa.String(length=20), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=True),
    sa.Column('first_month', sa.Date(), nullable=False),
    sa.Column('last_month', sa.Date(), nullable=False),
    sa.Column('months', sa.Integer(), nullable=False),
    sa.Column('amount_fen', sa.Integer(), nullable=False),
    sa.Column('cause', sa.Text(), nullable=False),
    sa.Column('cause_date', sa.Date(), nullable=False),
    sa.Column('status_change_id', sa.Integer(), nullable=True),
    sa.Column('household_id', sa.Integer(), nullable=True),
    sa.Column('raised_on', sa.Date(), nullable=False),
    sa.Column('state', sa.String(length=4), nullable=False),
    sa.Column('settled_on', sa.Date(), nullable=True),
    sa.Column('cancel_reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['subsidy_application.id'], ),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], ),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['status_change_id'], ['status_change.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('overpayment', schema=None) as batch_op:
        batch_op.create_index('ix_overpayment_person', ['person_id', 'programme'], unique=False)
        batch_op.create_index('ix_overpayment_state', ['state'], unique=False)
    op.create_table('overpayment_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('overpayment_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=4), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('amount_fen', sa.Integer(), nullable=False),
    sa.Column('how', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['overpayment_id'], ['overpayment.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('overpayment_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_overpayment_entry_overpayment_id'), ['overpayment_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('overpayment_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_overpayment_entry_overpayment_id'))
    op.drop_table('overpayment_entry')
    with op.batch_alter_table('overpayment', schema=None) as batch_op:
        batch_op.drop_index('ix_overpayment_state')
        batch_op.drop_index('ix_overpayment_person')
    op.drop_table('overpayment')
    with op.batch_alter_table('household', schema=None) as batch_op:
        batch_op.drop_column('dibao_ended')

"""school hosting: each school's answer on hosting trainees, per year or block

Revision ID: 0004
Revises: 0003
"""

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A new table only: existing data is untouched, and every school starts "not yet asked".
    op.create_table('school_hosting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('academic_year_id', sa.Integer(), nullable=False),
    sa.Column('block_id', sa.Integer(), nullable=True),
    sa.Column('hosting', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('confirmed_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['academic_year_id'], ['academic_years.id'], name=op.f('fk_school_hosting_academic_year_id_academic_years'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['block_id'], ['placement_blocks.id'], name=op.f('fk_school_hosting_block_id_placement_blocks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_school_hosting_school_id_schools'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_school_hosting')),
    sa.UniqueConstraint('school_id', 'academic_year_id', 'block_id', name=op.f('uq_school_hosting_school_id_academic_year_id_block_id'))
    )
    with op.batch_alter_table('school_hosting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_school_hosting_school_id'), ['school_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('school_hosting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_school_hosting_school_id'))
    op.drop_table('school_hosting')

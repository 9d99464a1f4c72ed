"""real inputs: trainees' travel mode, schools' previous URNs

Revision ID: 0003
Revises: 0002
"""

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Every trainee already in the file is judged by car until somebody says otherwise.
    with op.batch_alter_table('trainees') as batch:
        batch.add_column(sa.Column('travel_mode', sa.String(length=20), server_default='car', nullable=False))
    op.create_table('school_previous_urns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('urn', sa.String(length=6), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('link_type', sa.String(length=60), nullable=False),
    sa.Column('linked_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_school_previous_urns_school_id_schools'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_school_previous_urns')),
    sa.UniqueConstraint('urn', name=op.f('uq_school_previous_urns_urn'))
    )
    with op.batch_alter_table('school_previous_urns') as batch:
        batch.create_index(batch.f('ix_school_previous_urns_school_id'), ['school_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('school_previous_urns') as batch:
        batch.drop_index(batch.f('ix_school_previous_urns_school_id'))
    op.drop_table('school_previous_urns')
    with op.batch_alter_table('trainees') as batch:
        batch.drop_column('travel_mode')

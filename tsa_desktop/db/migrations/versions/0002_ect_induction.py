"""early career teachers: regime, date of birth, mentor, programme, reduction, leaving day

Revision ID: 0002
Revises: 0001

Every existing NQT record is kept; its induction_regime is set from its start date (an
induction started before 1 September 2021 is an NQT's, any other an ECT's). The file is backed
up before the upgrade by db/migrate.py, as before every upgrade of a file that holds data.
"""

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('nqts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('induction_regime', sa.String(length=3), server_default='ect', nullable=False))
        batch_op.add_column(sa.Column('date_of_birth', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('mentor_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('programme', sa.String(length=20), server_default='', nullable=False))
        batch_op.add_column(sa.Column('reduced_terms', sa.Numeric(precision=3, scale=1, asdecimal=False),
                                      server_default='0', nullable=False))
        batch_op.add_column(sa.Column('left_date', sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f('ix_nqts_mentor_id'), ['mentor_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_nqts_mentor_id_mentors'), 'mentors', ['mentor_id'], ['id'],
                                    ondelete='SET NULL')
    op.execute("UPDATE nqts SET induction_regime = CASE WHEN start_date IS NOT NULL "
               "AND start_date < '2021-09-01' THEN 'nqt' ELSE 'ect' END")


def downgrade() -> None:
    with op.batch_alter_table('nqts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_nqts_mentor_id_mentors'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_nqts_mentor_id'))
        batch_op.drop_column('left_date')
        batch_op.drop_column('reduced_terms')
        batch_op.drop_column('programme')
        batch_op.drop_column('mentor_id')
        batch_op.drop_column('date_of_birth')
        batch_op.drop_column('induction_regime')

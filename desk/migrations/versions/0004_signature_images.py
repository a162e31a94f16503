"""signature and seal images

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 08:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seal_sha256', sa.String(length=64), nullable=True))
        batch_op.create_foreign_key('fk_organizations_seal', 'blobs', ['seal_sha256'], ['sha256'])
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('signature_sha256', sa.String(length=64), nullable=True))
        batch_op.create_foreign_key('fk_people_signature', 'blobs', ['signature_sha256'], ['sha256'])


def downgrade() -> None:
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_constraint('fk_people_signature', type_='foreignkey')
        batch_op.drop_column('signature_sha256')
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.drop_constraint('fk_organizations_seal', type_='foreignkey')
        batch_op.drop_column('seal_sha256')

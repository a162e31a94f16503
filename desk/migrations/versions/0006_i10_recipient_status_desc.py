"""recipients: the description of the last status, and a delivery error

Revision ID: 0006_i10
Revises: 0005
Create Date: 2026-12-01 23:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0006_i10'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('recipients') as batch:
        batch.add_column(sa.Column('status_desc', sa.Text(), nullable=True))
        batch.add_column(sa.Column('delivery_error', sa.String(40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('recipients') as batch:
        batch.drop_column('delivery_error')
        batch.drop_column('status_desc')

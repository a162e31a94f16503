"""inbox of packages fetched from the exchange server

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 08:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('inbox',
    sa.Column('server_id', sa.String(length=200), nullable=False),
    sa.Column('message_type', sa.String(length=10), nullable=False),
    sa.Column('sender', sa.String(length=35), nullable=True),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('acked_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ),
    sa.PrimaryKeyConstraint('server_id')
    )


def downgrade() -> None:
    op.drop_table('inbox')

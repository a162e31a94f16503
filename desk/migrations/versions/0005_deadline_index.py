"""index for deadline counts per list

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 09:35:00
"""

from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_documents_deadlines', 'documents', ['direction', 'state', 'due_date'])


def downgrade() -> None:
    op.drop_index('ix_documents_deadlines', table_name='documents')

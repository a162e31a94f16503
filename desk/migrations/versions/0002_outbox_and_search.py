"""outbox, extracted text and the full-text index

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 08:20:00

The search index is an FTS5 table over search_text, which holds the folded
(diacritics and đ removed) text of each document; triggers keep the two in step
inside the same transaction as the document change. The index is filled by the
application on open (meta search_version differs), not here, so that this
migration does not depend on how documents are turned into search text.
"""

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('document_texts',
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('document_id')
    )
    op.create_table('outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.Column('status_code', sa.String(length=2), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(), nullable=True),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_pending', ['sent_at', 'next_attempt_at'], unique=False)

    op.execute(
        "CREATE TABLE search_text ("
        " doc_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,"
        " subject TEXT NOT NULL DEFAULT '', code TEXT NOT NULL DEFAULT '',"
        " issuer TEXT NOT NULL DEFAULT '', signer TEXT NOT NULL DEFAULT '',"
        " body TEXT NOT NULL DEFAULT '')"
    )
    op.execute(
        "CREATE VIRTUAL TABLE search_fts USING fts5("
        "subject, code, issuer, signer, body,"
        " content='search_text', content_rowid='doc_id',"
        " tokenize='unicode61 remove_diacritics 2', prefix='2 3')"
    )
    op.execute(
        "CREATE TRIGGER search_text_ai AFTER INSERT ON search_text BEGIN"
        " INSERT INTO search_fts(rowid, subject, code, issuer, signer, body)"
        " VALUES (new.doc_id, new.subject, new.code, new.issuer, new.signer, new.body); END"
    )
    op.execute(
        "CREATE TRIGGER search_text_ad AFTER DELETE ON search_text BEGIN"
        " INSERT INTO search_fts(search_fts, rowid, subject, code, issuer, signer, body)"
        " VALUES ('delete', old.doc_id, old.subject, old.code, old.issuer, old.signer, old.body); END"
    )
    op.execute(
        "CREATE TRIGGER search_text_au AFTER UPDATE ON search_text BEGIN"
        " INSERT INTO search_fts(search_fts, rowid, subject, code, issuer, signer, body)"
        " VALUES ('delete', old.doc_id, old.subject, old.code, old.issuer, old.signer, old.body);"
        " INSERT INTO search_fts(rowid, subject, code, issuer, signer, body)"
        " VALUES (new.doc_id, new.subject, new.code, new.issuer, new.signer, new.body); END"
    )
    # Column weights for bm25: trích yếu and số/ký hiệu count most, the PDF text least.
    op.execute("INSERT INTO search_fts(search_fts, rank) VALUES('rank', 'bm25(8.0, 6.0, 2.0, 2.0, 1.0)')")
    op.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('search_version', '0')")


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS search_fts")
    op.execute("DROP TABLE IF EXISTS search_text")
    op.drop_table('outbox')
    op.drop_table('document_texts')

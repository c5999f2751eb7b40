"""coder_version columns wide enough for the rules' version and every trained model's hash

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TABLES = ("documents", "runs")


def upgrade() -> None:
    # SQLite does not enforce VARCHAR lengths, and rebuilding `documents` there (the only way SQLite
    # changes a column) would cascade-delete its mentions: only other databases need the change.
    if op.get_bind().dialect.name == "sqlite":
        return
    for table in TABLES:
        op.alter_column(table, "coder_version", type_=sa.String(200), existing_type=sa.String(64))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    for table in TABLES:
        op.alter_column(table, "coder_version", type_=sa.String(64), existing_type=sa.String(200))

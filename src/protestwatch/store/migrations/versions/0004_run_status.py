"""a run's status (running, finished, interrupted) and the process that ran it, so that a killed run is
closed as interrupted by the next one

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        batch.add_column(sa.Column("status", sa.String(12), nullable=False, server_default="finished"))
        batch.add_column(sa.Column("pid", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("host", sa.String(255), nullable=True))
    # a run stored before this revision without an end was killed (or never reported back)
    op.execute("UPDATE runs SET status = 'interrupted' WHERE finished_at IS NULL")


def downgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        batch.drop_column("host")
        batch.drop_column("pid")
        batch.drop_column("status")

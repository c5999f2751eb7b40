"""each event's list summary in a column of its own: a list of summaries reads a few hundred bytes an event
instead of parsing its whole record

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""
import json

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# as in store/models.py (SUMMARY_FIELDS) when this migration was written: a migration keeps its own copy
FIELDS = ["id", "type", "family", "date", "location", "confidence", "participants", "detained", "fatalities"]


def upgrade() -> None:
    op.add_column("events", sa.Column("summary", sa.JSON(), nullable=True))
    events = sa.table("events", sa.column("id", sa.String), sa.column("summary", sa.JSON))
    fill = events.update().where(events.c.id == sa.bindparam("event_id")).values(summary=sa.bindparam("filled", type_=sa.JSON()))
    bind, last = op.get_bind(), ""
    # a thousand at a time by id, so that no read is open over rows being written
    while chunk := bind.execute(sa.text("SELECT id, record FROM events WHERE id > :last ORDER BY id LIMIT 1000"),
                                {"last": last}).all():
        filled = []
        for event_id, record in chunk:
            record = json.loads(record) if isinstance(record, str) else record
            filled.append({"event_id": event_id, "filled": {key: record.get(key) for key in FIELDS}})
        bind.execute(fill, filled)
        last = chunk[-1][0]


def downgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.drop_column("summary")

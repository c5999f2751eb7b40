"""lists of events found without reading every record: an index holding every column a list filters or
sorts by, and a narrow table of the texts its place, actor and text filters search

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""
import json

import sqlalchemy as sa
from alembic import op

from protestwatch.store.models import search_texts

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# as in store/models.py (LISTING_COLUMNS) when this migration was written: a migration keeps its own copy
COLUMNS = ["date_start", "id", "date_end", "confidence", "type", "country", "lat", "lon", "place"]


def upgrade() -> None:
    op.create_index("ix_events_listing", "events", COLUMNS)
    search = op.create_table(
        "event_search",
        sa.Column("event_id", sa.String(64), sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("place", sa.Text(), nullable=False),
        sa.Column("actors", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
    )
    # the events already stored get their texts from their records (the same function new events use)
    rows = op.get_bind().execute(sa.text("SELECT id, record FROM events").execution_options(stream_results=True))
    for chunk in rows.partitions(1000):
        filled = []
        for event_id, record in chunk:
            place, actors, text = search_texts(json.loads(record) if isinstance(record, str) else record)
            filled.append({"event_id": event_id, "place": place, "actors": actors, "text": text})
        op.bulk_insert(search, filled)


def downgrade() -> None:
    op.drop_table("event_search")
    op.drop_index("ix_events_listing", table_name="events")

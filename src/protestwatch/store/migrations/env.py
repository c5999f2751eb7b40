"""Alembic environment: run with a connection handed over by protestwatch.store.migrate()."""

from alembic import context

from protestwatch.store.models import Base

target_metadata = Base.metadata
connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("protestwatch migrations run through protestwatch.store.migrate(engine)")
context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()

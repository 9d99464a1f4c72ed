"""Alembic environment: always run on a connection the caller opened (see db/migrate.py).

``render_as_batch`` lets SQLite alter tables by rebuilding them; the caller's single
transaction makes the whole upgrade all or nothing.
"""

from alembic import context

from tsa_desktop.db.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reached by running the alembic CLI by hand
    raise RuntimeError("Run migrations through tsa_desktop.db.migrate, not the alembic command.")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
    transaction_per_migration=False,
)
with context.begin_transaction():
    context.run_migrations()

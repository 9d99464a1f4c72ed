"""Regenerate the baseline migration 0001 from tsa_desktop/db/models.py.

Only for development before the first release: while no user has a file stamped 0001, the
baseline may change. After the first release, every schema change is a new revision instead
(``alembic revision --autogenerate`` through ``tsa_desktop.db.migrate.alembic_config``).

Usage: python packaging/regen_baseline.py
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from alembic import command

from tsa_desktop.db.engine import create_db_engine, to_url
from tsa_desktop.db.migrate import MIGRATIONS, alembic_config


def main() -> None:
    target = MIGRATIONS / "versions" / "0001_baseline_schema.py"
    target.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_db_engine(to_url(Path(tmp) / "empty.db"))
        with engine.begin() as conn:
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            command.revision(cfg, message="baseline schema", autogenerate=True, rev_id="0001")
        engine.dispose()
    text = target.read_text().splitlines()
    # The creation date changes on every run; drop it so regenerating gives a stable file.
    target.write_text("\n".join(line for line in text if not line.startswith("Create Date:")) + "\n")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()

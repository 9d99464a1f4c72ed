"""Opening files: create, upgrade with a backup, refuse newer, roll back a failed migration."""

import hashlib
import shutil
import sqlite3
import textwrap

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from tsa_desktop.db.engine import create_db_engine, to_url
from tsa_desktop.db.migrate import MIGRATIONS, current_revision, head_revision, upgrade_database
from tsa_desktop.db.models import Base
from tsa_desktop.domain.errors import DatabaseFileError, NewerDatabaseError


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _tables(path):
    with sqlite3.connect(path) as conn:
        return sorted(r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'"))


def test_empty_file_gets_the_whole_schema(tmp_path):
    db = tmp_path / "new.db"
    report = upgrade_database(to_url(db), tmp_path / "backups")
    assert report.created and report.to_revision == head_revision()
    assert "schools" in _tables(db) and "placements" in _tables(db)
    assert report.backup is None  # nothing to back up in a new file


def test_models_and_migrations_agree(tmp_path):
    db = tmp_path / "new.db"
    upgrade_database(to_url(db), None)
    engine = create_db_engine(to_url(db))
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    engine.dispose()
    assert diff == [], "models.py changed without a migration"


def test_foreign_keys_are_enforced(tmp_path):
    db = tmp_path / "fk.db"
    upgrade_database(to_url(db), None)
    engine = create_db_engine(to_url(db))
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError):
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO mentors (email, first_name, last_name, school_id, phase, is_lead_mentor,"
                              " max_trainees, active, phone, version) VALUES ('a@b.c','A','B',999,'primary',0,1,1,'',1)"))
    engine.dispose()


def _copy_migrations(tmp_path):
    scripts = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    return scripts


def _add_revision(scripts, rev, body):
    header = (
        "from alembic import op\n"
        "import sqlalchemy as sa\n"
        f"revision = {rev!r}\n"
        f"down_revision = {head_revision()!r}\n"
        "branch_labels = None\n"
        "depends_on = None\n\n"
        "def upgrade():\n"
    )
    code = header + textwrap.indent(textwrap.dedent(body).strip(), "    ") + "\n\ndef downgrade():\n    pass\n"
    (scripts / "versions" / f"{rev}_test.py").write_text(code)


def _file_with_data(tmp_path):
    db = tmp_path / "data.db"
    upgrade_database(to_url(db), None)
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO schools (urn, name, phase, establishment_type, local_authority, address_line_1,"
                     " address_line_2, town, postcode, is_lead_school, capacity_per_block, contact_name,"
                     " contact_email, establishment_status, version) VALUES ('100001','Wildern School','secondary',"
                     "'','','','','','',0,4,'','','Open',1)")
    return db


def test_upgrade_of_a_file_with_data_backs_it_up_and_keeps_the_data(tmp_path):
    db = _file_with_data(tmp_path)
    scripts = _copy_migrations(tmp_path)
    _add_revision(scripts, "9001", """
        with op.batch_alter_table("schools") as batch:
            batch.add_column(sa.Column("website", sa.String(200), nullable=True))
    """)
    report = upgrade_database(to_url(db), tmp_path / "backups", scripts)
    assert report.from_revision == head_revision() and report.to_revision == "9001"
    assert report.backup is not None
    with sqlite3.connect(report.backup) as conn:  # the copy is the file as it was before
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(head_revision(),)]
        assert conn.execute("SELECT name FROM schools").fetchall() == [("Wildern School",)]
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT name, website FROM schools").fetchall() == [("Wildern School", None)]


def test_a_migration_failing_halfway_leaves_the_file_exactly_as_it_was(tmp_path):
    db = _file_with_data(tmp_path)
    before, tables = _digest(db), _tables(db)
    scripts = _copy_migrations(tmp_path)
    _add_revision(scripts, "9002", """
        op.create_table("half_built", sa.Column("id", sa.Integer, primary_key=True))
        with op.batch_alter_table("schools") as batch:
            batch.add_column(sa.Column("extra", sa.Integer, nullable=True))
        op.execute("INSERT INTO no_such_table VALUES (1)")
    """)
    with pytest.raises(DatabaseFileError, match="It was not changed"):
        upgrade_database(to_url(db), tmp_path / "backups", scripts)
    assert _tables(db) == tables and "half_built" not in _tables(db)
    assert _digest(db) == before
    assert current_revision(to_url(db)) == head_revision()


def test_a_file_from_a_newer_version_is_refused_and_untouched(tmp_path):
    db = _file_with_data(tmp_path)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffff_from_the_future'")
    before = _digest(db)
    with pytest.raises(NewerDatabaseError, match="newer version"):
        upgrade_database(to_url(db), tmp_path / "backups")
    assert _digest(db) == before
    assert not (tmp_path / "backups").exists()


def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    bogus = tmp_path / "letter.db"
    bogus.write_text("Dear Sir or Madam")
    with pytest.raises(DatabaseFileError, match="not a tsa-desktop database"):
        upgrade_database(to_url(bogus), None)
    assert bogus.read_text() == "Dear Sir or Madam"


def test_another_programs_database_is_refused(tmp_path):
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER)")
    with pytest.raises(DatabaseFileError, match="not one of tsa-desktop's"):
        upgrade_database(to_url(other), None)


def test_nqts_of_a_0001_file_are_kept_with_their_regime_set_and_a_backup_made(tmp_path):
    scripts = _copy_migrations(tmp_path)
    for later in (scripts / "versions").glob("*.py"):
        if later.name != "__init__.py" and not later.name.startswith("0001_"):
            later.unlink()
    db = tmp_path / "old.db"
    upgrade_database(to_url(db), None, scripts)
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO schools (urn, name, phase, establishment_type, local_authority, address_line_1,"
                     " address_line_2, town, postcode, is_lead_school, capacity_per_block, contact_name,"
                     " contact_email, establishment_status, version) VALUES ('100001','Wildern School',"
                     "'secondary','','','','','','',0,4,'','','Open',1)")
        conn.execute("INSERT INTO academic_years (name, start_date, end_date) VALUES ('2020/21','2020-09-01','2021-08-31')")
        conn.execute("INSERT INTO induction_cohorts (academic_year_id, name) VALUES (1, 'NQT induction 2020/21')")
        for i, start in enumerate(("2020-09-01", "2021-09-01", None), 1):
            conn.execute("INSERT INTO nqts (email, first_names, last_name, cohort_id, employing_school_id,"
                         " induction_tutor_name, induction_tutor_email, appropriate_body, start_date, fte,"
                         " terms_counted, extension_terms, status, version) VALUES (?, 'Ann', ?, 1, 1, '', '',"
                         " 'Hub', ?, 0.5, 1.5, 0, 'in_progress', 1)", (f"t{i}@example.org", f"Teacher{i}", start))
        conn.execute("INSERT INTO nqt_assessments (nqt_id, term, kind, due_date, notes, version)"
                     " VALUES (1, 1, 'progress_review', '2020-12-18', 'kept', 1)")
    assert current_revision(to_url(db)) == "0001"

    report = upgrade_database(to_url(db), tmp_path / "backups")
    assert (report.from_revision, report.to_revision) == ("0001", head_revision())
    assert report.backup is not None and report.backup.exists()
    with sqlite3.connect(report.backup) as conn:
        assert conn.execute("SELECT count(*) FROM nqts").fetchone() == (3,)
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT email, last_name, fte, terms_counted, induction_regime, reduced_terms,"
                            " programme, mentor_id FROM nqts ORDER BY id").fetchall()
        assert rows == [("t1@example.org", "Teacher1", 0.5, 1.5, "nqt", 0, "", None),
                        ("t2@example.org", "Teacher2", 0.5, 1.5, "ect", 0, "", None),
                        ("t3@example.org", "Teacher3", 0.5, 1.5, "ect", 0, "", None)]
        assert conn.execute("SELECT notes FROM nqt_assessments").fetchall() == [("kept",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []

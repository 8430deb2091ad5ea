import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from app.db.engine import head_revision, open_database
from app.errors import DatabaseError


def test_new_file_is_created_at_the_newest_schema_with_wal(db_path: Path) -> None:
    with open_database(db_path) as db, db.session() as s:
        assert s.execute(text("select version_num from alembic_version")).scalar() == head_revision()
        assert s.execute(text("pragma journal_mode")).scalar() == "wal"
        assert s.execute(text("pragma foreign_keys")).scalar() == 1


def test_second_program_on_the_same_file_is_refused(db_path: Path) -> None:
    with open_database(db_path):
        with pytest.raises(DatabaseError, match="正被另一个"):
            open_database(db_path)
    open_database(db_path).close()  # released on close


def test_file_from_a_newer_version_is_refused_untouched(db_path: Path) -> None:
    open_database(db_path).close()
    with sqlite3.connect(db_path) as conn:
        conn.execute("update alembic_version set version_num = '9999_future'")
    before = db_path.read_bytes()
    with pytest.raises(DatabaseError, match="更新版本"):
        open_database(db_path)
    assert db_path.read_bytes() == before


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    bogus = tmp_path / "x.db"
    bogus.write_text("这不是数据库" * 200, encoding="utf-8")
    with pytest.raises(DatabaseError, match="不是残联工作台的数据文件"):
        open_database(bogus)


def test_older_schema_is_copied_then_upgraded(db_path: Path) -> None:
    """Built at the first revision's parent (empty), then stamped back one step when there are more revisions."""
    from alembic import command

    from app.db.engine import alembic_config, make_engine

    engine = make_engine(db_path)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    engine.dispose()
    with open_database(db_path) as db, db.session() as s:
        assert s.execute(text("select version_num from alembic_version")).scalar() == head_revision()
    if head_revision() != "0001":
        assert list(db_path.parent.glob("canlian.升级前备份-0001-*.db"))

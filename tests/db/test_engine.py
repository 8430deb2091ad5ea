import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.db.engine import PAGE_CACHE_KIB, head_revision, open_database
from app.errors import DatabaseError


def test_new_file_is_created_at_the_newest_schema_with_wal(db_path: Path) -> None:
    with open_database(db_path) as db, db.session() as s:
        assert s.execute(text("select version_num from alembic_version")).scalar() == head_revision()
        assert s.execute(text("pragma journal_mode")).scalar() == "wal"
        assert s.execute(text("pragma foreign_keys")).scalar() == 1
        assert s.execute(text("pragma cache_size")).scalar() == -PAGE_CACHE_KIB  # a county's search pages stay


def test_second_program_on_the_same_file_is_refused(db_path: Path) -> None:
    with open_database(db_path), pytest.raises(DatabaseError, match="正被另一个"):
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


def test_a_register_made_by_the_first_schema_keeps_every_person_after_upgrade(db_path: Path) -> None:
    """A database of the first released schema (0001) with a person in it upgrades to head without loss."""
    from alembic import command

    from app.db.engine import alembic_config, make_engine

    engine = make_engine(db_path)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.execute(text(
            "insert into person (name, id_number, sex, birth_date, category, components, grade, phone, address,"
            " guardian, guardian_phone, ethnicity, education, labor_ability, employment, self_care, lives_alone,"
            " medical_insurance, bank_name, bank_account, notes, status, initials, pinyin, created_at, updated_at)"
            " values ('张三', '620921198001011234', '男', '1980-01-01', 4, '', 2, '', '', '', '', '汉族', '', '',"
            " '', '', 0, 1, '', '', '', '在册', 'zs', 'zhangsan', '2026-01-01 00:00:00', '2026-01-01 00:00:00')"))
        conn.execute(text("insert into household (address, head_person_id, dibao, tekun, low_income, notes,"
                          " created_at, updated_at) values ('', 1, 1, 0, 0, '', '2026-01-01', '2026-01-01')"))
        conn.execute(text("update person set household_id = 1"))
        conn.execute(text("insert into status_change (person_id, status, date, reason, recorded_at)"
                          " values (1, '在册', '2020-01-01', '', '2026-01-01')"))
    engine.dispose()
    with open_database(db_path) as db, db.session() as s:
        row = s.execute(text("select name, work_injury_care, other_allowance_fen from person")).one()
        assert tuple(row) == ("张三", 0, 0)
    assert len(list(db_path.parent.glob("canlian.升级前备份-0001-*.db"))) == 1


def test_the_revisions_read_at_start_are_alembics_own() -> None:
    """Start reads each migration's revision and the one it follows from the head of its file; Alembic's own
    reading of the same scripts (loaded only to migrate) finds the same chain."""
    from alembic.script import ScriptDirectory

    from app.db import engine

    scripts = ScriptDirectory.from_config(engine.alembic_config())
    alembics = {s.revision: tuple(s._all_down_revisions) for s in scripts.walk_revisions()}
    assert engine._revisions() == alembics and len(alembics) > 10
    assert engine.head_revision() == scripts.get_current_head()


def test_a_migration_assigning_its_revision_after_a_function_is_read_whole(tmp_path, monkeypatch) -> None:
    from app.db import engine

    versions = tmp_path / "versions"
    versions.mkdir()
    (versions / "0001_a.py").write_text('revision = "a"\ndown_revision = None\n\ndef upgrade():\n    pass\n')
    (versions / "0002_b.py").write_text('def upgrade():\n    pass\n\nrevision = "b"\ndown_revision = "a"\n')
    monkeypatch.setattr(engine, "_MIGRATIONS", tmp_path)
    engine._revisions.cache_clear()
    try:
        assert engine._revisions() == {"a": (), "b": ("a",)}
    finally:
        engine._revisions.cache_clear()


def _group_of_no_village(session: Session) -> None:
    session.execute(text("insert into village_group (village_id, name) values (999, '1组')"))


def test_keys_at_end_refuse_a_row_pointing_at_nothing_before_the_commit_and_write_nothing(db_path: Path) -> None:
    with open_database(db_path) as db:
        refused = pytest.raises(DatabaseError, match="数据关联不完整.*village_group.*没有写入任何数据")
        with refused, db.transaction(keys_at_end=True) as s:
            assert s.execute(text("pragma foreign_keys")).scalar() == 0  # not checked row by row meanwhile
            s.execute(text("insert into village (name, sort_order) values ('金塔村', 1)"))
            _group_of_no_village(s)
        with db.session() as s:
            assert s.execute(text("select count(*) from village")).scalar() == 0
            assert s.execute(text("select count(*) from village_group")).scalar() == 0


def test_after_a_transaction_with_keys_at_end_every_write_is_checked_row_by_row_again(db_path: Path) -> None:
    with open_database(db_path) as db:
        with db.transaction(keys_at_end=True) as s:
            s.execute(text("insert into village (name, sort_order) values ('金塔村', 1)"))
        for _ in range(2):  # whichever connection of the pool the next write gets
            with pytest.raises(IntegrityError, match="FOREIGN KEY"), db.transaction() as s:
                assert s.execute(text("pragma foreign_keys")).scalar() == 1
                _group_of_no_village(s)
        with db.session() as s:
            assert s.execute(text("pragma foreign_keys")).scalar() == 1
            assert s.execute(text("select count(*) from village")).scalar() == 1

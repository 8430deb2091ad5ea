"""Revision 0006 (the default 辅助器具目录 installed with the register): a register of 0005 whose catalogue is
empty gets the shipped types on upgrade, once; one whose clerk already has a catalogue keeps it as it is;
the window never has to load it (tests/ui/test_devices_tab.py opens a write-protected register)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import text

from app.db.engine import alembic_config, make_engine, open_database
from app.domain.device_rules import codes_text
from app.services.devices.catalogue import read_catalogue

_OWN = (
    "insert into device_type (name, category, unit, reusable, use_period_months, suits_categories, suits_grades,"
    " needs_assessment, has_serial, reorder_level, active, stock_version) values"
    " ('电动轮椅', '肢体', '辆', 1, 60, '4', '1', 1, 1, 1, 1, 4)"
)


def _register_of_0005(db_path: Path, *statements: str) -> None:
    engine = make_engine(db_path)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0005")
        for statement in statements:
            conn.execute(text(statement))
    engine.dispose()


def _types(db_path: Path) -> list[tuple[object, ...]]:
    with open_database(db_path) as db, db.session() as s:
        return [tuple(row) for row in s.execute(text(
            "select name, category, unit, reusable, use_period_months, suits_categories, suits_grades,"
            " needs_assessment, has_serial, reorder_level, active, stock_version from device_type order by id"))]


def test_an_empty_catalogue_gets_the_shipped_types_once_and_no_audit_row(db_path: Path) -> None:
    _register_of_0005(db_path)
    shipped = [(t.name, t.category, t.unit, t.reusable, t.use_period_months, codes_text(t.suits_categories),
                codes_text(t.suits_grades), t.needs_assessment, t.has_serial, t.reorder_level, True, 0)
               for t in read_catalogue()]
    assert _types(db_path) == shipped
    assert _types(db_path) == shipped  # opened again: nothing added twice
    with open_database(db_path) as db, db.session() as s:
        assert s.execute(text("select count(*) from audit_log")).scalar() == 0
        suits = s.execute(text("select name, suits_categories, suits_grades from device_type")).all()
        assert ("普通轮椅", "4", "1,2") in suits


def test_a_catalogue_of_the_clerks_own_is_kept_as_it_is(db_path: Path) -> None:
    _register_of_0005(db_path, _OWN)
    assert _types(db_path) == [("电动轮椅", "肢体", "辆", True, 60, "4", "1", True, True, 1, True, 4)]


def test_going_back_down_leaves_the_types(db_path: Path) -> None:
    open_database(db_path).close()
    engine = make_engine(db_path)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0005")
    with engine.connect() as conn:
        count = conn.execute(text("select count(*) from device_type")).scalar()
    engine.dispose()
    assert count == len(read_catalogue())

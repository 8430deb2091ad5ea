"""Revision 0004 (overpayments, 低保停止日期): a register of 0003 upgrades without loss, the models and the
migrations describe the same schema, and the revision goes back down cleanly."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from app.db.engine import alembic_config, make_engine, open_database
from app.db.schema import Base
from app.db.search_index import include_name


def test_a_register_of_0003_upgrades_and_matches_the_models(db_path: Path) -> None:
    engine = make_engine(db_path)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0003")
        conn.execute(text("insert into household (address, dibao, dibao_class, tekun, low_income, notes, created_at,"
                          " updated_at) values ('金塔村1组', 1, 2, 0, 0, '', '2026-01-01', '2026-01-01')"))
    engine.dispose()
    with open_database(db_path) as db, db.session() as s:
        assert tuple(s.execute(text("select dibao, dibao_class, dibao_ended from household")).one()) == (1, 2, None)
        assert s.execute(text("select count(*) from overpayment")).scalar() == 0
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"include_name": include_name})  # search index: SQLite's
            assert compare_metadata(context, Base.metadata) == []


def test_the_revision_goes_back_down(db_path: Path) -> None:
    open_database(db_path).close()
    engine = make_engine(db_path)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0003")
    tables = set(inspect(engine).get_table_names())
    columns = {c["name"] for c in inspect(engine).get_columns("household")}
    engine.dispose()
    assert not {"overpayment", "overpayment_entry"} & tables and "dibao_ended" not in columns

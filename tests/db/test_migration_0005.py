"""Revision 0005 (one vocabulary: devices and relief): a register of 0004 with rows in every renamed table
upgrades without loss, its audit log follows the new names, the models and the migrations describe the
same schema, and the revision goes back down to the old names with the rows still there."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from app.db.engine import alembic_config, make_engine, open_database
from app.db.schema import Base
from app.db.search_index import include_name

_ROWS = (
    "insert into person (name, id_number, sex, birth_date, category, components, grade, phone, address, guardian,"
    " guardian_phone, ethnicity, education, labor_ability, employment, self_care, lives_alone, medical_insurance,"
    " bank_name, bank_account, notes, work_injury_care, orphan_allowance, other_allowance_kind,"
    " other_allowance_fen, status, initials, pinyin, created_at, updated_at) values ('张三', '620921198001011234',"
    " '男', '1980-01-01', 4, '', 1, '', '', '', '', '汉族', '', '', '', '', 0, 1, '', '', '', 0, 0, '', 0, '在册',"
    " 'zs', 'zhangsan', '2026-01-01', '2026-01-01')",
    "insert into household (address, head_person_id, dibao, tekun, low_income, notes, created_at, updated_at)"
    " values ('金塔村1组', 1, 1, 0, 0, '', '2026-01-01', '2026-01-01')",
    "insert into aid_type (name, category, unit, reusable, use_period_months, suits_categories, suits_grades,"
    " needs_assessment, has_serial, reorder_level, active, stock_version) values"
    " ('普通轮椅', '肢体', '辆', 1, 36, '4', '1,2', 0, 1, 2, 1, 3),"
    " ('拐杖', '肢体', '副', 0, 12, '4', '', 0, 0, 0, 1, 1)",
    "insert into aid_receipt (number, person_id, date, clerk, checker, created_at)"
    " values ('2026-0001', 1, '2026-03-02', '李红梅', '张建国', '2026-03-02')",
    "insert into stock_movement (aid_type_id, kind, date, quantity, source, batch, serial, model, person_id,"
    " receipt_id, condition, reason, created_at) values"
    " (1, '入库', '2026-01-05', 2, '县残联调拨', '', 'LY001', 'H005钢制', null, null, '', '', '2026-01-05'),"
    " (1, '发放', '2026-03-02', 1, '', '', 'LY001', 'H005钢制', 1, 1, '', '', '2026-03-02'),"
    " (2, '入库', '2026-01-05', 5, '县残联调拨', '', '', '', null, null, '', '', '2026-01-05')",
    "insert into aid_entry (kind, person_id, household_id, date, amount_fen, item, approver, note, cancelled,"
    " created_at) values ('临时救助', 1, null, '2026-02-01', 50000, '', '王志强', '因病致困', 0, '2026-02-01'),"
    " ('危房改造', null, 1, '2026-05-01', 2000000, '', '王志强', '', 0, '2026-05-01')",
    "insert into audit_log (at, actor, entity, entity_id, action, field, old_value, new_value) values"
    " ('2026-01-05', '', 'aid_type', 1, '新增', '', null, 'name=普通轮椅'),"
    " ('2026-03-02', '', 'aid_receipt', 1, '新增', '', null, 'number=2026-0001'),"
    " ('2026-03-02', '', 'stock_movement', 2, '新增', '', null, 'aid_type_id=1; kind=发放; quantity=1'),"
    " ('2026-03-03', '', 'stock_movement', 2, '修改', 'aid_type_id', '2', '1'),"
    " ('2026-02-01', '', 'aid_entry', 1, '新增', '', null, 'kind=临时救助; amount_fen=50000')",
)


def _register_of_0004(db_path: Path) -> None:
    engine = make_engine(db_path)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0004")
        for statement in _ROWS:
            conn.execute(text(statement))
    engine.dispose()


def test_a_register_of_0004_upgrades_without_loss_and_matches_the_models(db_path: Path) -> None:
    _register_of_0004(db_path)
    with open_database(db_path) as db, db.session() as s:
        count = {t: s.execute(text(f"select count(*) from {t}")).scalar()
                 for t in ("device_type", "device_receipt", "stock_movement", "relief_entry", "audit_log")}
        assert count == {"device_type": 2, "device_receipt": 1, "stock_movement": 3, "relief_entry": 2, "audit_log": 5}
        assert s.execute(text("select device_type_id, kind, serial from stock_movement where receipt_id = 1")).one() \
            == (1, "发放", "LY001")
        assert s.execute(text("select name, stock_version from device_type where id = 1")).one() == ("普通轮椅", 3)
        assert s.execute(text("select kind, amount_fen from relief_entry order by id")).all() \
            == [("临时救助", 50000), ("危房改造", 2000000)]
        assert s.execute(text("select entity, field, new_value from audit_log order by id")).all() == [
            ("device_type", "", "name=普通轮椅"), ("device_receipt", "", "number=2026-0001"),
            ("stock_movement", "", "device_type_id=1; kind=发放; quantity=1"),
            ("stock_movement", "device_type_id", "1"), ("relief_entry", "", "kind=临时救助; amount_fen=50000")]
        assert s.execute(text("pragma foreign_key_check")).all() == []
        tables = set(inspect(db.engine).get_table_names())
        assert {"device_type", "device_receipt", "relief_entry"} <= tables
        assert not {"aid_type", "aid_receipt", "aid_entry"} & tables
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"include_name": include_name})  # search index: SQLite's
            assert compare_metadata(context, Base.metadata) == []


def test_the_revision_goes_back_down_with_the_rows(db_path: Path) -> None:
    _register_of_0004(db_path)
    open_database(db_path).close()
    engine = make_engine(db_path)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0004")
    tables = set(inspect(engine).get_table_names())
    columns = {c["name"] for c in inspect(engine).get_columns("stock_movement")}
    with engine.connect() as conn:
        entities = conn.execute(text("select distinct entity from audit_log order by entity")).scalars().all()
        rows = conn.execute(text("select count(*) from aid_entry")).scalar()
    engine.dispose()
    assert {"aid_type", "aid_receipt", "aid_entry"} <= tables and not {"device_type", "relief_entry"} & tables
    assert "aid_type_id" in columns and "device_type_id" not in columns
    assert entities == ["aid_entry", "aid_receipt", "aid_type", "stock_movement"] and rows == 2

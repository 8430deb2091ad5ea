"""Device stock and issuing: stock is the sum of movements, never below zero, even for two issues at once."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select

from app.db.engine import Database, open_database
from app.db.models import AuditEntry, StockMovement
from app.errors import InputError
from app.services.actions import Action, Changes, Query
from app.services.devices import issue, stock
from app.services.devices.catalogue import DeviceTypeValues, catalogue_types, read_catalogue, save_device_type
from app.services.devices.history import issued_figures, person_history, receipt_view, returnable, type_history
from app.services.devices.issue import IssueItem, NeedsReason
from app.services.register.people import get_person
from app.services.register.status_changes import change_status
from app.services.summary.figures import summarise
from tests.factories import add_person, make_id

DAY = dt.date(2025, 3, 10)


def _types(db: Database) -> dict[str, int]:
    return {t.name: t.id for t in catalogue_types(db)}


@pytest.fixture
def town(db: Database) -> dict[str, Any]:
    types = _types(db)
    with db.transaction() as s:
        grade_one = add_person(s, "王一", id_number=make_id("19600101", "111"), category="肢体", grade="一级").id
        deaf = add_person(s, "李聪", id_number=make_id("19700101", "222"), category="听力", grade="三级").id
    return {"types": types, "grade_one": grade_one, "deaf": deaf}


def _stock(db: Database, type_id: int) -> int:
    with db.session() as s:
        return stock.on_hand(s, type_id)


def test_a_new_register_comes_with_the_default_catalogue_once_with_its_rules(db: Database, db_path: Path) -> None:
    assert [t.name for t in catalogue_types(db)] == [t.name for t in read_catalogue()]
    db.close()
    with open_database(db_path) as again:  # opened again: still the one catalogue
        types = catalogue_types(again, include_inactive=True)
    assert len(types) == len(read_catalogue())
    chair = next(t for t in types if t.name == "普通轮椅")
    assert chair.reusable and chair.has_serial and chair.use_period_months == 36
    assert chair.suits == "肢体 一级、二级" and chair.period_text == "3年"


def test_catalogue_is_editable_and_names_stay_unique(db: Database) -> None:
    types = _types(db)
    added = save_device_type(db, DeviceTypeValues("四轮助行器", unit="台", reusable=True, suits_categories=(4,)))
    assert (added.name, added.unit, added.suits) == ("四轮助行器", "台", "肢体")
    with pytest.raises(InputError, match="已有“拐杖”"):
        save_device_type(db, DeviceTypeValues("拐杖"), types["手杖"])
    save_device_type(db, DeviceTypeValues("拐杖", unit="副", use_period_months=24, active=False), types["拐杖"])
    names = [t.name for t in catalogue_types(db)]
    with pytest.raises(InputError, match="拐杖已在器具目录中停用"):
        stock.receive(db, types["拐杖"], DAY, 1, stock.COUNTY)
    assert "四轮助行器" in names and "拐杖" not in names


def test_each_write_is_one_short_action_audited_as_the_clerk(db: Database, town: dict[str, Any]) -> None:
    for write in (save_device_type, stock.receive, stock.write_off, issue.issue, issue.return_item):
        assert isinstance(write, Action) and (write.changes, write.long) == (Changes.DEVICES, False), write
    for read in (catalogue_types, stock.stock_page, stock.in_store, issue.check_issue, person_history, type_history,
                 returnable):
        assert isinstance(read, Query) and not read.long, read
    db.actor = "李红梅"
    chair = town["types"]["普通轮椅"]
    stock.receive(db, chair, DAY, 2, stock.COUNTY)
    issue.issue(db, town["grade_one"], [IssueItem(chair)], DAY)
    (out,) = returnable(db, town["grade_one"])
    issue.return_item(db, out.id, DAY, "完好")
    stock.write_off(db, chair, DAY, 1, "丢失")
    with db.session() as s:
        actors = s.scalars(select(AuditEntry.actor).where(
            AuditEntry.entity.in_(("stock_movement", "device_receipt", "device_type"))).distinct()).all()
    assert actors == ["李红梅"]


def test_receive_issue_return_keep_stock_as_the_sum_of_movements(db: Database, town: dict[str, Any]) -> None:
    chair = town["types"]["普通轮椅"]
    received = stock.receive(db, chair, DAY, 5, stock.COUNTY, batch="2025-1",
                             serials=[f"LY25-{n}" for n in range(1, 6)])
    assert sorted(line.serial for line in received) == [f"LY25-{n}" for n in range(1, 6)]
    assert {(line.kind, line.quantity, line.source) for line in received} == {("入库", 1, stock.COUNTY)}
    assert _stock(db, chair) == 5
    view = issue.issue(db, town["grade_one"], [IssueItem(chair, model="H005")], DAY, clerk="李红梅")
    assert view.number == "2025-0001" and _stock(db, chair) == 4
    assert (view.person_name, view.clerk) == ("王一", "李红梅")
    assert [(i.device_name, i.model, i.quantity, i.serial) for i in view.items] == [("普通轮椅", "H005", 1, "LY25-1")]
    with db.session() as s:
        assert receipt_view(s, view.id) == view
    (out,) = returnable(db, town["grade_one"])
    assert stock.in_store(db, chair).serials == ["LY25-2", "LY25-3", "LY25-4", "LY25-5"]
    back = issue.return_item(db, out.id, DAY + dt.timedelta(days=30), "需维修", "刹车松")
    assert (back.kind, back.serial, back.person_name, back.note) == ("退回", "LY25-1", "王一", "需维修；刹车松")
    assert _stock(db, chair) == 5
    assert returnable(db, town["grade_one"]) == []
    kinds = [h.kind for h in person_history(db, town["grade_one"])]
    assert kinds == ["退回", "发放"]
    assert "已退回" in type_history(db, chair)[1].note
    line = next(x for x in stock.stock_page(db, 2025).lines if x.device_type.id == chair)
    assert (line.opening, line.received, line.issued, line.returned, line.written_off, line.closing) == (
        0, 5, 1, 1, 0, 5)
    with pytest.raises(InputError, match="已经退回过"):
        issue.return_item(db, out.id, DAY + dt.timedelta(days=31), "完好")


def test_a_scrapped_return_is_written_off_at_once(db: Database, town: dict[str, Any]) -> None:
    chair = town["types"]["普通轮椅"]
    with db.transaction() as s:  # one transaction for both, as the county's delivery and the first issue
        stock.receive.in_session(s, chair, DAY, 1, "爱心企业捐赠")
        issue.issue.in_session(s, town["grade_one"], [IssueItem(chair)], DAY)
    (out,) = returnable(db, town["grade_one"])
    issue.return_item(db, out.id, DAY, "报废", "车架断裂")
    line = next(x for x in stock.stock_page(db, 2025).lines if x.device_type.id == chair)
    assert (line.returned, line.written_off, line.on_hand) == (1, 1, 0)


def test_hearing_aid_to_a_person_without_hearing_disability_needs_a_reason(db: Database, town: dict[str, Any]) -> None:
    hearing = town["types"]["助听器"]
    stock.receive(db, hearing, DAY, 2, stock.COUNTY)
    check = issue.check_issue(db, town["grade_one"], [IssueItem(hearing, model="B40")], DAY)
    assert check.refusals == [] and check.needs_reason
    assert any("助听器适用于听力残疾人，此人为肢体残疾" in w.text for w in check.warnings)
    assert check.items == ["助听器 1台（型号B40）"]
    with pytest.raises(NeedsReason, match="发放前请填写理由"):
        issue.issue(db, town["grade_one"], [IssueItem(hearing)], DAY)
    assert _stock(db, hearing) == 2
    issue.issue(db, town["grade_one"], [IssueItem(hearing)], DAY, reason="县残联评估为合并听力损失")
    assert person_history(db, town["grade_one"])[0].reason == "县残联评估为合并听力损失"
    check = issue.check_issue(db, town["deaf"], [IssueItem(hearing)], DAY)
    assert not check.needs_reason  # suits him: only the assessment reminder


def test_within_the_use_period_warns_and_a_returned_item_does_not_count(db: Database, town: dict[str, Any]) -> None:
    crutch = town["types"]["拐杖"]
    stock.receive(db, crutch, DAY, 3, stock.COUNTY)
    issue.issue(db, town["grade_one"], [IssueItem(crutch)], DAY, reason="本人要求")  # 拐杖 is not for 一级
    check = issue.check_issue(db, town["grade_one"], [IssueItem(crutch)], DAY + dt.timedelta(days=100))
    assert any("已于2025年03月10日领过拐杖" in w.text for w in check.warnings)


def test_out_of_stock_is_refused_even_with_a_reason_and_nothing_is_written(db: Database, town: dict[str, Any]) -> None:
    chair, commode = town["types"]["普通轮椅"], town["types"]["坐便椅"]
    stock.receive(db, chair, DAY, 1, stock.COUNTY)
    with pytest.raises(InputError, match="坐便椅库存只有0把"):
        issue.issue(db, town["grade_one"], [IssueItem(chair), IssueItem(commode)], DAY, reason="急需")
    with pytest.raises(InputError, match="库存只有1辆，不够发放2辆"):
        issue.issue(db, town["grade_one"], [IssueItem(chair, quantity=2)], DAY, reason="急需")
    with pytest.raises(InputError, match="不能报损2辆"):
        stock.write_off(db, chair, DAY, 2, "丢失")
    assert _stock(db, chair) == 1
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(StockMovement)) == 1


def test_an_issue_dated_back_cannot_take_what_a_later_issue_took(db: Database, town: dict[str, Any]) -> None:
    chair = town["types"]["普通轮椅"]
    stock.receive(db, chair, DAY, 1, stock.COUNTY)
    issue.issue(db, town["grade_one"], [IssueItem(chair)], DAY + dt.timedelta(days=20))
    with db.session() as s:
        assert stock.available(s, chair, DAY + dt.timedelta(days=5)) == 0
        assert stock.available(s, chair, DAY - dt.timedelta(days=1)) == 0  # before it came in
    with pytest.raises(InputError, match="库存只有0辆"):
        issue.issue(db, town["deaf"], [IssueItem(chair)], DAY + dt.timedelta(days=5), reason="临时借用")


def test_several_items_on_one_receipt_and_the_summary_counts_them(db: Database, town: dict[str, Any]) -> None:
    chair, commode = town["types"]["普通轮椅"], town["types"]["坐便椅"]
    stock.receive(db, chair, DAY, 2, stock.COUNTY)
    stock.receive(db, commode, DAY, 4, stock.COUNTY)
    view = issue.issue(db, town["grade_one"], [IssueItem(chair), IssueItem(commode, quantity=2)], DAY)
    assert [(i.device_name, i.quantity) for i in view.items] == [("普通轮椅", 1), ("坐便椅", 2)]
    written = stock.write_off(db, commode, DAY, 1, "运输中损坏")
    assert (written.kind, written.device_name, written.quantity, written.note) == ("报损", "坐便椅", 1, "运输中损坏")
    with db.session() as s:
        figures = summarise(s, year=2025)
    assert figures["equipment_issued"] == {"items": 3, "persons": 1}
    with db.session() as s:
        assert issued_figures(s, type("P", (), {"start": dt.date(2024, 1, 1), "end": dt.date(2024, 12, 31)})()) == {
            "equipment_issued": {"items": 0, "persons": 0}}
        assert issue.next_receipt_number(s, 2025) == "2025-0002"


def test_no_issue_to_a_person_off_the_register_nor_a_future_date(db: Database, town: dict[str, Any]) -> None:
    chair = town["types"]["普通轮椅"]
    stock.receive(db, chair, DAY, 2, stock.COUNTY)
    with db.transaction() as s:
        change_status(s, get_person(s, town["grade_one"]), "死亡", dt.date.today())
    with pytest.raises(InputError, match="不在册"):
        issue.issue(db, town["grade_one"], [IssueItem(chair)], DAY)
    with pytest.raises(InputError, match="还没到"):
        stock.receive(db, chair, dt.date.today() + dt.timedelta(days=1), 1, stock.COUNTY)


def test_receipts_check_their_serial_numbers(db: Database, town: dict[str, Any]) -> None:
    chair = town["types"]["普通轮椅"]
    with pytest.raises(InputError, match="填了1个不重复的序列号，入库数量是2"):
        stock.receive(db, chair, DAY, 2, stock.COUNTY, serials=["A1"])
    stock.receive(db, chair, DAY, 1, stock.COUNTY, serials=["A1"])
    with pytest.raises(InputError, match="A1已在库中"):
        stock.receive(db, chair, DAY, 1, stock.COUNTY, serials=["A1"])


@pytest.mark.parametrize("store", ["sqlite"])  # two handles on one file, watched through SQLite's trace
def test_two_issues_of_the_last_item_at_once_cannot_both_succeed(db: Database, db_path: Path,
                                                                   town: dict[str, Any]) -> None:
    """Two handles on one file: the first holds its issue uncommitted while the second starts its own;
    the second waits for the write lock (taken as a write begins), then finds nothing left."""
    chair = town["types"]["普通轮椅"]
    stock.receive(db, chair, DAY, 1, stock.COUNTY)
    with db.transaction() as s:
        other = add_person(s, "赵二", id_number=make_id("19650101", "333"), category="肢体", grade="二级").id
    second = open_database(db_path, lock=False)
    waiting = threading.Event()
    outcome: list[BaseException | str] = []

    def begins(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if statement == "BEGIN IMMEDIATE":
            waiting.set()

    event.listen(second.engine, "before_cursor_execute", begins)

    def rival() -> None:
        try:
            with second.transaction() as s2:
                outcome.append(issue.issue.in_session(s2, other, [IssueItem(chair)], DAY).number)
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            outcome.append(exc)

    try:
        with db.transaction() as s:
            issue.issue.in_session(s, town["grade_one"], [IssueItem(chair)], DAY)
            thread = threading.Thread(target=rival)
            thread.start()
            assert waiting.wait(5)  # the rival asks for the write lock while this issue is uncommitted
        thread.join(10)
    finally:
        second.close()
    (result,) = outcome
    assert isinstance(result, InputError) and "库存只有0辆" in str(result)
    assert _stock(db, chair) == 0
    with db.session() as s:
        issued = s.scalar(select(func.count()).where(StockMovement.kind == "发放"))
    assert issued == 1


def test_the_demo_town_issues_30_to_39_items_a_year_each_to_a_person_it_suits(db: Database) -> None:
    from app.db.models import Person
    from app.demo import fill_demo
    from app.domain.device_rules import person_disability, suitability
    from app.services.devices.catalogue import device_type

    year = dt.date.today().year - 1
    with db.transaction() as s:
        line = fill_demo(s, year=year).line()
    assert "辅助器具" in line
    with db.session() as s:
        for y in range(year - 4, year + 1):
            assert 30 <= summarise(s, year=y)["equipment_issued"]["items"] <= 39
        issues = s.scalars(select(StockMovement).where(StockMovement.kind == "发放")).all()
        for movement in issues:
            person = s.get(Person, movement.person_id)
            assert person is not None
            held = person_disability(person.category, person.grade, person.components)
            assert suitability(device_type(s, movement.device_type_id).rule, held) is None
        assert all(line.on_hand >= 0 for line in stock.stock_levels(s, year))
        assert s.scalar(select(func.count()).where(StockMovement.kind == "退回"))


def test_the_tabs_totals_match_an_independent_sum_over_the_movements(demo_db: Database) -> None:
    """The figures the 康复器材 tab shows (stock_page) against plain SQL on the demo town's movements."""
    year = dt.date.today().year
    page = stock.stock_page(demo_db, year)
    with demo_db.engine.connect() as conn:
        def total(where: str) -> int:
            sql = f"select coalesce(sum(quantity), 0) from stock_movement where {where}"
            return int(conn.exec_driver_sql(sql).scalar())

        in_year = f"date between '{year}-01-01' and '{year}-12-31'"
        expected = {
            "received": total(f"kind = '入库' and {in_year}"), "issued": total(f"kind = '发放' and {in_year}"),
            "returned": total(f"kind = '退回' and {in_year}"), "written_off": total(f"kind = '报损' and {in_year}"),
            "on_hand": total("kind in ('入库', '退回')") - total("kind in ('发放', '报损')"),
        }
    shown = {"received": page.received, "issued": page.issued, "returned": page.returned,
             "written_off": page.written_off, "on_hand": page.on_hand}
    assert shown == expected and expected["received"] > 0  # the county's allocation arrives each January
    assert page.low == [line.device_type.name for line in page.lines if line.on_hand <= line.device_type.reorder_level]

import datetime as dt

import pytest

from app.db.engine import Database
from app.errors import InputError
from app.services.subsidies import relief_ledger
from tests.services.subsidies.builders import person


def test_entries_are_listed_and_totalled_per_year_and_person(db: Database) -> None:
    with db.transaction() as s:
        zhang = person(s, "张三", 1, category="精神", grade="二级")
        li = person(s, "李四", 2)
    record = relief_ledger.record_relief
    record(db, "临时救助", person_id=zhang.id, on=dt.date(2025, 2, 3), amount_fen=80000, approver="王志强", note="因病")
    record(db, "临时救助", person_id=zhang.id, on=dt.date(2025, 9, 3), amount_fen=50000)
    record(db, "精神残疾药物补助", person_id=zhang.id, on=dt.date(2025, 3, 1), amount_fen=50000)
    record(db, "临时救助", person_id=li.id, on=dt.date(2024, 12, 30), amount_fen=30000)
    record(db, "危房改造", person_id=li.id, on=dt.date(2025, 6, 1), amount_fen=2000000, item="原址翻建")
    record(db, "康复训练", person_id=li.id, on=dt.date(2025, 5, 1), item="酒泉市康复医院")
    wrong = record(db, "医疗救助", person_id=li.id, on=dt.date(2025, 5, 2), amount_fen=100)
    relief_ledger.cancel_relief(db, wrong, "重复登记")
    with db.session() as s:
        year = relief_ledger.totals(s, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
        assert (year["临时救助"].persons, year["临时救助"].entries, year["临时救助"].amount_fen) == (1, 2, 130000)
        assert (year["危房改造"].households, year["危房改造"].amount_fen) == (1, 2000000)
        assert year["康复训练"].persons == 1 and year["医疗救助"].entries == 0  # the cancelled one is not counted
        assert relief_ledger.person_totals(s, zhang.id, 2025) == {"临时救助": 130000, "精神残疾药物补助": 50000}
        rows = relief_ledger.ledger(s, year=2025, person_id=li.id)
        assert [(r.kind, r.name) for r in rows] == [("危房改造", "李四"), ("康复训练", "李四")]
        assert relief_ledger.ledger(s, year=2024, kind="临时救助")[0].amount_fen == 30000
        cancelled = relief_ledger.ledger(s, kind="医疗救助", include_cancelled=True)[0]
        assert cancelled.cancelled and cancelled.note == "作废：重复登记"
    page = relief_ledger.ledger_page(db, 2025)
    assert page.totals == ("2025年合计：临时救助1人，1,300.00元；精神残疾药物补助1人，500.00元；"
                           "危房改造1户，20,000.00元；康复训练1人，1次")
    assert [r.date for r in page.rows] == sorted((r.date for r in page.rows), reverse=True) and not page.more
    shorter = relief_ledger.ledger_page(db, 2025, "临时救助", shown=1)
    assert [r.amount_fen for r in shorter.rows] == [50000] and shorter.more and shorter.totals == page.totals
    assert relief_ledger.ledger_page(db, 2023).totals == "2023年合计：尚无记录"
    with pytest.raises(InputError, match="已经作废"):
        relief_ledger.cancel_relief(db, wrong, "再作废一次")


def test_a_new_entry_starts_with_the_head_as_approver_and_each_kinds_default(db: Database) -> None:
    from app.services.settings import set_setting

    with db.transaction() as s:
        set_setting(s, "unit.head", "王志强")
    defaults = relief_ledger.entry_defaults(db, dt.date(2026, 3, 1))
    assert defaults.approver == "王志强"
    assert (defaults.amount_fen["精神残疾药物补助"], defaults.amount_fen["教育补助"]) == (50000, 50000)


def test_bad_entries_are_refused(db: Database) -> None:
    with db.transaction() as s:
        zhang = person(s, "张三", 1)
    record = relief_ledger.record_relief
    with pytest.raises(InputError, match="请填写金额"):
        record(db, "临时救助", person_id=zhang.id, on=dt.date(2025, 1, 1))
    with pytest.raises(InputError, match="按人登记"):
        record(db, "教育补助", on=dt.date(2025, 1, 1), amount_fen=50000)
    with pytest.raises(InputError, match="没有“低保”"):
        record(db, "低保", person_id=zhang.id, on=dt.date(2025, 1, 1), amount_fen=1)
    with pytest.raises(InputError, match="不能晚于今天"):
        record(db, "临时救助", person_id=zhang.id, on=dt.date.today() + dt.timedelta(days=1), amount_fen=100)
    with db.session() as s:
        assert relief_ledger.ledger(s, include_cancelled=True) == []  # nothing was written


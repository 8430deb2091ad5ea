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
        relief_ledger.record_relief(s, "临时救助", person_id=zhang.id, on=dt.date(2025, 2, 3), amount_fen=80000,
                              approver="王志强", note="因病")
        relief_ledger.record_relief(s, "临时救助", person_id=zhang.id, on=dt.date(2025, 9, 3), amount_fen=50000)
        relief_ledger.record_relief(s, "精神残疾药物补助", person_id=zhang.id, on=dt.date(2025, 3, 1), amount_fen=50000)
        relief_ledger.record_relief(s, "临时救助", person_id=li.id, on=dt.date(2024, 12, 30), amount_fen=30000)
        relief_ledger.record_relief(s, "危房改造", person_id=li.id, on=dt.date(2025, 6, 1), amount_fen=2000000,
                              item="原址翻建")
        relief_ledger.record_relief(s, "康复训练", person_id=li.id, on=dt.date(2025, 5, 1), item="酒泉市康复医院")
        wrong = relief_ledger.record_relief(s, "医疗救助", person_id=li.id, on=dt.date(2025, 5, 2), amount_fen=100)
        relief_ledger.cancel_relief(s, wrong.id, "重复登记")
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


def test_bad_entries_are_refused(db: Database) -> None:
    with db.transaction() as s:
        zhang = person(s, "张三", 1)
        with pytest.raises(InputError, match="请填写金额"):
            relief_ledger.record_relief(s, "临时救助", person_id=zhang.id, on=dt.date(2025, 1, 1))
        with pytest.raises(InputError, match="按人登记"):
            relief_ledger.record_relief(s, "教育补助", on=dt.date(2025, 1, 1), amount_fen=50000)
        with pytest.raises(InputError, match="没有“低保”"):
            relief_ledger.record_relief(s, "低保", person_id=zhang.id, on=dt.date(2025, 1, 1), amount_fen=1)
        with pytest.raises(InputError, match="不能晚于今天"):
            relief_ledger.record_relief(s, "临时救助", person_id=zhang.id, on=dt.date.today() + dt.timedelta(days=1),
                                  amount_fen=100)


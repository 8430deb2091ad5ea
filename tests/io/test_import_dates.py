"""A roster brings in persons long on the register: not this year's new registrations, and a death or
move of last month can still be recorded for them."""

import datetime as dt
from pathlib import Path

from sqlalchemy import select

from app.db.engine import Database
from app.db.models import Person
from app.io.roster_import import import_persons
from app.services.register import status_changes
from app.services.summary.figures import summarise
from tests.factories import make_id
from tests.io.builders import write_roster


def test_imported_persons_are_not_new_registrations_and_can_die_last_month(db: Database, tmp_path: Path) -> None:
    header = ["姓名", "身份证号", "残疾类别", "残疾等级", "村", "发证日期"]
    rows = [["李一", make_id(seq="111"), "肢体", "二级", "金塔村", None],
            ["李二", make_id(seq="222"), "视力", "一级", "金塔村", "2024-05-06"]]
    import_persons(db, write_roster(tmp_path / "r.xlsx", rows, header=header))
    today = dt.date.today()
    with db.transaction() as s:
        first = s.scalars(select(Person).where(Person.name == "李一")).one()
        assert first.status_date is None
        status_changes.change_status(s, first, "死亡", today - dt.timedelta(days=30), "病故")
    with db.session() as s:
        figures = summarise(s, year=today.year)
        assert figures["new_registrations"] == (1 if today.year == 2024 else 0)
        assert figures["deaths"] == (1 if (today - dt.timedelta(days=30)).year == today.year else 0)
        second = s.scalars(select(Person).where(Person.name == "李二")).one()
        assert [c.date for c in status_changes.status_history(s, second)] == [dt.date(2024, 5, 6)]

from pathlib import Path

from sqlalchemy import select

from app.db.engine import Database
from app.db.models import Person
from app.io.roster_import import import_persons
from tests.factories import make_id
from tests.io.builders import write_roster
from ui.register.history import HistoryView
from ui.road import Road


def test_an_imported_registration_date_reads_unknown(db: Database, tmp_path: Path, qtbot) -> None:
    rows = [["李一", make_id(seq="111"), "肢体", "二级", "金塔村"]]
    header = ["姓名", "身份证号", "残疾类别", "残疾等级", "村"]
    import_persons(db, write_roster(tmp_path / "r.xlsx", rows, header=header))
    with db.session() as s:
        pid = s.scalars(select(Person.id)).one()
    view = HistoryView(Road(db), pid)
    qtbot.addWidget(view)
    assert ("不详", "状态变更") in [tuple(r[:2]) for r in view.rows()]

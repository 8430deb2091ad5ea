"""Row checking on any cell values at all (Hypothesis): no exception, counts that add up, and nothing
stored that a workbook cannot hold, so the register always exports and reads back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook
from sqlalchemy import inspect, select

from app.db.engine import Database
from app.db.models import Household, Person, Village, VillageGroup
from app.domain.text import clean
from app.io.cell_text import EXCEL_CELL_CHARS
from app.io.persons_export import export_persons
from app.io.roster_import import Roster, RosterRow, import_roster
from app.io.workbook import as_cell
from tests.factories import make_id

FIELDS = ("name", "id_number", "category", "grade", "village", "group", "phone", "certificate_number",
          "dibao", "notes", "certificate_issued")
IDS = [make_id("19800101", f"{n:03d}") for n in range(100, 106)]
INVISIBLE = ["\a", "\x00", "\u200b", "\ufeff", "\t", "\u3000", "\u202e"]
TROUBLE = ["\a", "\x00", "\x7f", "\x1b", "\u200b", "\ufeff", "\u202e", "\t", "\n", "\r\n", "\u3000", "\xa0",
           "\ufffe", "\u3164", "=", "+", "@", "-", "'", "  "]

texts = st.text(st.characters(exclude_categories=("Cs",)), max_size=24)
good = {
    "name": st.sampled_from(["张三", "李四", "欧阳娜娜", "买买提·艾力", "=HYPERLINK(\"x\")", "@王五"]),
    "id_number": st.sampled_from(IDS + [i.lower() for i in IDS] + [i[:6] + i[8:17] for i in IDS]),
    "category": st.sampled_from(["肢体", "视力残疾", "7", "多重", "4"]),
    "grade": st.sampled_from(["一级", "2级", "三", "4"]),
    "village": st.sampled_from(["金塔村", "新华村", "=村"]),
    "group": st.sampled_from(["1组", "3", "十组"]),
    "phone": st.sampled_from(["13912345678", "0937-4421234", "139 1234 5678"]),
    "certificate_number": st.sampled_from([i + "42" for i in IDS]),
    "dibao": st.sampled_from(["是", "否", "二类低保"]),
    "notes": texts,
    "certificate_issued": st.sampled_from(["2020-05-01", "2020年5月1日"]),
}


@st.composite
def troubled(draw: st.DrawFn, base: st.SearchStrategy[str], trouble: list[str] = TROUBLE) -> str:
    """A good value with characters from elsewhere put in at random places."""
    text = draw(base)
    for piece in draw(st.lists(st.sampled_from(trouble), max_size=3)):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + piece + text[at:]
    return text


def cell(field: str) -> st.SearchStrategy[object]:
    """Mostly what the field should hold, often with trouble put in; one time in twenty anything at all."""
    anything = st.one_of(
        st.none(), texts, st.booleans(), st.floats(), st.integers(-(10**20), 10**20), st.dates(),
        st.datetimes(), st.times(), st.timedeltas(max_value=dt.timedelta(days=10_000)),
    )
    meant = st.one_of(good[field], troubled(good[field]))
    return st.integers(0, 19).flatmap(lambda n: meant if n else anything)


@st.composite
def row(draw: st.DrawFn) -> tuple[object, ...]:
    """Any cells; one row in two is meant to go in: its ID is right (invisible characters aside) and it
    has no certificate number to disagree with it."""
    values = {field: draw(cell(field)) for field in FIELDS}
    if draw(st.booleans()):
        person = draw(st.sampled_from(IDS))
        values["id_number"] = draw(troubled(st.sampled_from([person, person.lower()]), INVISIBLE))
        values["certificate_number"] = None
    return tuple(values[field] for field in FIELDS)


rows = st.lists(row(), min_size=1, max_size=8)


def _roster(values: list[tuple[object, ...]]) -> Roster:
    """The rows as the reader hands them over (every value through its conversion), under one header."""
    lines = [RosterRow(n, tuple(as_cell(v) for v in row)) for n, row in enumerate(values, start=2)]
    lines = [line for line in lines if any(c is not None for c in line.cells)]  # as read_roster skips them
    return Roster(Path("名单.xlsx"), "花名册", 1, list(FIELDS), {f: i for i, f in enumerate(FIELDS)}, [], lines)


def _stored_texts(db: Database) -> list[str]:
    texts: list[str] = []
    with db.session() as session:
        for model in (Person, Household, Village, VillageGroup):
            columns = [c.key for c in inspect(model).column_attrs]
            for record in session.scalars(select(model)):
                texts += [v for v in (getattr(record, c) for c in columns) if isinstance(v, str)]
    return texts


@settings(max_examples=100, deadline=None, derandomize=True, database=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(values=rows)
def test_any_cells_give_counts_that_add_up_and_storable_text(db: Database, tmp_path: Path,
                                                             values: list[tuple[object, ...]]) -> None:
    roster = _roster(values)
    with db.session() as session:
        before = session.scalar(select(Person.id).order_by(Person.id.desc()).limit(1)) or 0
    result = import_roster(db, roster, report=tmp_path / "报告.xlsx")

    for outcome in ("imported", "updated", "unchanged", "rejected"):
        event(f"{outcome}: {'some' if result.count(outcome) else 'none'}")
    counted = sum(result.count(o) for o in ("imported", "updated", "unchanged", "rejected", "still_rejected"))
    assert counted == len(roster.rows) == len(result.rows)
    with db.session() as session:
        new = session.scalars(select(Person.id).where(Person.id > before)).all()
    assert len(new) == result.count("imported")
    for row in result.rows:
        assert row.is_rejected == bool(row.reason)
        assert sum(ch != "*" for ch in row.id_masked) <= 8  # the ID cell masked, whatever it held

    for text in _stored_texts(db):
        assert text == clean(text) and len(text) <= EXCEL_CELL_CHARS, repr(text)
    with db.session() as session:
        export = export_persons(session, tmp_path / "花名册.xlsx")
    assert len(CalamineWorkbook.from_path(str(export)).get_sheet_by_index(0).to_python()) >= 1

"""The register list model, without a window: lazy pages, the text shown, sorting, filters, search."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt

from app.db.engine import Database
from app.services.register import households, people, search, status_changes
from app.services.register.search import PersonFilter
from tests.factories import add_person, make_id
from ui.register import model as model_module
from ui.register.model import HEADERS, PERSON_ID_ROLE, PersonTableModel
from ui.road import Road

NAMES = ["张三", "李四", "王五", "赵六", "钱七", "孙八", "周九", "吴十", "郑一", "冯二", "陈三", "张珊"]


@pytest.fixture
def filled(db: Database) -> Database:
    with db.transaction() as s:
        for i, name in enumerate(NAMES):
            add_person(s, name, id_number=make_id(f"19{50 + i}0101", f"{100 + i}"),
                       grade="一级" if i % 3 == 0 else "三级", village="金塔村" if i % 2 else "红光村")
        moved = add_person(s, "张山", id_number=make_id("19900101", "555"))
        status_changes.change_status(s, moved, "迁出", moved.status_date, "迁往县城")
    return db


def _column(model: PersonTableModel, header: str) -> list[str]:
    col = HEADERS.index(header)
    return [model.data(model.index(r, col)) for r in range(model.rowCount())]


def test_rows_arrive_by_pages(filled: Database, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(model_module, "PAGE_SIZE", 5)
    model = PersonTableModel(Road(filled))
    model.refresh()
    assert model.total() == 12
    assert model.rowCount() == 5 and model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 10
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 12 and not model.canFetchMore(QModelIndex())
    assert len(model._pages) == 0  # nothing read until a row is shown
    assert model.data(model.index(11, 0))
    assert list(model._pages) == [2]


def test_text_shown_masks_the_id_and_role_gives_the_person(filled: Database, qtbot) -> None:
    model = PersonTableModel(Road(filled))
    model.refresh()
    names = _column(model, "姓名")
    row = names.index("李四")
    ids = _column(model, "身份证号")
    assert ids[row].startswith("6209") and "**********" in ids[row]
    assert model.data(model.index(row, HEADERS.index("残疾类别"))) == "肢体"
    assert model.data(model.index(row, HEADERS.index("村（社区）"))) == "金塔村"
    assert model.data(model.index(row, HEADERS.index("状态"))) == "在册"
    pid = model.data(model.index(row, 0), PERSON_ID_ROLE)
    with filled.session() as s:
        assert people.get_person(s, pid).name == "李四"
    assert model.headerData(0, Qt.Orientation.Horizontal) == "姓名"


def test_sorting_by_header(filled: Database, qtbot) -> None:
    model = PersonTableModel(Road(filled))
    model.refresh()
    assert _column(model, "姓名")[:2] == ["陈三", "冯二"]  # by pinyin: chen, feng …
    model.sort(HEADERS.index("姓名"), Qt.SortOrder.DescendingOrder)
    assert _column(model, "姓名")[0] == "周九"  # zhoujiu, last in pinyin order
    model.sort(HEADERS.index("年龄"), Qt.SortOrder.AscendingOrder)
    ages = [int(a) for a in _column(model, "年龄")]
    assert ages == sorted(ages)


def test_filters_and_search(filled: Database, qtbot) -> None:
    model = PersonTableModel(Road(filled))
    model.set_filter(PersonFilter(status="在册", grade=1))
    assert model.total() == 4 and set(_column(model, "等级")) == {"一级"}
    model.set_filter(PersonFilter(status="在册", text="zs"))
    assert sorted(_column(model, "姓名")) == sorted(["张三", "张珊"])
    model.set_filter(PersonFilter(status=None, text="zs"))
    assert _column(model, "姓名")[-1] == "张山" and _column(model, "状态")[-1] == "迁出"
    model.set_filter(PersonFilter(status="迁出"))
    assert _column(model, "姓名") == ["张山"]


def test_hard_up_households_are_named_and_statistics_kept(db: Database, qtbot) -> None:
    with db.transaction() as s:
        person = add_person(s, "张三")
        households.set_household_hardship(s, person.household, dibao=True, low_income=True)
    model = PersonTableModel(Road(db))
    model.refresh()
    assert model.data(model.index(0, HEADERS.index("困难户"))) == "低保户、低收入"
    with db.transaction() as s:
        assert search.keep_statistics(s)  # first time: the planner learns the register's shape
    with db.transaction() as s:
        assert not search.keep_statistics(s)  # nothing changed since


def test_a_long_list_shows_first_and_is_counted_once_idle(filled: Database, qtbot,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(model_module, "PAGE_SIZE", 5)
    model = PersonTableModel(Road(filled))
    counted: list[int] = []
    model.counted.connect(counted.append)
    model.refresh()
    assert model.rowCount() == 5 and model.known_total() is None and model.canFetchMore(QModelIndex())
    qtbot.waitUntil(lambda: counted == [12])
    assert model.known_total() == 12
    model.set_filter(PersonFilter(text="张", status="在册"))  # 张三, 张珊: one page, counted as read
    assert model.known_total() == 2 and counted == [12]


def test_a_list_read_to_its_end_before_counting_knows_its_count(filled: Database, qtbot,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(model_module, "PAGE_SIZE", 5)
    model = PersonTableModel(Road(filled))
    counted: list[int] = []
    model.counted.connect(counted.append)
    model.refresh()
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == 12 and counted == [12] and model.total() == 12


def test_a_rows_texts_are_made_when_it_is_first_shown_and_only_roles_shown_are_answered(
        filled: Database, qtbot) -> None:
    from PySide6.QtWidgets import QTableView

    model = PersonTableModel(Road(filled))
    model.refresh()
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(900, 120)  # room for a few of the 12 rows
    view.show()
    qtbot.waitExposed(view)
    view.grab()  # painted
    made = set(model._texts)
    assert made and max(made) < model.rowCount() - 3  # the rows out of sight have no texts yet
    last = model.index(model.rowCount() - 1, 0)
    assert model.data(last, Qt.ItemDataRole.FontRole) is None and last.row() not in model._texts
    assert model.data(last) in NAMES and last.row() in model._texts
    assert model.data(last, Qt.ItemDataRole.ToolTipRole) == model.data(last)


def _every_cell(model: PersonTableModel) -> list[list[str]]:
    return [[model.data(model.index(r, c)) for c in range(len(HEADERS))] for r in range(model.rowCount())]


def test_rows_read_a_few_at_a_time_show_what_a_whole_page_read_shows(filled: Database, qtbot,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    whole = PersonTableModel(Road(filled))
    whole.set_filter(PersonFilter(status=None))
    expected = _every_cell(whole)
    assert list(whole._pages) == [0] and len(expected) == 13  # everyone in one read
    monkeypatch.setattr(model_module, "ROWS_AT_ONCE", 5)
    few = PersonTableModel(Road(filled))
    few.set_filter(PersonFilter(status=None))
    assert few.data(few.index(7, 0)) == expected[7][0]
    assert list(few._pages) == [1]  # only the rows 5-9 were read for row 7
    assert _every_cell(few) == expected and sorted(few._pages) == [0, 1, 2]

"""The register list's table model: the first page of ids at once, the count just after, then ids and rows
a page at a time as the clerk scrolls.

With 100,000 persons on file the view never holds more than the pages the clerk scrolled through:
rowCount grows by PAGE_SIZE through canFetchMore/fetchMore, each page's ids come from one read through the
road (search.list_start, then search.list_ids with limit/offset, which reads the name index in order) and
data() reads the rows it is asked about once, ROWS_AT_ONCE at a time (search.list_rows). Counting every
match of a list longer than a page costs as much as reading it, so the list shows first and is counted once
the window is idle (`counted`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal

from app.domain import idnumber
from app.domain.dates import age_on
from app.domain.disability import category_label, grade_label
from app.domain.words import PersonStatus
from app.services.register import search
from app.services.register.search import PersonFilter, PersonRow
from ui.road import Road

PAGE_SIZE = 200
# the rows read at once when Qt first shows one of them: a screenful and more (a large window shows about 40);
# reading a whole page of 200 rows on each keystroke took 2.4 ms where 50 take under 1
ROWS_AT_ONCE = 50
PERSON_ID_ROLE = Qt.ItemDataRole.UserRole
_ANSWERED = frozenset({int(Qt.ItemDataRole.DisplayRole), int(Qt.ItemDataRole.ToolTipRole), int(PERSON_ID_ROLE)})

Index = QModelIndex | QPersistentModelIndex


def _age(row: PersonRow, today: dt.date) -> str:
    born = row.birth_date
    return str(age_on(born, today))


def _hardship(row: PersonRow) -> str:
    """低保户, 特困, 低收入 (a household may be more than one)."""
    return "、".join(t for t, on in (("低保户", row.dibao), ("特困", row.tekun), ("低收入", row.low_income)) if on)


# (header, sort key in search.SORT_COLUMNS or None, text of a row)
COLUMNS: list[tuple[str, str | None, Callable[[PersonRow, dt.date], str]]] = [
    ("姓名", "name", lambda r, _t: r.name),
    ("性别", None, lambda r, _t: r.sex),
    ("年龄", "birth_date", _age),
    ("身份证号", "id_number", lambda r, _t: idnumber.mask(r.id_number)),
    ("残疾类别", "category", lambda r, _t: category_label(r.category)),
    ("等级", "grade", lambda r, _t: grade_label(r.grade)),
    ("村（社区）", "village", lambda r, _t: r.village),
    ("组", None, lambda r, _t: r.group),
    ("困难户", None, lambda r, _t: _hardship(r)),
    ("自理能力", None, lambda r, _t: r.self_care),
    ("联系电话", None, lambda r, _t: r.phone),
    ("状态", "status", lambda r, _t: r.status),
]
HEADERS = [c[0] for c in COLUMNS]


def sort_key(column: int) -> str | None:
    """The search sort key of a column, or None if the list cannot be ordered by it."""
    return COLUMNS[column][1] if 0 <= column < len(COLUMNS) else None


class PersonTableModel(QAbstractTableModel):
    """The persons a filter shows, sorted; Qt.UserRole gives a row's person id."""

    counted = Signal(int)  # the list's count, known after the first page showed

    def __init__(self, road: Road, parent: Any = None) -> None:
        super().__init__(parent)
        self._road = road
        self._filter = PersonFilter(status=PersonStatus.ON_REGISTER)
        self._sort = "name"
        self._descending = False
        self._ids: list[int] = []  # the ids of the rows fetched so far, in display order
        self._total: int | None = 0  # None: more than a page, not counted yet
        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(0)
        self._count_timer.timeout.connect(self._count)
        # the rows as read, ROWS_AT_ONCE at a time (by row // ROWS_AT_ONCE), None for one gone since
        self._pages: dict[int, list[PersonRow | None]] = {}
        self._texts: dict[int, tuple[str, ...]] = {}  # a row's cells, made when Qt first shows the row
        self._today = dt.date.today()

    # --- what the list shows -------------------------------------------------------------------
    @property
    def person_filter(self) -> PersonFilter:
        return self._filter

    def set_filter(self, flt: PersonFilter) -> None:
        self._filter = flt
        self.refresh()

    def refresh(self) -> None:
        """Read the first page again (after a search, a filter, a save) and count the list once idle."""
        start = self._road.read(search.list_start, self._filter, sort=self._sort, descending=self._descending,
                                limit=PAGE_SIZE)
        self.beginResetModel()
        self._ids = list(start.ids)
        self._total = start.total
        self._pages.clear()
        self._texts.clear()
        self._today = dt.date.today()
        self.endResetModel()
        if self._total is None:
            self._count_timer.start()
        else:
            self._count_timer.stop()

    def _count(self) -> None:
        if self._total is None:
            self._known(max(self._road.read(search.count_persons, self._filter), len(self._ids)))

    def _known(self, total: int) -> None:
        self._count_timer.stop()
        was_counted = self._total is not None
        self._total = total
        if not was_counted:
            self.counted.emit(total)

    def _page_ids(self, offset: int) -> tuple[int, ...]:
        return self._road.read(search.list_ids, self._filter, sort=self._sort, descending=self._descending,
                               limit=PAGE_SIZE, offset=offset)

    def total(self) -> int:
        """How many persons the filter shows (not only the rows fetched so far), counted now if need be."""
        if self._total is None:
            self._count()
        assert self._total is not None
        return self._total

    def known_total(self) -> int | None:
        """The count if known yet (None just after a list longer than a page was read)."""
        return self._total

    def all_ids(self) -> list[int]:
        """Every id the filter shows, in display order (for printing or exporting the current list)."""
        ids = self._road.read(search.list_ids, self._filter, sort=self._sort, descending=self._descending)
        return list(ids)

    def person_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, person_id: int) -> int | None:
        """The row of a person among the rows fetched so far, or None."""
        try:
            return self._ids.index(person_id)
        except ValueError:
            return None

    def reveal(self, person_id: int) -> int | None:
        """The row of a person the filter shows, fetching the rows up to theirs when they lie further down
        the list than fetched so far (a new person named 邹 in a long register); None if not shown."""
        row = self.row_of(person_id)
        if row is not None or len(self._ids) >= self._total:
            return row
        ids = self.all_ids()
        if person_id not in ids:
            return None
        first, upto = len(self._ids), ids.index(person_id) + 1
        if upto > first:
            self.beginInsertRows(QModelIndex(), first, upto - 1)
            self._ids.extend(ids[first:upto])
            self.endInsertRows()
        return self.row_of(person_id)

    # --- Qt model ------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._may_have_more()

    def _may_have_more(self) -> bool:
        if self._total is None:  # not counted yet: every page so far was full
            return len(self._ids) % PAGE_SIZE == 0
        return len(self._ids) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or not self._may_have_more():
            return
        more = self._page_ids(len(self._ids))
        if not more:  # the register shrank since the count, or the last page was exactly full
            if self._total is None:
                self._known(len(self._ids))
            else:
                self._total = len(self._ids)
            return
        first = len(self._ids)
        self.beginInsertRows(QModelIndex(), first, first + len(more) - 1)
        self._ids.extend(more)
        self.endInsertRows()
        if self._total is None and len(more) < PAGE_SIZE:  # the list ended before it was counted
            self._known(len(self._ids))

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return HEADERS[section]
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Qt asks about a dozen roles of each cell it paints; those the list has no answer to go first
        if role not in _ANSWERED or not index.isValid() or index.row() >= len(self._ids):
            return None
        row = index.row()
        if role == PERSON_ID_ROLE:
            return self._ids[row]
        texts = self._row_texts(row)
        return texts[index.column()] if texts is not None else ""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = sort_key(column)
        if key is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if key == "birth_date":  # the column shows age: youngest first is the latest birth date first
            descending = not descending
        if (key, descending) == (self._sort, self._descending) and self._ids:
            return
        self._sort, self._descending = key, descending
        self.refresh()

    # --- pages ---------------------------------------------------------------------------------
    def _row_texts(self, row: int) -> tuple[str, ...] | None:
        """The row's cells: its rows read when first needed (ROWS_AT_ONCE of them), its texts made when Qt
        first asks (a page is 200 rows, the window shows 30: making every row's texts took half the keystroke's
        time)."""
        texts = self._texts.get(row)
        if texts is not None:
            return texts
        size = self._rows_at_once()
        page = row // size
        rows = self._pages.get(page)
        if rows is None:
            rows = self._load_page(page)
        offset = row - page * size
        if offset >= len(rows):
            return None
        person = rows[offset]
        texts = tuple(f(person, self._today) for _h, _k, f in COLUMNS) if person else ("",) * len(COLUMNS)
        self._texts[row] = texts
        return texts

    @staticmethod
    def _rows_at_once() -> int:
        return min(ROWS_AT_ONCE, PAGE_SIZE)

    def _load_page(self, page: int) -> list[PersonRow | None]:
        size = self._rows_at_once()
        ids = self._ids[page * size:(page + 1) * size]
        found = {r.id: r for r in self._road.read(search.list_rows, ids)}
        rows = [found.get(pid) for pid in ids]
        self._pages[page] = rows
        return rows

"""The 残疾人登记 tab: search as you type, the filters, the list, and the buttons that open a person.

It reads through the road (ui.road) and follows road.changed: whatever changed the register (a form saved
here, a status changed from another tab, an import, a restore) is read again, at once when the tab is shown,
else when it is next shown."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.disability import CATEGORY_NAMES, GRADE_NAMES
from app.domain.words import PersonStatus, SelfCare
from app.services.actions import Changes
from app.services.register import search, told
from app.services.register.search import PersonFilter
from ui import style
from ui.register.model import PersonTableModel, sort_key
from ui.road import Road

SEARCH_DELAY_MS = 150
DEFAULT_FILTER = PersonFilter(status=PersonStatus.ON_REGISTER)


# The widest text a column usually holds: widths follow the font, so 大字体 never cuts an ID number off.
COLUMN_SAMPLES = ["欧阳秀兰", "性别", "年龄", "6209**********123X", "残疾类别", "等级", "村（社区）名",
                  "10组", "低保户、低收入", "部分自理", "13900001111", "状态"]


class PersonTable(QTableView):
    """The list of persons; Enter opens the selected person like a double click does."""

    open_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.horizontalHeader().setStretchLastSection(True)

    def fit_to_font(self) -> None:
        """Row height and column widths for the current font (at start and on 大字体, once the header has it)."""
        metrics = self.fontMetrics()
        self.verticalHeader().setDefaultSectionSize(metrics.height() + 10)
        header = self.horizontalHeader()
        for col, sample in enumerate(COLUMN_SAMPLES):  # the whole title too, with the sort mark
            self.setColumnWidth(col, max(metrics.horizontalAdvance(sample) + 18, style.header_need(header, col)))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_requested.emit(self.currentIndex().row())
            return
        super().keyPressEvent(event)


def _combo(items: list[tuple[str, object]], name: str) -> QComboBox:
    box = QComboBox()
    box.setObjectName(name)
    for text, value in items:
        box.addItem(text, value)
    return box


class RegisterTab(QWidget):
    """Search, filter and open persons on the register. told(line) says what an action here did and where
    the person now is (the main window shows it in its status bar)."""

    told = Signal(str)

    def __init__(self, road: Road, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.road = road
        self.model = PersonTableModel(road, self)
        self.model.counted.connect(lambda _n: self._show_count())
        self._stale = False  # the register changed while the tab was hidden: read again when shown
        self._select_next: int | None = None  # the person to select after that reading (one just saved)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.apply_filter)
        self._sorted_column, self._sorted_order = 0, Qt.SortOrder.AscendingOrder
        self._build()
        self.reload_villages()
        self.apply_filter()
        road.changed.connect(self._data_changed)

    # --- layout --------------------------------------------------------------------------------
    def _build(self) -> None:
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("search")
        self.search_edit.setPlaceholderText("查找：姓名、拼音首字母（如 zs）、身份证号或残疾证号中的数字、村名")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(lambda _t: self._timer.start())
        self.search_edit.returnPressed.connect(self._search_enter)

        self.village_box = _combo([("全部村（社区）", None)], "village")
        self.category_box = _combo([("全部类别", None)] + [(n, int(c)) for c, n in CATEGORY_NAMES.items()],
                                   "category")
        self.grade_box = _combo([("全部等级", None)] + [(n, int(g)) for g, n in GRADE_NAMES.items()], "grade")
        self.status_box = _combo([(s, s) for s in PersonStatus] + [("全部状态", None)], "status")
        self.dibao_box = _combo([("低保：全部", None), ("低保户", True), ("非低保户", False)], "dibao")
        self.self_care_box = _combo([("自理能力：全部", None)] + [(s, s) for s in SelfCare], "self_care")
        self.filter_boxes = [self.village_box, self.category_box, self.grade_box, self.status_box,
                             self.dibao_box, self.self_care_box]
        for box in self.filter_boxes:
            box.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.reset_button = QPushButton("清除条件")
        self.reset_button.setObjectName("reset_filters")
        self.reset_button.clicked.connect(self.reset_filters)

        top = QHBoxLayout()
        top.addWidget(QLabel("查找(&C)："))
        top.itemAt(0).widget().setBuddy(self.search_edit)  # type: ignore[union-attr]
        top.addWidget(self.search_edit, 3)
        for box in self.filter_boxes:
            top.addWidget(box)
        top.addWidget(self.reset_button)

        self.table = PersonTable()
        self.table.setObjectName("persons")
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        style.follow_font(self.table, self.table.fit_to_font)  # now, and at once on 大字体
        header.sortIndicatorChanged.connect(self._sort_changed)
        self.table.doubleClicked.connect(lambda index: self.open_row(index.row()))
        self.table.open_requested.connect(self.open_row)

        self.count_label = QLabel()
        self.count_label.setObjectName("count")
        self.new_button = QPushButton("新增登记(&N)")
        self.new_button.setObjectName("new_person")
        self.new_button.setToolTip("Ctrl+N")
        self.new_button.clicked.connect(self.new_person)
        self.open_button = QPushButton("查看/修改(&O)")
        self.open_button.setObjectName("open_person")
        self.open_button.setToolTip("Enter")
        self.open_button.clicked.connect(lambda: self.open_row(self.table.currentIndex().row()))
        self.status_button = QPushButton("状态变更(&T)…")
        self.status_button.setObjectName("change_status")
        self.status_button.clicked.connect(self.change_status)
        self.household_button = QPushButton("户信息(&U)…")
        self.household_button.setObjectName("household")
        self.household_button.clicked.connect(self.show_household)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label)
        bottom.addStretch(1)
        for button in (self.new_button, self.open_button, self.status_button, self.household_button):
            bottom.addWidget(button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

    # --- filters -------------------------------------------------------------------------------
    def reload_villages(self) -> None:
        """The village filter lists the villages on file (a new one appears after a save or an import)."""
        current = self.village_box.currentData()
        choices = self.road.read(search.village_filter)
        self.village_box.blockSignals(True)
        self.village_box.clear()
        self.village_box.addItem("全部村（社区）", None)
        for village_id, name in choices:
            self.village_box.addItem(name, village_id)
        found = self.village_box.findData(current)
        self.village_box.setCurrentIndex(max(found, 0))
        self.village_box.blockSignals(False)

    def current_filter(self) -> PersonFilter:
        return PersonFilter(
            text=search.list_text(self.search_edit.text()),
            village_id=self.village_box.currentData(),
            category=self.category_box.currentData(),
            grade=self.grade_box.currentData(),
            status=self.status_box.currentData(),
            dibao=self.dibao_box.currentData(),
            self_care=self.self_care_box.currentData(),
        )

    def is_filtered(self) -> bool:
        """True when the list shows less than everyone on the register."""
        return self.current_filter() != DEFAULT_FILTER

    def apply_filter(self) -> None:
        """Run the search and filters now (the search box calls this after a short pause in typing)."""
        self._timer.stop()
        selected = self.selected_person_id()
        self.model.set_filter(self.current_filter())
        self._after_reload(selected)

    def reset_filters(self) -> None:
        for box in self.filter_boxes:
            box.blockSignals(True)
            box.setCurrentIndex(0)
            box.blockSignals(False)
        self.search_edit.blockSignals(True)
        self.search_edit.clear()
        self.search_edit.blockSignals(False)
        self.apply_filter()

    def refresh(self) -> None:
        """Read the list again after a change, keeping the selection where the person still shows (or
        selecting the person just saved)."""
        selected = self._select_next if self._select_next is not None else self.selected_person_id()
        self._stale, self._select_next = False, None
        self.reload_villages()
        self.model.set_filter(self.current_filter())
        self._after_reload(selected)

    def _data_changed(self, changes: Changes) -> None:
        if not changes & Changes.REGISTER:
            return
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def _show_count(self) -> None:
        total = self.model.known_total()
        text = self.search_edit.text().strip()
        waiting = bool(text) and not search.list_text(text)
        hint = f"（身份证号请至少输入{search.MIN_ID_DIGITS}位数字）" if waiting else ""
        shown = "正在统计人数……" if total is None else f"共 {total} 人" if total else "没有符合条件的人员"
        self.count_label.setText(shown + hint)

    def _after_reload(self, selected: int | None) -> None:
        self._show_count()  # the count of a long list follows once the window is idle (model.counted)
        row = self.model.row_of(selected) if selected is not None else None
        if row is None and self.model.rowCount():
            row = 0
        if row is not None:
            self.table.selectRow(row)

    def _sort_changed(self, column: int, order: Qt.SortOrder) -> None:
        if sort_key(column) is None:
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            header.setSortIndicator(self._sorted_column, self._sorted_order)
            header.blockSignals(False)
            return
        self._sorted_column, self._sorted_order = column, order
        self.model.sort(column, order)
        self._after_reload(None)

    def _search_enter(self) -> None:
        self.apply_filter()
        if self.model.total() == 1:
            self.open_row(0)
        elif self.model.total():
            self.table.setFocus()

    def focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    # --- persons -------------------------------------------------------------------------------
    def selected_person_id(self) -> int | None:
        index: QModelIndex = self.table.currentIndex()
        return self.model.person_id(index.row()) if index.isValid() else None

    def shown_ids(self) -> list[int]:
        return self.model.all_ids()

    def open_row(self, row: int) -> None:
        person_id = self.model.person_id(row)
        if person_id is not None:
            self.open_person(person_id)

    def open_person(self, person_id: int | None) -> None:
        from ui.register.person_form import PersonForm

        form = PersonForm(self.road, person_id, self)
        form.exec()
        if form.saved and form.person_id is not None:  # the list was read again as it was saved
            self._tell(form.person_id, form.said)

    def _tell(self, person_id: int, said: list[str]) -> None:
        """Select the person the clerk just worked on, and say what was done and where they now are: in
        the list (selected), or why not (their status left the list's, or the search does not find them)."""
        if self._stale:
            self.refresh()
        row = self.model.reveal(person_id)
        if row is not None:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
        from app.services.register import status_changes  # loaded when first needed: not at start

        status = self.road.read(status_changes.status_form, person_id).status
        self.told.emit(told.line(*said, told.where_now(status, row is not None, self.status_box.currentData())))

    def new_person(self) -> None:
        self.open_person(None)

    def change_status(self) -> None:
        from ui.register.status_dialog import StatusDialog

        person_id = self.selected_person_id()
        if person_id is None:
            return
        dialog = StatusDialog(self.road, person_id, self)
        if dialog.exec() and dialog.recorded is not None:
            self._tell(person_id, [dialog.recorded.line])

    def show_household(self) -> None:
        from ui.register.household import HouseholdDialog

        person_id = self.selected_person_id()
        if person_id is None:
            return
        HouseholdDialog(self.road, person_id, self).exec()

    # --- remembered column widths --------------------------------------------------------------
    def save_state(self) -> None:
        style.settings().setValue("register/header", self.table.horizontalHeader().saveState())

    def restore_state(self) -> None:
        state = style.settings().value("register/header")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.table.horizontalHeader().restoreState(state)
            header = self.table.horizontalHeader()
            self._sorted_column, self._sorted_order = 0, Qt.SortOrder.AscendingOrder
            header.blockSignals(True)
            header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
            header.blockSignals(False)

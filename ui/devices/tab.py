"""The 康复器材 tab: the stock of every type at a glance (types at or below their reorder level shaded),
the everyday actions (发放, 入库, 退回, 报损, 器具目录), the history of the chosen type, a person's own
history with their 领取单 to print again, and the year's 发放登记表 and 库存表 to print.

Stock per type is one GROUP BY over the movements, so the page reads at once even for a county. The tab
reads again when the road says the devices or the register changed (a death matters for what can come
back), at once when it is in sight, else when it is next shown."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.actions import Changes
from app.services.devices import history, stock
from app.services.devices.printouts import print_issued_register, print_receipt, print_stock_sheet
from ui import style
from ui.devices.catalogue_dialog import CatalogueDialog
from ui.devices.common import print_file
from ui.devices.issue_dialog import IssueDialog
from ui.devices.models import HistoryModel, StockModel
from ui.devices.person_picker import PersonPicker
from ui.devices.stock_dialogs import ReceiveDialog, ReturnDialog, WriteOffDialog
from ui.road import Road

CONCERNS = Changes.DEVICES | Changes.REGISTER  # what the tab shows: stock and issues, and who received


def _table(model: StockModel | HistoryModel, name: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    view.setAlternatingRowColors(True)
    return view


class DevicesTab(QWidget):
    """The 康复器材 tab (main window: open_person)."""

    open_person = Signal(int)

    def __init__(self, road: Road, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.road = road
        self._stale = True
        road.changed.connect(self._data_changed)
        heading = QLabel("<big><b>康复器材</b></big>")
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.buttons: dict[str, QPushButton] = {}
        actions = QHBoxLayout()
        for key, text, slot in (("issue", "发放…", self.issue), ("receive", "入库…", self.receive),
                                ("return", "退回…", self.return_item), ("write_off", "报损…", self.write_off),
                                ("catalogue", "器具目录…", self.edit_catalogue)):
            button = QPushButton(text)
            button.setObjectName(key)
            button.clicked.connect(slot)
            self.buttons[key] = button
            actions.addWidget(button)
        actions.addStretch(1)
        self.year = QSpinBox()
        self.year.setObjectName("year")
        self.year.setRange(2000, dt.date.today().year)
        self.year.setValue(dt.date.today().year)
        self.year.valueChanged.connect(lambda _y: self.refresh())
        self.print_what = QComboBox()
        self.print_what.setObjectName("print_what")
        self.print_what.addItems(["辅助器具发放登记表", "辅助器具库存表"])
        print_button = QPushButton("打印")
        print_button.setObjectName("print")
        print_button.clicked.connect(self.print_report)
        for widget in (QLabel("年份："), self.year, self.print_what, print_button):
            actions.addWidget(widget)

        self.stock_model = StockModel(self)
        self.stock_view = _table(self.stock_model, "stock")
        self.stock_view.selectionModel().currentRowChanged.connect(lambda _c, _p: self.show_type_history())
        self.stock_view.doubleClicked.connect(lambda _i: self.issue())

        self.type_model = HistoryModel(self)
        self.type_view = _table(self.type_model, "type_history")
        self.type_view.doubleClicked.connect(lambda index: self._open_person(self.type_model, index.row()))
        self.type_label = QLabel()
        type_page = QWidget()
        type_layout = QVBoxLayout(type_page)
        type_layout.addWidget(self.type_label)
        type_layout.addWidget(self.type_view, 1)

        self.picker = PersonPicker(road)
        results = self.picker.results  # four lines high, in the font: the history gets the room
        style.follow_font(results, lambda: results.setMaximumHeight(results.fontMetrics().height() * 4))
        self.picker.chosen.connect(lambda _pid: self.show_person_history())
        self.person_model = HistoryModel(self)
        self.person_view = _table(self.person_model, "person_history")
        self.person_view.selectionModel().currentRowChanged.connect(lambda _c, _p: self._enable_reprint())
        self.reprint_button = QPushButton("重打所选领取单")
        self.reprint_button.setObjectName("reprint")
        self.reprint_button.clicked.connect(self.reprint)
        self.open_button = QPushButton("打开登记表")
        self.open_button.setObjectName("open_person")
        self.open_button.clicked.connect(lambda: self._emit_person(self.picker.person_id()))
        person_buttons = QHBoxLayout()
        person_buttons.addWidget(self.reprint_button)
        person_buttons.addWidget(self.open_button)
        person_buttons.addStretch(1)
        person_page = QWidget()
        person_layout = QVBoxLayout(person_page)
        person_layout.addWidget(self.picker)
        person_layout.addWidget(self.person_view, 1)
        person_layout.addLayout(person_buttons)

        self.history_tabs = QTabWidget()
        self.history_tabs.setObjectName("history_tabs")
        self.history_tabs.addTab(type_page, "所选器具的出入记录")
        self.history_tabs.addTab(person_page, "按人员查询")

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.stock_view)
        split.addWidget(self.history_tabs)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setSizes([330, 300])  # every type of the default catalogue in sight
        hint = QLabel("双击一种器具即可发放；库存不高于补货线的器具以红底标出，请及时向县残联申领。")
        hint.setStyleSheet(style.hint_style())
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addWidget(self.summary, 1)
        layout.addLayout(top)
        layout.addLayout(actions)
        layout.addWidget(hint)
        layout.addWidget(split, 1)

    # --- keeping up with the data -------------------------------------------------------------
    def _data_changed(self, changes: Changes) -> None:
        if not changes & CONCERNS:
            return
        self._stale = True
        if self.isVisible():
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    # --- reading -----------------------------------------------------------------------------
    def refresh(self) -> None:
        """Stock and the open histories, read again (reads only: the catalogue came with the register)."""
        self._stale = False
        current = self.selected_type_id()
        page = self.road.read(stock.stock_page, self.year.value())
        lines = page.lines
        self.stock_model.set_rows(lines)
        text = (f"{page.year}年：入库{page.received}件，发放{page.issued}件，退回{page.returned}件，"
                f"报损{page.written_off}件；现有库存{page.on_hand}件。")
        low = f"<span style='color:#b00020'>库存不足：{'、'.join(page.low)}。</span>" if page.low else ""
        self.summary.setText(text + low)
        row = next((i for i, s in enumerate(lines) if s.device_type.id == current), 0)
        if lines:
            self.stock_view.selectRow(row)
        self.show_type_history()
        self.show_person_history()

    def selected_type_id(self) -> int | None:
        line = self.stock_model.row(self.stock_view.currentIndex().row())
        return line.device_type.id if line is not None else None

    def show_type_history(self) -> None:
        line = self.stock_model.row(self.stock_view.currentIndex().row())
        if line is None:
            self.type_model.set_rows([])
            self.type_label.setText("")
            return
        self.type_model.set_rows(self.road.read(history.type_history, line.device_type.id))
        kind = line.device_type
        self.type_label.setText(
            f"{kind.name}：现有{line.on_hand}{kind.unit}；适用{kind.suits}；使用年限{kind.period_text}"
            + ("；发放前需评估" if kind.needs_assessment else "") + ("；可收回循环使用" if kind.reusable else ""))

    def show_person_history(self) -> None:
        person_id = self.picker.person_id()
        if person_id is None:
            self.person_model.set_rows([])
            self._enable_reprint()
            return
        self.person_model.set_rows(self.road.read(history.person_history, person_id))
        if self.person_model.rows:
            self.person_view.selectRow(0)
        self._enable_reprint()

    def _enable_reprint(self) -> None:
        line = self.person_model.row(self.person_view.currentIndex().row())
        self.reprint_button.setEnabled(line is not None and line.receipt_id is not None)

    def show_person(self, person_id: int) -> None:
        """按人员查询 for this person (e.g. after issuing to them)."""
        self.picker.choose(person_id)
        self.history_tabs.setCurrentIndex(1)
        self.show_person_history()

    # --- actions (each dialog writes through the road; the road's changed signal refreshes) -------
    def issue(self) -> None:
        dialog = IssueDialog(self.road, self, person_id=self.picker.person_id(), device_type_id=self.selected_type_id())
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.picker.person_id() is not None:
            self.show_person(dialog.picker.person_id())  # type: ignore[arg-type]

    def receive(self) -> None:
        ReceiveDialog(self.road, self, self.selected_type_id()).exec()

    def return_item(self) -> None:
        ReturnDialog(self.road, self, self.picker.person_id()).exec()

    def write_off(self) -> None:
        WriteOffDialog(self.road, self, self.selected_type_id()).exec()

    def edit_catalogue(self) -> None:
        CatalogueDialog(self.road, self).exec()

    def reprint(self) -> Path | None:
        line = self.person_model.row(self.person_view.currentIndex().row())
        if line is None or line.receipt_id is None:
            return None
        receipt_id = line.receipt_id
        return print_file(self, f"辅助器具领取单-{line.receipt_number}-{line.person_name}",
                          lambda path: self.road.read(print_receipt, receipt_id, path), "领取单")

    def print_report(self) -> Path:
        year = self.year.value()
        if self.print_what.currentIndex() == 0:
            return print_file(self, f"辅助器具发放登记表-{year}",
                              lambda path: self.road.read(print_issued_register, year, path), "发放登记表")
        return print_file(self, f"辅助器具库存表-{year}", lambda path: self.road.read(print_stock_sheet, year, path),
                          "库存表")

    def _open_person(self, model: HistoryModel, row: int) -> None:
        line = model.row(row)
        if line is not None and line.person_id is not None:
            self.show_person(line.person_id)

    def _emit_person(self, person_id: int | None) -> None:
        if person_id is not None:
            self.open_person.emit(person_id)

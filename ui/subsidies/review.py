"""月度复核: the three lists of a month (newly qualifying, continuing, to stop), each a checkable table;
the clerk ticks persons and confirms starts or stops in bulk; and 应追回, the money paid for months after a
stop that is not yet recovered or written off (handled in the 追回台账). The review itself is computed in the
background (app.services.subsidies.review), so a county-sized register never freezes the window."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.money import yuan_plain, yuan_text
from app.domain.words import Programme
from app.services.subsidies.review import Review, ReviewLine
from ui import style

Index = QModelIndex | QPersistentModelIndex
NEW, CONTINUING, STOPPING, RECOVER = "new", "continuing", "stopping", "recover"
TITLES = {NEW: "新符合、未享受", CONTINUING: "享受中、仍符合", STOPPING: "享受中、不再符合", RECOVER: "应追回"}


def counted(lines: list[ReviewLine]) -> str:
    """“88人/122项”: persons and programme lines, both named, since one person may hold two subsidies."""
    return f"{len({line.person_id for line in lines})}人/{len(lines)}项"


def _last_column(kind: str, line: ReviewLine) -> str:
    if kind == NEW:
        return f"申请在办：{line.stage}" if line.stage else "未申请"
    if kind == STOPPING:
        return f"从{line.stop_from.label}起停发" if line.stop_from else ""
    if kind == RECOVER:
        return "应追回"
    return "发放中"


class ReviewModel(QAbstractTableModel):
    """One of the three lists; column 0 carries the tick."""

    HEADERS = ("选", "姓名", "村", "补贴", "每月金额", "说明", "处理")

    def __init__(self, kind: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.lines: list[ReviewLine] = []
        self.ticked: set[int] = set()

    def set_lines(self, lines: list[ReviewLine]) -> None:
        self.beginResetModel()
        self.lines = lines
        self.ticked = set()
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            if self.kind == RECOVER and section == 4:
                return "尚欠金额"
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        line, col = self.lines[index.row()], index.column()
        if role == Qt.ItemDataRole.CheckStateRole and col == 0 and self.kind != RECOVER:
            return Qt.CheckState.Checked if index.row() in self.ticked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.DisplayRole:
            amount = yuan_plain(line.amount_fen) if line.amount_fen else ""
            return ("", line.name, line.village, Programme(line.programme).short,
                    amount, line.reason, _last_column(self.kind, line))[col]
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 4:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsUserCheckable if index.column() == 0 and self.kind != RECOVER else base

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or index.column() != 0:
            return False
        checked = Qt.CheckState(value) == Qt.CheckState.Checked if not isinstance(value, bool) else value
        (self.ticked.add if checked else self.ticked.discard)(index.row())
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        return True

    def tick_all(self, on: bool) -> None:
        self.ticked = set(range(len(self.lines))) if on else set()
        if self.lines:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.lines) - 1, 0))

    def chosen(self) -> list[ReviewLine]:
        return [self.lines[i] for i in sorted(self.ticked)]


class ReviewPage(QWidget):
    """The three lists in tabs with their counts, and the bulk actions under them."""

    open_person = Signal(int)
    start_requested = Signal(list)  # of ReviewLine
    stop_requested = Signal(list)
    recover_requested = Signal(int)  # an overpayment's id: open it in the 追回台账

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary_label = QLabel("打开本页即复核所选月份。")
        self.summary_label.setObjectName("review_summary")
        self.summary_label.setWordWrap(True)
        self.models = {kind: ReviewModel(kind, self) for kind in TITLES}
        self.lists = QTabWidget()
        self.lists.setObjectName("review_lists")
        self.views: dict[str, QTableView] = {}
        for kind, model in self.models.items():
            view = QTableView()
            view.setObjectName(f"review_{kind}")
            view.setModel(model)
            view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            view.setAlternatingRowColors(True)
            view.verticalHeader().setVisible(False)
            header = view.horizontalHeader()
            header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
            style.size_columns(view, {0: "", 1: "欧阳秀兰", 2: "村（社区）", 3: "护理补贴", 4: "1,200.00",
                                      6: "从2026年11月起停发"})  # in the font: 大字体 widens them at once
            view.doubleClicked.connect(lambda index, m=model: self._open(m, index.row()))
            self.views[kind] = view
            view.setColumnHidden(0, kind == RECOVER)  # nothing is ticked there: each is settled in the 追回台账
            self.lists.addTab(view, TITLES[kind])
        self.tick_button = QPushButton("全选")
        self.tick_button.setObjectName("tick_all")
        self.tick_button.clicked.connect(lambda: self._current().tick_all(True))
        self.untick_button = QPushButton("全不选")
        self.untick_button.setObjectName("untick_all")
        self.untick_button.clicked.connect(lambda: self._current().tick_all(False))
        self.start_button = QPushButton("为选中的人登记申请 / 开始发放")
        self.start_button.setObjectName("start_button")
        self.start_button.clicked.connect(lambda: self.start_requested.emit(self.models[NEW].chosen()))
        self.stop_button = QPushButton("确认选中的人停发")
        self.stop_button.setObjectName("stop_button")
        self.stop_button.clicked.connect(lambda: self.stop_requested.emit(self.models[STOPPING].chosen()))
        self.recover_button = QPushButton("到追回台账登记追回或核销(&Z)")
        self.recover_button.setObjectName("to_ledger_button")
        self.recover_button.clicked.connect(self._recover)
        hint = QLabel("双击一行打开此人的补贴情况。已到“审定”的申请从本月起发放；没有申请的登记一份申请，再逐级审批。")
        hint.setStyleSheet(style.hint_style())
        hint.setWordWrap(True)
        self.lists.currentChanged.connect(lambda _i: self._show_actions())
        buttons = QHBoxLayout()
        for button in (self.tick_button, self.untick_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.stop_button)
        buttons.addWidget(self.recover_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.lists, 1)
        layout.addWidget(hint)
        layout.addLayout(buttons)
        self._show_actions()

    def _current(self) -> ReviewModel:
        return list(self.models.values())[self.lists.currentIndex()]

    def _show_actions(self) -> None:
        kind = self._current().kind
        self.start_button.setVisible(kind == NEW)
        self.stop_button.setVisible(kind == STOPPING)
        self.recover_button.setVisible(kind == RECOVER)
        for button in (self.tick_button, self.untick_button):
            button.setVisible(kind != RECOVER)

    def _recover(self) -> None:
        lines = self.models[RECOVER].lines
        row = self.views[RECOVER].currentIndex().row()
        line = lines[row] if 0 <= row < len(lines) else (lines[0] if lines else None)
        if line is not None and line.overpayment_id is not None:
            self.recover_requested.emit(line.overpayment_id)

    def _open(self, model: ReviewModel, row: int) -> None:
        if 0 <= row < len(model.lines):
            self.open_person.emit(model.lines[row].person_id)

    def show_running(self, label: str) -> None:
        """The month's review is being computed: empty lists, never another month's under this month's name."""
        for model in self.models.values():
            model.set_lines([])
        for index, kind in enumerate(TITLES):
            self.lists.setTabText(index, TITLES[kind])
        self.summary_label.setText(f"正在复核{label}……")

    def show_review(self, review: Review) -> None:
        for kind, model in self.models.items():
            model.set_lines(getattr(review, kind))
        counts = {kind: counted(getattr(review, kind)) for kind in TITLES}
        for index, kind in enumerate(TITLES):
            self.lists.setTabText(index, f"{TITLES[kind]}（{counts[kind]}）")
        owed = sum(line.amount_fen for line in review.recover)
        recover = f"，应追回{counts[RECOVER]}共{yuan_text(owed)}元" if review.recover else ""
        self.summary_label.setText(
            f"{review.month.label}复核：新符合、未享受{counts[NEW]}，享受中、仍符合{counts[CONTINUING]}，"
            f"享受中、不再符合{counts[STOPPING]}{recover}（“项”指一人的一项补贴，一人可同时享受生活补贴和护理补贴；"
            "按当前登记信息和政策计算；停发从死亡、迁出或低保取消的次月起，此后已发放的应追回）。")

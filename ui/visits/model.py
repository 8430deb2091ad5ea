"""The table of a campaign's list: one row per household, why it is there (or why not), the amount, the
result. A town's list is a few hundred rows at most, so the rows are read whole (visits.line_views)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.domain.money import yuan_text
from app.domain.words import LineOutcome
from app.services.visits.lines import LineView

LINE_ID_ROLE = Qt.ItemDataRole.UserRole
Index = QModelIndex | QPersistentModelIndex

_GREY = QBrush(QColor("#888888"))
_RED = QBrush(QColor("#b00020"))


def _state(v: LineView) -> str:
    if not v.included:
        return "未列入"
    return v.outcome or "列入"


def _amount(v: LineView) -> str:
    if v.included and v.outcome == LineOutcome.NOT_FOUND:
        return "未发放"  # nothing was given: the planned amount is no longer what this line stands for
    parts = [yuan_text(v.amount_fen)] if v.amount_fen else []
    return "、".join(parts + ([v.goods] if v.goods else []))


def _note(v: LineView) -> str:
    if not v.included:
        departed = f"（{'；'.join(v.warnings)}）" if v.warnings else ""
        return ("手工移出：" if v.by_hand else "") + v.removed_reason + departed
    if v.warnings:
        return "提醒：" + "；".join(v.warnings)
    if v.outcome == LineOutcome.VISITED:
        given = yuan_text(v.given_fen) if v.given_fen else ""
        return "，".join(t for t in (v.visited_on.isoformat() if v.visited_on else "", given, v.given_goods,
                                     v.visitor, "已签字" if v.signed else "未签字") if t)
    if v.outcome == LineOutcome.NOT_FOUND:
        return f"{v.visited_on.isoformat() if v.visited_on else ''} 未找到"
    return ""


def _persons(v: LineView) -> str:
    """The names the roster prints; one who left before the line's day is named as such (not printed)."""
    return "、".join(p.name + (f"（已{p.status}，不印）" if p.departed else "") for p in v.persons)


COLUMNS: list[tuple[str, Callable[[LineView], str]]] = [
    ("状态", _state),
    ("村", lambda v: v.village),
    ("户主/慰问对象", lambda v: v.head),
    ("残疾人", lambda v: _persons(v)),
    ("类别等级", lambda v: "、".join(p.category for p in v.persons)),
    ("列入理由", lambda v: v.reason),
    ("金额（元）/物品", _amount),
    ("说明", _note),
]
HEADERS = [c[0] for c in COLUMNS]

# The list's filters: label and which lines it shows.
FILTERS: list[tuple[str, Callable[[LineView], bool]]] = [
    ("列入名单的", lambda v: v.included),
    ("全部", lambda v: True),
    ("未列入的", lambda v: not v.included),
    ("手工调整的", lambda v: v.by_hand),
    ("有提醒的", lambda v: bool(v.warnings)),
    ("未登记结果的", lambda v: v.included and not v.outcome),
    ("已慰问的", lambda v: v.outcome == LineOutcome.VISITED),
]


class LineTableModel(QAbstractTableModel):
    """The lines a filter shows; LINE_ID_ROLE gives a row's line id."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._all: list[LineView] = []
        self._rows: list[LineView] = []
        self._filter = 0

    def set_lines(self, lines: list[LineView]) -> None:
        self.beginResetModel()
        self._all = lines
        self._rows = [v for v in lines if FILTERS[self._filter][1](v)]
        self.endResetModel()

    def set_filter(self, index: int) -> None:
        self._filter = index if 0 <= index < len(FILTERS) else 0
        self.set_lines(self._all)

    def line(self, row: int) -> LineView | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def lines(self) -> list[LineView]:
        return list(self._rows)

    def all_lines(self) -> list[LineView]:
        return list(self._all)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section]
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        view = self.line(index.row()) if index.isValid() else None
        if view is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return COLUMNS[index.column()][1](view)
        if role == LINE_ID_ROLE:
            return view.id
        if role == Qt.ItemDataRole.ForegroundRole:
            if not view.included:
                return _GREY
            if view.warnings:
                return _RED
        return None

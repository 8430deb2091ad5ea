"""Table models of the 康复器材 tab: the stock of each type, and a list of movements (history)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.services.devices.history import HistoryLine
from app.services.devices.stock import StockLine

Index = QModelIndex | QPersistentModelIndex
T = TypeVar("T")
ROW_ROLE = Qt.ItemDataRole.UserRole
LOW_BRUSH = QBrush(QColor("#fde2e1"))

STOCK_COLUMNS: list[tuple[str, Callable[[StockLine], object]]] = [
    ("器具名称", lambda s: s.device_type.name),
    ("类别", lambda s: s.device_type.category),
    ("单位", lambda s: s.device_type.unit),
    ("现有库存", lambda s: s.on_hand),
    ("本年入库", lambda s: s.received),
    ("本年发放", lambda s: s.issued),
    ("本年退回", lambda s: s.returned),
    ("本年报损", lambda s: s.written_off),
    ("提示", lambda s: f"库存不足（补货线{s.device_type.reorder_level}）" if s.low else ""),
    ("适用对象", lambda s: s.device_type.suits),
    ("使用年限", lambda s: s.device_type.period_text),
    ("循环使用", lambda s: "可收回" if s.device_type.reusable else ""),
]

HISTORY_COLUMNS: list[tuple[str, Callable[[HistoryLine], object]]] = [
    ("日期", lambda h: f"{h.date:%Y-%m-%d}"),
    ("类型", lambda h: h.kind),
    ("器具", lambda h: h.device_name),
    ("数量", lambda h: f"{h.quantity}{h.unit}"),
    ("领取人", lambda h: h.person_name),
    ("型号", lambda h: h.model),
    ("序列号", lambda h: h.serial),
    ("领取单", lambda h: h.receipt_number),
    ("来源、状况、理由", lambda h: h.note),
]


class ListModel(QAbstractTableModel, Generic[T]):
    """A read-only table over a list of plain values, one column per (header, getter)."""

    def __init__(self, columns: Sequence[tuple[str, Callable[[T], object]]], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[T] = []

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row(self, index: int) -> T | None:
        return self.rows[index] if 0 <= index < len(self.rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section][0]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = self.columns[index.column()][1](item)
            return "" if value is None else str(value)
        if role == ROW_ROLE:
            return item
        return self.extra(item, role)

    def extra(self, item: T, role: int) -> Any:
        return None


class StockModel(ListModel[StockLine]):
    """Each type's stock; a type at or below its reorder level is shaded."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(STOCK_COLUMNS, parent)

    def extra(self, item: StockLine, role: int) -> Any:
        if role == Qt.ItemDataRole.BackgroundRole and item.low:
            return LOW_BRUSH
        return None


class HistoryModel(ListModel[HistoryLine]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(HISTORY_COLUMNS, parent)

"""The import wizard's preview table and the sentences that count what an import does (or would do)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QCheckBox, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from app.io.roster_import import ImportResult, PreviewRow
from ui import style

REJECTED = "拒绝"
_HEADERS = ("行号", "姓名", "身份证号", "结果", "原因或提示")
_REJECTED_BACKGROUND = QColor("#fde0e0")
_REJECTED_TEXT = QColor("#a00000")
_WARNING_BACKGROUND = QColor("#fff6d5")

_Index = QModelIndex | QPersistentModelIndex


def counts_text(outcomes: Iterable[str]) -> str:
    """新增 3 人，更新 1 人，不变 0 人，拒绝 2 行: from outcome labels (新增/更新/不变/拒绝)."""
    counts = Counter(outcomes)
    return (f"新增 {counts['新增']} 人，更新 {counts['更新']} 人，不变 {counts['不变']} 人，"
            f"拒绝 {counts[REJECTED]} 行")


def result_lines(result: ImportResult) -> list[str]:
    """The counts line first, then what the clerk should know about what was left out. No ID numbers."""
    labels = ["拒绝" if r.is_rejected else r.label for r in result.rows]
    lines = [counts_text(labels) + "。"]
    if result.rejected:
        lines.append("被拒绝的行没有导入：点“保存拒绝清单…”可得到每一行的行号和原因，在清单里改正后可以再导入。")
    still = result.count("still_rejected")
    if still:
        lines.append(f"其中{still}行与以前导入时被拒绝的行相同。")
    if result.warnings:
        lines.append(f"有{len(result.warnings)}条提示（如性别与身份证号不符），这些行已照常导入，提示也写在拒绝清单里。")
    if result.ignored:
        lines.append(f"未导入的列：{'、'.join(result.ignored)}。")
    if result.other_sheets:
        lines.append(f"只导入了工作表“{result.sheet_name}”；工作表“{'”“'.join(result.other_sheets)}”没有导入。")
    return lines


class PreviewModel(QAbstractTableModel):
    """One line per roster row: its row number on the sheet, name, ID, outcome and reason. The ID is masked,
    except on a rejected row: there the whole number as written, for the clerk to compare with the paper
    (the register's own lists stay masked)."""

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[PreviewRow] = []

    def set_rows(self, rows: Sequence[PreviewRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> PreviewRow:
        return self._rows[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        rejected = row.outcome == REJECTED
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, index.column())
        if role == Qt.ItemDataRole.BackgroundRole:
            if rejected:
                return QBrush(_REJECTED_BACKGROUND)
            return QBrush(_WARNING_BACKGROUND) if row.warnings else None
        if role == Qt.ItemDataRole.ForegroundRole and rejected:
            return QBrush(_REJECTED_TEXT)
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 4:
            return self._text(row, 4) or None
        return None

    @staticmethod
    def _text(row: PreviewRow, column: int) -> str:
        if column == 0:
            return str(row.row)
        if column == 1:
            return row.name
        if column == 2:
            return (row.id_written or row.id_masked) if row.outcome == REJECTED else row.id_masked
        if column == 3:
            return row.outcome
        notes = [row.reason] if row.reason else []
        notes += [f"提示：{w}" for w in row.warnings]
        return "；".join(notes)


class _RejectedOnly(QSortFilterProxyModel):
    def __init__(self) -> None:
        super().__init__()
        self.only_rejected = False

    def filterAcceptsRow(self, source_row: int, _parent: _Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, PreviewModel)
        return not self.only_rejected or model.row_at(source_row).outcome == REJECTED


class PreviewTable(QWidget):
    """The preview list with a switch to see only the rejected rows."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = PreviewModel()
        self._proxy = _RejectedOnly()
        self._proxy.setSourceModel(self.model)
        self.only_rejected = QCheckBox("只看被拒绝的行")
        self.only_rejected.setObjectName("only_rejected")
        self.only_rejected.toggled.connect(self._filter)
        hint = QLabel("被拒绝的行显示完整的身份证号，请与纸质材料或身份证逐位核对；其他行只显示前4位和后4位。")
        hint.setObjectName("id_hint")
        hint.setWordWrap(True)
        hint.setStyleSheet(style.hint_style())
        self.view = QTableView()
        self.view.setObjectName("preview")
        self.view.setModel(self._proxy)
        self.view.verticalHeader().setVisible(False)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.setWordWrap(False)
        style.follow_font(self.view, lambda: self.view.verticalHeader().setDefaultSectionSize(
            self.view.fontMetrics().height() + 8))
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.only_rejected)
        layout.addWidget(self.view, 1)
        layout.addWidget(hint)

    def set_rows(self, rows: Sequence[PreviewRow]) -> None:
        self.model.set_rows(rows)

    def visible_rows(self) -> int:
        return self._proxy.rowCount()

    def _filter(self, only: bool) -> None:
        self._proxy.beginFilterChange()
        self._proxy.only_rejected = only
        self._proxy.endFilterChange(QSortFilterProxyModel.Direction.Rows)

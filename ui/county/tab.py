"""The 县级汇总 tab (county mode only): the towns reporting to the county with their last package, the
button that imports a town's 上报包 (checked, shown, then merged off the GUI thread), the one that writes the
county's 政策更新包 for the towns, and the 待核实 lines
only the county can see, each resolved with a note. The county's figures are `canlian summary --county`."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.actions import Changes
from app.services.backup.drives import export_places
from app.services.county.checks import CheckLine, check_lines, resolve_check
from app.services.county.importing import ImportResult, accept_package, preview_package
from app.services.county.towns import towns
from ui.county.import_dialog import ImportPreviewDialog
from ui.road import Road
from ui.tasks import Task, tell_failure

TITLE = "导入上报包"


def _table(name: str, headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    table.setAlternatingRowColors(True)
    return table


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(value))


class CountyTab(QWidget):
    def __init__(self, road: Road, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.road = road
        self.setObjectName("county_tab")
        self._stale = True
        self.import_button = QPushButton("导入上报包(&O)…")
        self.import_button.setObjectName("import_package")
        self.import_button.clicked.connect(self.import_package)
        self.policy_button = QPushButton("生成政策更新包(&P)…")
        self.policy_button.setObjectName("policy_package")
        self.policy_button.clicked.connect(self.write_policy_package)
        self.resolve_button = QPushButton("标为已核实(&K)…")
        self.resolve_button.setObjectName("resolve")
        self.resolve_button.clicked.connect(self.resolve_selected)
        self.towns = _table("towns", ["乡镇", "统计用区划代码", "最近上报包", "截止日期", "导入时间", "核对码"])
        self.checks = _table("checks", ["类别", "两地的情况", "发现时间"])
        self.checks.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.checks.horizontalHeader().setStretchLastSection(False)
        self.checks.setWordWrap(True)
        self.check_label = QLabel()
        self.check_label.setObjectName("check_count")
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.policy_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(QLabel("<b>各乡镇的上报包</b>（县级统计：各乡镇最近一个上报包中的年度统计之和）"))
        layout.addWidget(self.towns, 1)
        row = QHBoxLayout()
        row.addWidget(self.check_label, 1)
        row.addWidget(self.resolve_button)
        layout.addLayout(row)
        layout.addWidget(self.checks, 2)
        self.lines: list[CheckLine] = []
        road.changed.connect(self.on_changed)

    def on_changed(self, changes: Changes) -> None:
        if changes & (Changes.COUNTY | Changes.SETTINGS):
            self._stale = True
            if self.isVisible():
                self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def refresh(self) -> None:
        self._stale = False
        _fill(self.towns, [[t.name, t.code, f"第{t.last_sequence}号",
                            t.last_as_of.isoformat() if t.last_as_of else "",
                            f"{t.imported_at:%Y-%m-%d %H:%M}" if t.imported_at else "", t.fingerprint]
                           for t in self.road.read(towns)])
        self.lines = self.road.read(check_lines)
        _fill(self.checks, [[line.kind, line.facts, f"{line.found_at:%Y-%m-%d}"] for line in self.lines])
        self.checks.resizeRowsToContents()
        self.check_label.setText(f"<b>待核实</b>：{len(self.lines)}条（同一人在两个乡镇、跨乡镇迁移、"
                                 "死亡后仍发放、同户两地、发放与统计不符）")
        self.resolve_button.setEnabled(bool(self.lines))

    def import_package(self) -> Task[ImportResult] | None:
        chosen, _ = QFileDialog.getOpenFileName(self, "选择乡镇的上报包", str(export_places()[0]), "上报包 (*.zip)")
        return self.import_file(Path(chosen)) if chosen else None

    def import_file(self, path: Path) -> Task[ImportResult] | None:
        """Check and show the package, then merge it off the GUI thread once the clerk says 导入."""
        try:
            preview = self.road.read(preview_package, path)
        except Exception as exc:  # noqa: BLE001 - a refusal told in the one place errors are told
            tell_failure(self, TITLE, exc)
            return None
        if preview.already:
            QMessageBox.information(self, TITLE,
                                    f"{preview.town}的第{preview.sequence}号上报包已导入过，未作任何改动。")
            return None
        dialog = ImportPreviewDialog(preview, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None

        def done(result: ImportResult) -> None:
            QMessageBox.information(self, TITLE, "已导入。\n" + "\n".join(result.lines()))

        return self.road.run(self, TITLE, accept_package, path, register_key=dialog.confirmed.isChecked(),
                             on_done=done)

    def write_policy_package(self) -> Task[Path] | None:
        """The county's standards and aids catalogue, signed, for the towns (ui.dialogs.policy_package)."""
        from ui.dialogs.policy_package import write_policy_package

        return write_policy_package(self, self.road)

    def resolve_selected(self) -> CheckLine | None:
        row = self.checks.currentRow()
        if not 0 <= row < len(self.lines):
            QMessageBox.information(self, "标为已核实", "请先在待核实列表中选中一条。")
            return None
        line = self.lines[row]
        note, ok = QInputDialog.getText(self, "标为已核实", f"{line.kind}：{line.facts}\n\n核实结果：")
        if not ok:
            return None
        return self.road.attempt(self, "标为已核实", resolve_check, line.id, note)

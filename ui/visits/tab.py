"""The 节日慰问 tab: choose or create a campaign, draw its list from criteria, adjust it by hand with reasons,
print the roster people sign, record what was given, and compare with the last campaign.

All rules are in app.services.visits; this page shows their results and passes on what the clerk chose.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QMessageBox, QPushButton, QTableView,
    QVBoxLayout, QWidget,
)

from app.db.engine import Database
from app.domain.money import yuan_text
from app.errors import CanlianError
from app.reports import ReportRequest, write_report
from app.services.register import villages
from app.services.visits import campaigns, lines
from app.services.visits.criteria import criteria_of
from ui import style
from ui.printing import free_path, open_in_viewer, print_folder, tell
from ui.tasks import Progress, Task, run_task
from ui.visits.criteria import CriteriaPanel
from ui.visits.dialogs import AddHouseholdDialog, CampaignDialog, CompareDialog, ReasonDialog, RecordDialog
from ui.visits.model import FILTERS, LineTableModel

ALL_VILLAGES = "全部村"
EACH_VILLAGE = "各村分别打印"  # one file per village, for each village cadre to take along


def write_roster(db: Database, campaign: str, village_id: int | None, path: Path) -> Path:
    """The 慰问花名册 PDF (or .xlsx) of a campaign, all villages or one."""
    request = ReportRequest(kind="visit-roster", out=path, campaign=campaign, village_id=village_id)
    with db.session() as session:
        return write_report(session, request)


class VisitsTab(QWidget):
    """The 节日慰问 tab (main window: open_person, mark_stale, set_database)."""

    open_person = Signal(int)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self._stale = True
        heading = QLabel("<big><b>节日慰问</b></big>")
        self.campaign_box = QComboBox()
        self.campaign_box.setObjectName("campaign")
        self.campaign_box.setMinimumContentsLength(14)
        self.campaign_box.currentIndexChanged.connect(lambda _i: self.show_campaign())
        self.new_button = QPushButton("新建慰问…")
        self.new_button.clicked.connect(self.new_campaign)
        self.edit_button = QPushButton("修改…")
        self.edit_button.clicked.connect(self.edit_campaign)
        self.info_label = QLabel()
        self.info_label.setObjectName("info")
        top = QHBoxLayout()
        for w in (heading, QLabel("慰问："), self.campaign_box, self.new_button, self.edit_button):
            top.addWidget(w)
        top.addWidget(self.info_label, 1)

        self.criteria = CriteriaPanel()
        self.criteria.propose_requested.connect(self.propose)

        self.warning_label = QLabel()
        self.warning_label.setObjectName("warning")
        self.warning_label.setStyleSheet(style.error_style())
        self.warning_label.setWordWrap(True)
        self.departed_button = QPushButton("把这些户移出名单")
        self.departed_button.clicked.connect(self.remove_departed)
        warn = QHBoxLayout()
        warn.addWidget(self.warning_label, 1)
        warn.addWidget(self.departed_button)

        self.filter_box = QComboBox()
        self.filter_box.addItems([label for label, _ in FILTERS])
        self.filter_box.currentIndexChanged.connect(self._filter)
        self.shown_label = QLabel()
        self.totals_label = QLabel()
        self.totals_label.setObjectName("totals")
        filters = QHBoxLayout()
        filters.addWidget(QLabel("显示："))
        filters.addWidget(self.filter_box)
        filters.addWidget(self.shown_label)
        filters.addStretch(1)
        filters.addWidget(self.totals_label)

        self.model = LineTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda index: self._open(index.row()))
        for col, width in enumerate((60, 80, 100, 120, 180, 260, 110)):
            self.table.setColumnWidth(col, width)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)

        self.add_button = QPushButton("加入一户…")
        self.add_button.clicked.connect(self.add_household)
        self.remove_button = QPushButton("移出名单…")
        self.remove_button.clicked.connect(self.ask_remove)
        self.village_box = QComboBox()
        self.village_box.setObjectName("village")
        self.print_button = QPushButton("打印花名册")
        self.print_button.clicked.connect(lambda: self.print_roster())
        self.xlsx_button = QPushButton("导出Excel")
        self.xlsx_button.clicked.connect(lambda: self.print_roster(".xlsx"))
        self.record_button = QPushButton("登记慰问结果…")
        self.record_button.clicked.connect(self.record_selected)
        self.record_all_button = QPushButton("全部按计划登记…")
        self.record_all_button.clicked.connect(self.record_all)
        self.compare_button = QPushButton("与上次比较…")
        self.compare_button.clicked.connect(self.compare)
        actions = QHBoxLayout()
        for w in (self.add_button, self.remove_button, QLabel("　打印："), self.village_box, self.print_button,
                  self.xlsx_button, QLabel("　"), self.record_button, self.record_all_button):
            actions.addWidget(w)
        actions.addStretch(1)
        actions.addWidget(self.compare_button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.criteria)
        layout.addLayout(warn)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        self.empty_label = QLabel("还没有慰问。点“新建慰问…”，选好节日和年份，程序会算出日期并按条件提出名单。")
        self.empty_label.setStyleSheet(style.hint_style())
        layout.addWidget(self.empty_label)

    # --- main window's needs ----------------------------------------------------------------------
    def mark_stale(self) -> None:
        """The register changed (a death, a move): read again now if shown, else when next shown."""
        self._stale = True
        if self.isVisible():
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def set_database(self, db: Database) -> None:
        self.db = db
        self.mark_stale()

    # --- reading ----------------------------------------------------------------------------------
    def campaign_id(self) -> int | None:
        data = self.campaign_box.currentData()
        return int(data) if data is not None else None

    def refresh(self, select: int | None = None) -> None:
        """Read the campaigns again, keeping (or moving to) the chosen one."""
        self._stale = False
        keep = select if select is not None else self.campaign_id()
        with self.db.session() as session:
            found = [(c.id, c.name) for c in campaigns.campaigns(session)]
        self.campaign_box.blockSignals(True)
        self.campaign_box.clear()
        for cid, name in found:
            self.campaign_box.addItem(name, cid)
        index = next((i for i, (cid, _) in enumerate(found) if cid == keep), 0)
        self.campaign_box.setCurrentIndex(index if found else -1)
        self.campaign_box.blockSignals(False)
        self.show_campaign()

    def show_campaign(self) -> None:
        cid = self.campaign_id()
        has = cid is not None
        self.empty_label.setVisible(not has)
        for w in (self.edit_button, self.criteria, self.add_button, self.remove_button, self.print_button,
                  self.xlsx_button, self.record_button, self.record_all_button, self.compare_button, self.village_box):
            w.setEnabled(has)
        if cid is None:
            self.info_label.setText("")
            self.model.set_lines([])
            self._show_totals(None)
            return
        with self.db.session() as session:
            campaign = campaigns.get_campaign(session, cid)
            views = lines.line_views(session, campaign)
            totals = lines.totals(session, campaign)
            choices = [(v.id, v.name) for v in villages.list_villages(session)]
            self.criteria.set_villages(choices)
            self.criteria.set_criteria(criteria_of(campaign))
            per = f"每户{yuan_text(campaign.standard_fen)}元" if campaign.standard_fen else ""
            goods = f"物品：{campaign.goods}" if campaign.goods else ""
            leader = f"带队：{campaign.leader}" if campaign.leader else ""
            self.info_label.setText("　".join(t for t in (
                f"{campaign.festival}　{campaign.date.isoformat()}", f"预算{yuan_text(campaign.budget_fen)}元",
                per, goods, leader) if t))
        listed = {v.village for v in views if v.included}
        current = self.village_box.currentText()
        self.village_box.clear()
        self.village_box.addItem(ALL_VILLAGES, None)
        self.village_box.addItem(EACH_VILLAGE, None)
        for vid, name in choices:
            if name in listed:
                self.village_box.addItem(name, vid)
        self.village_box.setCurrentText(current if current else ALL_VILLAGES)
        self.model.set_lines(views)
        self._show_totals(totals)
        self._show_warnings(views)

    def _show_totals(self, totals: lines.CampaignTotals | None) -> None:
        self.shown_label.setText(f"共 {self.model.rowCount()} 户")
        if totals is None:
            self.totals_label.setText("")
            return
        # before the visit the list is a plan against the budget; once results are recorded, the total is
        # what was given (the budget stays in the line above)
        over = totals.over_budget and not totals.recorded
        if totals.recorded:
            text = (f"列入 {totals.households} 户，计划 {yuan_text(totals.amount_fen)}元；"
                    f"已慰问 {totals.visited} 户，实发合计 {yuan_text(totals.given_fen)}元")
            if totals.not_found:
                text += f"；未发放 {totals.not_found} 户（未找到）"
            if totals.pending:
                text += f"；待登记 {totals.pending} 户"
        else:
            text = (f"预算 {yuan_text(totals.budget_fen)}元；列入 {totals.households} 户，"
                    f"计划合计 {yuan_text(totals.amount_fen)}元")
            if over:
                text += f"，超出预算 {yuan_text(totals.amount_fen - totals.budget_fen)}元"
        self.totals_label.setText(text)
        self.totals_label.setStyleSheet(style.error_style() if over else "")

    def _show_warnings(self, views: list[lines.LineView]) -> None:
        flagged = [v for v in views if v.included and v.warnings and not v.outcome]
        departed = [v for v in flagged if v.all_departed]
        if flagged:
            who = "；".join("、".join(v.warnings) for v in flagged[:4]) + ("……" if len(flagged) > 4 else "")
            self.warning_label.setText(f"提醒：名单生成后，{len(flagged)} 户中有残疾人已去世或迁出（{who}）。"
                                       "打印时只印在册的人；无人在册的户不会印在签字表上。")
        self.warning_label.setVisible(bool(flagged))
        self.departed_button.setVisible(bool(departed))

    def _filter(self, index: int) -> None:
        self.model.set_filter(index)
        self.shown_label.setText(f"共 {self.model.rowCount()} 户")

    def selected_line_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [view.id for row in rows if (view := self.model.line(row)) is not None]

    def _open(self, row: int) -> None:
        view = self.model.line(row)
        if view is not None and view.persons:
            self.open_person.emit(view.persons[0].id)

    def _warn(self, exc: CanlianError) -> None:
        QMessageBox.warning(self, "节日慰问", str(exc))

    # --- actions ----------------------------------------------------------------------------------
    def new_campaign(self) -> None:
        dialog = CampaignDialog(self.db, None, self)
        if dialog.exec() and dialog.saved_id is not None:
            self.refresh(select=dialog.saved_id)
            self.propose()

    def edit_campaign(self) -> None:
        cid = self.campaign_id()
        if cid is not None and CampaignDialog(self.db, cid, self).exec():
            self.refresh()

    def propose(self) -> lines.ProposalResult | None:
        """按条件生成名单: save the criteria with the campaign and draw the list again (hand edits kept)."""
        cid = self.campaign_id()
        if cid is None:
            return None
        try:
            with self.db.transaction() as session:
                result = lines.apply_proposal(session, campaigns.get_campaign(session, cid), self.criteria.criteria())
        except CanlianError as exc:
            self._warn(exc)
            return None
        self.show_campaign()
        text = f"按条件列入 {result.included} 户"
        if result.over_budget:
            text += f"，另有 {result.over_budget} 户符合条件但超出预算（见“未列入的”）"
        tell(self, text + "。")
        return result

    def remove_lines(self, line_ids: list[int], reason: str) -> bool:
        try:
            with self.db.transaction() as session:
                for line_id in line_ids:
                    lines.remove_line(session, line_id, reason)
        except CanlianError as exc:
            self._warn(exc)
            return False
        self.show_campaign()
        return True

    def ask_remove(self) -> None:
        ids = self.selected_line_ids()
        if not ids:
            tell(self, "请先在名单中选中要移出的户。")
            return
        names = "、".join(v.head for v in self.model.all_lines() if v.id in ids)
        dialog = ReasonDialog(names, self)
        if dialog.exec():
            self.remove_lines(ids, dialog.reason)

    def remove_departed(self) -> None:
        cid = self.campaign_id()
        if cid is None:
            return
        with self.db.transaction() as session:
            count = lines.remove_departed(session, campaigns.get_campaign(session, cid))
        self.show_campaign()
        tell(self, f"已把 {count} 户移出名单，原因记为残疾人去世或迁出。")

    def add_household(self) -> None:
        cid = self.campaign_id()
        if cid is not None and AddHouseholdDialog(self.db, cid, self).exec():
            self.show_campaign()

    def record_selected(self) -> None:
        cid, ids = self.campaign_id(), self.selected_line_ids()
        if cid is None or not ids:
            tell(self, "请先在名单中选中已走访的户（可多选）。")
            return
        if RecordDialog(self.db, cid, ids, self).exec():
            self.show_campaign()

    def record_all(self) -> None:
        cid = self.campaign_id()
        if cid is None:
            return
        dialog = RecordDialog(self.db, cid, None, self)
        if dialog.exec():
            self.show_campaign()
            tell(self, f"已登记 {dialog.recorded} 户为已慰问。")

    def compare(self) -> None:
        cid = self.campaign_id()
        if cid is not None:
            CompareDialog(self.db, cid, self).exec()

    def roster_path(self, suffix: str = ".pdf") -> Path:
        village = self.village_box.currentText()
        stem = f"{self.campaign_box.currentText()}花名册" + (
            "" if village in ("", ALL_VILLAGES, EACH_VILLAGE) else f"-{village}")
        return free_path(print_folder(), f"{stem}-{dt.date.today():%Y%m%d}", suffix)

    def print_roster(self, suffix: str = ".pdf") -> Task[Path] | None:
        """Write the roster (all villages or the chosen one) in the background and open it for printing."""
        cid = self.campaign_id()
        if cid is None:
            return None
        name = self.campaign_box.currentText()
        if self.village_box.currentText() == EACH_VILLAGE:
            return self._print_each_village(name, suffix)
        village_id = self.village_box.currentData()
        path = self.roster_path(suffix)

        def work(_progress: Progress) -> Path:
            return write_roster(self.db, name, village_id, path)

        def done(written: Path) -> None:
            opened = open_in_viewer(written)
            tell(self, f"花名册已保存到 {written}" + ("，已打开，可从查看器中打印。" if opened else "。"))

        return run_task(self, "打印慰问花名册", work, done)

    def _print_each_village(self, name: str, suffix: str) -> Task[Path]:
        """One roster per village on the list, in a folder of their own, opened when done."""
        chosen = [(self.village_box.itemData(i), self.village_box.itemText(i))
                  for i in range(self.village_box.count()) if self.village_box.itemData(i) is not None]
        folder = self.roster_path("")
        folder.mkdir(parents=True)

        def work(progress: Progress) -> Path:
            for done, (village_id, village) in enumerate(chosen):
                progress(done, len(chosen), f"正在打印{village}……")
                write_roster(self.db, name, int(village_id), folder / f"{name}花名册-{village}{suffix}")
            return folder

        def finished(written: Path) -> None:
            open_in_viewer(written)
            tell(self, f"{len(chosen)}个村的花名册已保存到 {written}。")

        return run_task(self, "打印慰问花名册", work, finished)

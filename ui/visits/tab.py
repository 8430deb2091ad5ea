"""The 节日慰问 tab: choose or create a campaign, draw its list from criteria, adjust it by hand with reasons,
print the roster people sign, record what was given, and compare with the last campaign.

All rules are in app.services.visits; this page shows what visits.campaign_page reads and passes on what
the clerk chose, through the road (ui.road). It reads again when the road says the visits or the register
changed (a death changes who is printed): at once if shown, else when next shown.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.money import yuan_text
from app.services import visits
from app.services.actions import Changes
from app.services.visits.lines import CampaignTotals, LineView, ProposalResult
from ui import style
from ui.printing import export_file, export_folder, printout_path, show_printout, tell
from ui.road import Road
from ui.tasks import Task
from ui.visits.criteria import CriteriaPanel
from ui.visits.dialogs import AddHouseholdDialog, CampaignDialog, CompareDialog, ReasonDialog, RecordDialog
from ui.visits.model import FILTERS, LineTableModel

ALL_VILLAGES = "全部村"
EACH_VILLAGE = "各村分别打印"  # one file per village, for each village cadre to take along
CONCERNS = Changes.VISITS | Changes.REGISTER  # the lists, and who on them is still on the register


def _button(text: str, name: str) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    return button


class VisitsTab(QWidget):
    """The 节日慰问 tab over the road; open_person(id) asks the main window to open a person."""

    open_person = Signal(int)

    def __init__(self, road: Road, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.road = road
        self.page: visits.CampaignPage | None = None
        self._stale = True
        road.changed.connect(self._data_changed)
        heading = QLabel("<big><b>节日慰问</b></big>")
        self.campaign_box = QComboBox()
        self.campaign_box.setObjectName("campaign")
        self.campaign_box.setMinimumContentsLength(14)
        self.campaign_box.currentIndexChanged.connect(lambda _i: self.refresh(select=self.campaign_id()))
        self.new_button = _button("新建慰问…", "new_campaign")
        self.new_button.clicked.connect(self.new_campaign)
        self.edit_button = _button("修改…", "edit_campaign")
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
        self.departed_button = _button("把这些户移出名单", "remove_departed")
        self.departed_button.clicked.connect(self.remove_departed)
        warn = QHBoxLayout()
        warn.addWidget(self.warning_label, 1)
        warn.addWidget(self.departed_button)

        self.filter_box = QComboBox()
        self.filter_box.setObjectName("filter")
        self.filter_box.addItems([label for label, _ in FILTERS])
        self.filter_box.currentIndexChanged.connect(self._filter)
        self.shown_label = QLabel()
        self.shown_label.setObjectName("shown")
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
        self.table.setObjectName("lines")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.activated.connect(lambda index: self._open(index.row()))  # double click, or Enter
        # widths in the font's characters (大字体 widens them at once); the 说明 column takes the rest
        samples = ("已慰问", "东风村村", "王秀兰", "王秀兰", "多重（言语、肢体、智力）", "村委会推荐：因病致贫",
                   "500.00")
        style.size_columns(self.table, dict(enumerate(samples)))
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)

        self.add_button = _button("加入一户…", "add")
        self.add_button.clicked.connect(self.add_household)
        self.remove_button = _button("移出名单…", "remove")
        self.remove_button.clicked.connect(self.ask_remove)
        self.village_box = QComboBox()
        self.village_box.setObjectName("village")
        self.print_button = _button("打印花名册", "print")
        self.print_button.clicked.connect(lambda: self.print_roster())
        self.xlsx_button = _button("导出Excel", "xlsx")
        self.xlsx_button.clicked.connect(lambda: self.print_roster(".xlsx"))
        self.record_button = _button("登记慰问结果…", "record")
        self.record_button.clicked.connect(self.record_selected)
        self.record_all_button = _button("全部按计划登记…", "record_all")
        self.record_all_button.clicked.connect(self.record_all)
        self.compare_button = _button("与上次比较…", "compare")
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
        self.empty_label.setObjectName("empty")
        self.empty_label.setStyleSheet(style.hint_style())
        layout.addWidget(self.empty_label)

    # --- what changed -----------------------------------------------------------------------------
    def _data_changed(self, changes: Changes) -> None:
        """The road says what changed: the lists (or who on them is on the register) read again now if
        shown, else when next shown."""
        if changes & CONCERNS:
            self._stale = True
            if self.isVisible():
                self.refresh()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self._stale:
            self.refresh()

    # The main window of this step still calls these two; road.changed alone tells the tab once it no longer does.
    def mark_stale(self) -> None:
        self._data_changed(Changes.REGISTER)

    def set_database(self, _db: object) -> None:
        self._data_changed(Changes.ALL)

    # --- reading ----------------------------------------------------------------------------------
    def campaign_id(self) -> int | None:
        data = self.campaign_box.currentData()
        return int(data) if data is not None else None

    @property
    def campaign(self) -> visits.CampaignView | None:
        return self.page.campaign if self.page is not None else None

    def refresh(self, select: int | None = None) -> None:
        """Read the campaigns and the chosen one's page again, keeping (or moving to) the chosen one."""
        self._stale = False
        self.page = self.road.read(visits.campaign_page, select if select is not None else self.campaign_id())
        self._show(self.page)

    def _show(self, page: visits.CampaignPage) -> None:
        c = page.campaign
        self.campaign_box.blockSignals(True)
        self.campaign_box.clear()
        for choice in page.campaigns:
            self.campaign_box.addItem(choice.name, choice.id)
        self.campaign_box.setCurrentIndex(self.campaign_box.findData(c.id) if c else -1)
        self.campaign_box.blockSignals(False)
        self.empty_label.setVisible(c is None)
        for w in (self.edit_button, self.criteria, self.add_button, self.remove_button, self.print_button,
                  self.xlsx_button, self.record_button, self.record_all_button, self.compare_button, self.village_box):
            w.setEnabled(c is not None)
        if c is None:
            self.info_label.setText("")
            self.model.set_lines([])
            self._show_totals(None)
            self._show_warnings(page)
            return
        self.criteria.set_villages(list(page.villages))
        self.criteria.set_criteria(c.criteria)
        per = f"每户{yuan_text(c.standard_fen)}元" if c.standard_fen else ""
        goods = f"物品：{c.goods}" if c.goods else ""
        leader = f"带队：{c.leader}" if c.leader else ""
        self.info_label.setText("　".join(t for t in (
            f"{c.festival}　{c.date.isoformat()}", f"预算{yuan_text(c.budget_fen)}元", per, goods, leader) if t))
        current = self.village_box.currentText()
        self.village_box.clear()
        self.village_box.addItem(ALL_VILLAGES, None)
        self.village_box.addItem(EACH_VILLAGE, None)
        for vid, name in page.roster_villages:
            self.village_box.addItem(name, vid)
        self.village_box.setCurrentText(current if current else ALL_VILLAGES)
        self.model.set_lines(list(page.lines))
        self._show_totals(page.totals)
        self._show_warnings(page)

    def _show_totals(self, totals: CampaignTotals | None) -> None:
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

    def _show_warnings(self, page: visits.CampaignPage) -> None:
        flagged = page.flagged
        if flagged:
            who = "；".join("、".join(v.warnings) for v in flagged[:4]) + ("……" if len(flagged) > 4 else "")
            self.warning_label.setText(f"提醒：名单生成后，{len(flagged)} 户中有残疾人已去世或迁出（{who}）。"
                                       "打印时只印在册的人；无人在册的户不会印在签字表上。")
        self.warning_label.setVisible(bool(flagged))
        self.departed_button.setVisible(bool(page.nobody_left))

    def _filter(self, index: int) -> None:
        self.model.set_filter(index)
        self.shown_label.setText(f"共 {self.model.rowCount()} 户")

    def selected_line_ids(self) -> list[int]:
        return [view.id for view in self._selected()]

    def _selected(self) -> list[LineView]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [view for row in rows if (view := self.model.line(row)) is not None]

    def _open(self, row: int) -> None:
        view = self.model.line(row)
        if view is not None and view.persons:
            self.open_person.emit(view.persons[0].id)

    # --- actions ----------------------------------------------------------------------------------
    def new_campaign(self) -> None:
        dialog = CampaignDialog(self.road, None, self)
        dialog.saved.connect(self._campaign_made)
        dialog.open()

    def _campaign_made(self, campaign_id: int) -> None:
        self.refresh(select=campaign_id)
        self.propose()

    def edit_campaign(self) -> None:
        if self.campaign is not None:
            CampaignDialog(self.road, self.campaign, self).open()

    def propose(self) -> Task[ProposalResult] | None:
        """按条件生成名单: save the criteria with the campaign and draw the list again (hand edits kept); it
        reads the whole register, so it runs off the window's thread."""
        cid = self.campaign_id()
        if cid is None:
            return None
        return self.road.run(self, "按条件生成名单", visits.draw_list, cid, self.criteria.criteria(),
                             on_done=self._drawn)

    def _drawn(self, result: ProposalResult) -> None:
        text = f"按条件列入 {result.included} 户"
        if result.over_budget:
            text += f"，另有 {result.over_budget} 户符合条件但超出预算（见“未列入的”）"
        tell(self, text + "。")

    def ask_remove(self) -> None:
        chosen = self._selected()
        if not chosen:
            tell(self, "请先在名单中选中要移出的户。")
            return
        ReasonDialog(self.road, [v.id for v in chosen], "、".join(v.head for v in chosen), self).open()

    def remove_departed(self) -> Task[int] | None:
        cid = self.campaign_id()
        if cid is None:
            return None
        return self.road.run(self, "移出已去世或迁出的户", visits.remove_departed, cid, on_done=lambda count: tell(
            self, f"已把 {count} 户移出名单，原因记为残疾人去世或迁出。"))

    def add_household(self) -> None:
        if self.campaign is not None:
            AddHouseholdDialog(self.road, self.campaign, self).open()

    def record_selected(self) -> None:
        ids = self.selected_line_ids()
        if self.campaign is None or not ids:
            tell(self, "请先在名单中选中已走访的户（可多选）。")
            return
        RecordDialog(self.road, self.campaign, ids, self).open()

    def record_all(self) -> None:
        if self.campaign is None:
            return
        dialog = RecordDialog(self.road, self.campaign, None, self)
        dialog.recorded.connect(lambda count: tell(self, f"已登记 {count} 户为已慰问。"))
        dialog.open()

    def compare(self) -> None:
        cid = self.campaign_id()
        if cid is not None:
            CompareDialog(self.road, cid, self).open()

    def roster_name(self) -> str:
        village = self.village_box.currentText()
        stem = f"{self.campaign_box.currentText()}花名册" + (
            "" if village in ("", ALL_VILLAGES, EACH_VILLAGE) else f"-{village}")
        return f"{stem}-{dt.date.today():%Y%m%d}"

    def print_roster(self, suffix: str = ".pdf") -> Task[Path] | None:
        """The roster (all villages, the chosen one, or each in a file of its own) written in the background,
        then previewed for printing (.pdf: each village's pages start a page of their own) or exported where
        the clerk says (.xlsx)."""
        if self.campaign is None:
            return None
        name = self.campaign.name
        if self.village_box.currentText() == EACH_VILLAGE:
            chosen = [(int(self.village_box.itemData(i)), self.village_box.itemText(i))
                      for i in range(self.village_box.count()) if self.village_box.itemData(i) is not None]
            if suffix == ".xlsx":
                return export_folder(self, self.road, "导出慰问花名册", self.roster_name(),
                                     visits.write_village_rosters, name, chosen, suffix=suffix)
            return self.road.run(self, "打印慰问花名册", visits.write_village_rosters, name, chosen,
                                 printout_path(self.roster_name(), ""), suffix,
                                 on_done=lambda folder: show_printout(self, f"{name}花名册（各村）",
                                                                      list(folder.iterdir())))
        village = self.village_box.currentData()
        if suffix == ".xlsx":
            return export_file(self, self.road, "导出慰问花名册", self.roster_name() + suffix, visits.write_roster,
                               name, village, said="慰问花名册已导出")
        return self.road.run(self, "打印慰问花名册", visits.write_roster, name, village,
                             printout_path(self.roster_name()),
                             on_done=lambda written: show_printout(self, f"{name}花名册", written))

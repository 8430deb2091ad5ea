"""The 节日慰问 tab's dialogs: a new (or changed) campaign, taking households off the list with a reason,
adding a household by hand, recording what was given, and the comparison with the last campaign.

Each dialog does its work in save(): one named action of app.services.visits through the road, a
refusal shown under its fields in the clerk's words, so nothing half-done is left. Work that reads the
whole register or every line (a changed campaign redraws its list; 全部按计划登记) runs off the window's
thread: save() starts it and the dialog closes when it is done, or stays open after a refusal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain import festivals
from app.domain.money import yuan_plain, yuan_text
from app.errors import CanlianError
from app.services import visits
from app.services.visits.campaigns import amounts, festival_day
from app.services.visits.recording import check_day
from ui import style
from ui.refusal import focus_refused
from ui.road import Road
from ui.screen import ScreenDialog

_OK = QDialogButtonBox.StandardButton.Ok
_CANCEL = QDialogButtonBox.StandardButton.Cancel


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(edit: QDateEdit) -> dt.date:
    d = edit.date()
    return dt.date(d.year(), d.month(), d.day())


def _date_edit(day: dt.date, name: str) -> QDateEdit:
    edit = QDateEdit(_qdate(day))
    edit.setObjectName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def _line_edit(name: str, text: str = "", hint: str = "") -> QLineEdit:
    edit = QLineEdit(text)
    edit.setObjectName(name)
    edit.setPlaceholderText(hint)
    return edit


class _Form(ScreenDialog):
    """A form with 确定/取消 and a red line for what went wrong; subclasses implement save() -> bool
    (True: done, close; False: refused, or long work started that closes the dialog when done)."""

    def __init__(self, road: Road, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.road = road
        self.busy = False
        self.setWindowTitle(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.form = QFormLayout()
        self.error_label = QLabel()
        self.error_label.setObjectName("error")
        self.error_label.setStyleSheet(style.error_style())
        self.error_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(_OK | _CANCEL)
        self.ok_button = self.buttons.button(_OK)
        self.ok_button.setText("确定")
        self.ok_button.setObjectName("ok")
        self.buttons.button(_CANCEL).setText("取消")
        self.buttons.button(_CANCEL).setObjectName("cancel")
        self.buttons.accepted.connect(self._ok)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

    def _ok(self) -> None:
        if self.save():
            self.accept()

    def save(self) -> bool:
        raise NotImplementedError

    def fail(self, exc: CanlianError) -> bool:
        self.error_label.setText(str(exc))
        focus_refused(self, exc)
        return False

    def _running(self, busy: bool) -> None:
        """While long work runs, 确定 cannot start it twice and 取消 (or Esc) cannot close the dialog under it."""
        self.busy = busy
        self.buttons.setEnabled(not busy)

    def reject(self) -> None:
        if not self.busy:
            super().reject()


class CampaignDialog(_Form):
    """新建慰问 (campaign None) or 修改 an existing one. The date follows the festival and year.
    saved(id), once it has closed, says which campaign was made or changed."""

    saved = Signal(int)

    def __init__(self, road: Road, campaign: visits.CampaignView | None, parent: QWidget | None = None) -> None:
        super().__init__(road, "修改慰问" if campaign else "新建慰问", parent)
        self.campaign = campaign
        self.saved_id: int | None = None
        self.festival_box = QComboBox()
        self.festival_box.setObjectName("festival")
        self.festival_box.addItems(list(festivals.FESTIVALS))
        self.year_spin = QSpinBox()
        self.year_spin.setObjectName("year")
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setValue(dt.date.today().year + (1 if dt.date.today().month >= 3 else 0))
        self.date_label = QLabel()
        self.date_label.setObjectName("festival_date")
        self.date_edit = _date_edit(dt.date.today(), "date")
        self.name_edit = _line_edit("name")
        self.budget_edit = _line_edit("budget", "8000")
        self.standard_edit = _line_edit("standard", "300")
        self.goods_edit = _line_edit("goods", hint="如：米、面、油各一份（可不填）")
        self.leader_edit = _line_edit("leader", hint="带队的镇领导")
        self.note_edit = _line_edit("note")
        for label, widget in (("节日", self.festival_box), ("年份", self.year_spin), ("日期", self.date_label),
                              ("慰问日期", self.date_edit), ("名称", self.name_edit), ("预算（元）", self.budget_edit),
                              ("每户金额（元）", self.standard_edit), ("慰问物品", self.goods_edit),
                              ("带队领导", self.leader_edit), ("备注", self.note_edit)):
            self.form.addRow(label, widget)
        self.festival_box.currentIndexChanged.connect(lambda _i: self._follow())
        self.year_spin.valueChanged.connect(lambda _v: self._follow())
        if campaign is not None:
            self._load(campaign)
        self._follow()
        self.setMinimumWidth(460)

    def _load(self, c: visits.CampaignView) -> None:
        self.festival_box.setCurrentText(c.festival)
        self.year_spin.setValue(c.date.year)
        self.date_edit.setDate(_qdate(c.date))
        self.name_edit.setText(c.name)
        self.budget_edit.setText(yuan_plain(c.budget_fen))
        self.standard_edit.setText(yuan_plain(c.standard_fen))
        self.goods_edit.setText(c.goods)
        self.leader_edit.setText(c.leader)
        self.note_edit.setText(c.note)
        for widget in (self.festival_box, self.year_spin, self.date_edit, self.name_edit):
            widget.setEnabled(False)

    def _follow(self) -> None:
        """The festival's date is computed and shown; only 其他 takes a typed date."""
        festival, year = self.festival_box.currentText(), self.year_spin.value()
        other = festival == festivals.OTHER
        self.date_edit.setVisible(other)
        self.form.labelForField(self.date_edit).setVisible(other)
        if other:
            self.date_label.setText("请在下面填写慰问日期")
        else:
            try:
                self.date_label.setText(festival_day(festival, year).isoformat() + "（按节日自动算出）")
            except CanlianError as exc:
                self.date_label.setText(str(exc))
        if self.campaign is None:
            self.name_edit.setText(festivals.campaign_name(festival, year))

    def save(self) -> bool:
        budget, standard, goods = self.budget_edit.text(), self.standard_edit.text(), self.goods_edit.text()
        leader, note = self.leader_edit.text(), self.note_edit.text()
        try:
            if self.campaign is None:
                festival = self.festival_box.currentText()
                self.saved_id = self.road.write(
                    visits.new_campaign, festival=festival, year=self.year_spin.value(),
                    on=_pydate(self.date_edit) if festival == festivals.OTHER else None, name=self.name_edit.text(),
                    budget=budget, standard=standard, goods=goods, leader=leader, note=note)
                return True
            amounts(budget, standard, goods)  # told here, under the fields, before the long work
        except CanlianError as exc:
            return self.fail(exc)
        self.error_label.clear()
        self._running(True)
        self.road.run(self, "修改慰问", visits.change_campaign, self.campaign.id, budget=budget, standard=standard,
                      goods=goods, leader=leader, note=note, on_done=lambda _none: self._changed(),
                      on_error=lambda _exc: self._running(False))
        return False

    def _changed(self) -> None:
        assert self.campaign is not None
        self.saved_id = self.campaign.id
        self.accept()

    def accept(self) -> None:
        """Closed first, then told: what the tab does next (drawing a new list) starts over the window."""
        super().accept()
        if self.saved_id is not None:
            self.saved.emit(self.saved_id)


class ReasonDialog(_Form):
    """移出名单: the chosen households off the list, with the reason kept on each line."""

    def __init__(self, road: Road, line_ids: Sequence[int], names: str, parent: QWidget | None = None) -> None:
        super().__init__(road, "移出名单", parent)
        self.line_ids = list(line_ids)
        self.form.addRow(QLabel(f"把 {names} 移出本次慰问名单。"))
        self.reason_edit = _line_edit("reason", hint="如：已由县残联另行慰问、长期外出")
        self.form.addRow("原因", self.reason_edit)
        self.setMinimumWidth(420)

    def save(self) -> bool:
        try:
            self.road.write(visits.remove_lines, self.line_ids, self.reason_edit.text())
        except CanlianError as exc:
            return self.fail(exc)
        return True


class AddHouseholdDialog(_Form):
    """加入一户: find a person on the register by name, pinyin or ID digits; their household goes on the list."""

    def __init__(self, road: Road, campaign: visits.CampaignView, parent: QWidget | None = None) -> None:
        super().__init__(road, "加入一户", parent)
        self.campaign_id = campaign.id
        self.search_edit = _line_edit("search", hint="姓名、拼音首字母或身份证号")
        self.search_edit.textChanged.connect(lambda _t: self.look_up())
        self.results = QListWidget()
        self.results.setObjectName("results")
        self.reason_edit = _line_edit("reason", hint="如：因病致贫，村委会推荐")
        self.amount_edit = _line_edit("amount", yuan_plain(campaign.standard_fen))
        self.form.addRow("查找", self.search_edit)
        self.form.addRow("在册人员", self.results)
        self.form.addRow("加入原因", self.reason_edit)
        self.form.addRow("金额（元）", self.amount_edit)
        self.setMinimumWidth(480)

    def look_up(self) -> None:
        """The persons on the register the typed name, initials or ID digits find."""
        self.results.clear()
        for person in self.road.read(visits.find_persons, self.search_edit.text()):
            item = QListWidgetItem(f"{person.name}　{person.village}{person.group}　{person.sex}")
            item.setData(Qt.ItemDataRole.UserRole, person.id)
            self.results.addItem(item)
        if self.results.count():
            self.results.setCurrentRow(0)

    def save(self) -> bool:
        item = self.results.currentItem()
        if item is None:
            self.error_label.setText("请先查找并选中要加入的人。")
            return False
        try:
            self.road.write(visits.add_household, self.campaign_id, int(item.data(Qt.ItemDataRole.UserRole)),
                            self.reason_edit.text(), self.amount_edit.text())
        except CanlianError as exc:
            return self.fail(exc)
        return True


class RecordDialog(_Form):
    """登记慰问结果 for the chosen lines, or (line_ids None) for every line not yet recorded, as planned.
    recorded(n), once it has closed, says how many households were recorded."""

    recorded = Signal(int)

    def __init__(self, road: Road, campaign: visits.CampaignView, line_ids: Sequence[int] | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(road, "登记慰问结果" if line_ids else "全部按计划登记", parent)
        self.campaign_id = campaign.id
        self.line_ids = list(line_ids) if line_ids else None
        self.count: int | None = None
        self.visited_radio = QRadioButton("已慰问")
        self.visited_radio.setObjectName("visited")
        self.visited_radio.setChecked(True)
        self.not_found_radio = QRadioButton("未找到（不在家、外出）")
        self.not_found_radio.setObjectName("not_found")
        self.date_edit = _date_edit(min(campaign.date, dt.date.today()), "date")
        self.given_edit = _line_edit("given", hint=f"不填即按计划金额 {yuan_text(campaign.standard_fen)}")
        self.goods_edit = _line_edit("given_goods", hint="不填即按计划物品")
        self.visitor_edit = _line_edit("visitor", campaign.leader)
        self.signed_box = QCheckBox("本人或家属已签字（按手印）")
        self.signed_box.setObjectName("signed")
        self.signed_box.setChecked(True)
        if self.line_ids:
            self.form.addRow(QLabel(f"共选中 {len(self.line_ids)} 户。"))
            self.form.addRow("结果", self.visited_radio)
            self.form.addRow("", self.not_found_radio)
        else:
            self.form.addRow(QLabel("名单中尚未登记结果的各户，都按计划金额和物品登记为已慰问、已签字。"))
        self.form.addRow("慰问日期", self.date_edit)
        if self.line_ids:
            self.form.addRow("实发金额（元）", self.given_edit)
            self.form.addRow("实发物品", self.goods_edit)
        self.form.addRow("慰问人", self.visitor_edit)
        if self.line_ids:
            self.form.addRow("", self.signed_box)
        self.setMinimumWidth(440)

    def save(self) -> bool:
        on, visitor = _pydate(self.date_edit), self.visitor_edit.text()
        try:
            if self.line_ids:
                self.count = self.road.write(
                    visits.record_lines, self.line_ids, on=on, found=not self.not_found_radio.isChecked(),
                    given=self.given_edit.text(), given_goods=self.goods_edit.text(), visitor=visitor,
                    signed=self.signed_box.isChecked())
                return True
            check_day(on)  # told here, before the long work
        except CanlianError as exc:
            return self.fail(exc)
        self.error_label.clear()
        self._running(True)
        self.road.run(self, "全部按计划登记", visits.record_all, self.campaign_id, on=on, visitor=visitor,
                      on_done=self._all_recorded, on_error=lambda _exc: self._running(False))
        return False

    def _all_recorded(self, count: int) -> None:
        self.count = count
        self.accept()

    def accept(self) -> None:
        super().accept()
        if self.count is not None:
            self.recorded.emit(self.count)


class CompareDialog(ScreenDialog):
    """与上次比较: who is new on this list and who dropped off since the last campaign, and why."""

    def __init__(self, road: Road, campaign_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("与上次慰问比较")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        c = self.comparison = road.read(visits.comparison, campaign_id)
        heading = (f"{c.campaign} 与 {c.previous} 比较：两次都在 {c.kept} 户，新增 {len(c.new)} 户，"
                   f"去掉 {len(c.dropped)} 户。" if c.previous
                   else f"{c.campaign} 之前没有慰问记录，名单中的各户都是第一次。")
        self.heading = QLabel(heading)
        self.heading.setObjectName("heading")
        self.heading.setWordWrap(True)
        self.new_list = QListWidget()
        self.new_list.setObjectName("new")
        self.new_list.addItems([f"{x.village}　{x.names}：{x.why}" for x in c.new])
        self.dropped_list = QListWidget()
        self.dropped_list.setObjectName("dropped")
        self.dropped_list.addItems([f"{x.village}　{x.names}：{x.why}" for x in c.dropped])
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        close.button(QDialogButtonBox.StandardButton.Close).setObjectName("close")
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(QLabel(f"新增（{len(c.new)}户）及列入理由"))
        layout.addWidget(self.new_list)
        layout.addWidget(QLabel(f"去掉（{len(c.dropped)}户）及原因"))
        layout.addWidget(self.dropped_list)
        layout.addWidget(close)
        self.resize(620, 520)

"""The 节日慰问 tab's dialogs: a new (or changed) campaign, a reason for taking a household off, adding a
household by hand, recording what was given, and the comparison with the last campaign.

Each dialog does its work in save() (one transaction through app.services.visits) and shows a refusal
under its fields in the clerk's words, so nothing half-done is left and tests can drive it without exec().
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QListWidget,
    QListWidgetItem, QRadioButton, QSpinBox, QVBoxLayout, QWidget,
)

from app.db.engine import Database
from app.domain import festivals
from app.domain.money import yuan, yuan_text
from app.domain.words import PersonStatus
from app.errors import CanlianError
from app.services.register import search
from app.services.register.search import PersonFilter
from app.services.visits import campaigns, lines, recording
from app.services.visits.history import compare_with_previous
from ui import style


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(edit: QDateEdit) -> dt.date:
    d = edit.date()
    return dt.date(d.year(), d.month(), d.day())


class _Form(QDialog):
    """A form with OK/Cancel and a red line for what went wrong; subclasses implement save() -> bool."""

    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.error_label = QLabel()
        self.error_label.setObjectName("error")
        self.error_label.setStyleSheet(style.error_style())
        self.error_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
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
        return False


class CampaignDialog(_Form):
    """新建慰问 (campaign_id None) or 修改 an existing one. The date follows the festival and year."""

    def __init__(self, db: Database, campaign_id: int | None, parent: QWidget | None = None) -> None:
        super().__init__("修改慰问" if campaign_id else "新建慰问", parent)
        self.db = db
        self.campaign_id = campaign_id
        self.saved_id: int | None = None
        self.festival_box = QComboBox()
        self.festival_box.addItems(list(festivals.FESTIVALS))
        self.year_spin = QSpinBox()
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setValue(dt.date.today().year + (1 if dt.date.today().month >= 3 else 0))
        self.date_label = QLabel()
        self.date_edit = QDateEdit(_qdate(dt.date.today()))
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.name_edit = QLineEdit()
        self.budget_edit = QLineEdit("8000")
        self.standard_edit = QLineEdit("300")
        self.goods_edit = QLineEdit()
        self.goods_edit.setPlaceholderText("如：米、面、油各一份（可不填）")
        self.leader_edit = QLineEdit()
        self.leader_edit.setPlaceholderText("带队的镇领导")
        self.note_edit = QLineEdit()
        for label, widget in (("节日", self.festival_box), ("年份", self.year_spin), ("日期", self.date_label),
                              ("慰问日期", self.date_edit), ("名称", self.name_edit), ("预算（元）", self.budget_edit),
                              ("每户金额（元）", self.standard_edit), ("慰问物品", self.goods_edit),
                              ("带队领导", self.leader_edit), ("备注", self.note_edit)):
            self.form.addRow(label, widget)
        self.festival_box.currentIndexChanged.connect(lambda _i: self._follow())
        self.year_spin.valueChanged.connect(lambda _v: self._follow())
        if campaign_id is not None:
            self._load(campaign_id)
        self._follow()
        self.setMinimumWidth(460)

    def _load(self, campaign_id: int) -> None:
        with self.db.session() as session:
            c = campaigns.get_campaign(session, campaign_id)
            self.festival_box.setCurrentText(c.festival)
            self.year_spin.setValue(c.date.year)
            self.date_edit.setDate(_qdate(c.date))
            self.name_edit.setText(c.name)
            self.budget_edit.setText(f"{yuan(c.budget_fen):f}")
            self.standard_edit.setText(f"{yuan(c.standard_fen):f}")
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
                self.date_label.setText(campaigns.festival_day(festival, year).isoformat() + "（按节日自动算出）")
            except CanlianError as exc:
                self.date_label.setText(str(exc))
        if self.campaign_id is None:
            self.name_edit.setText(festivals.campaign_name(festival, year))

    def save(self) -> bool:
        try:
            with self.db.transaction() as session:
                if self.campaign_id is None:
                    campaign = campaigns.create_campaign(
                        session, festival=self.festival_box.currentText(), year=self.year_spin.value(),
                        on=_pydate(self.date_edit) if self.festival_box.currentText() == festivals.OTHER else None,
                        name=self.name_edit.text(), budget=self.budget_edit.text(),
                        standard=self.standard_edit.text(), goods=self.goods_edit.text(),
                        leader=self.leader_edit.text(), note=self.note_edit.text())
                else:
                    campaign = campaigns.get_campaign(session, self.campaign_id)
                    campaigns.update_campaign(session, campaign, budget=self.budget_edit.text(),
                                           standard=self.standard_edit.text(), goods=self.goods_edit.text(),
                                           leader=self.leader_edit.text(), note=self.note_edit.text())
                self.saved_id = campaign.id
        except CanlianError as exc:
            return self.fail(exc)
        return True


class ReasonDialog(_Form):
    """Asks why a household is taken off the list (the reason is kept with the line)."""

    def __init__(self, names: str, parent: QWidget | None = None) -> None:
        super().__init__("移出名单", parent)
        self.form.addRow(QLabel(f"把 {names} 移出本次慰问名单。"))
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText("如：已由县残联另行慰问、长期外出")
        self.form.addRow("原因", self.reason_edit)
        self.setMinimumWidth(420)

    @property
    def reason(self) -> str:
        return self.reason_edit.text().strip()

    def save(self) -> bool:
        if not self.reason:
            self.error_label.setText("请写明移出名单的原因。")
            return False
        return True


class AddHouseholdDialog(_Form):
    """加入一户: find a person on the register by name, pinyin or ID digits; their household goes on the list."""

    def __init__(self, db: Database, campaign_id: int, parent: QWidget | None = None) -> None:
        super().__init__("加入一户", parent)
        self.db = db
        self.campaign_id = campaign_id
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("姓名、拼音首字母或身份证号")
        self.search_edit.textChanged.connect(lambda _t: self.find())
        self.results = QListWidget()
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText("如：因病致贫，村委会推荐")
        self.amount_edit = QLineEdit()
        self.form.addRow("查找", self.search_edit)
        self.form.addRow("在册人员", self.results)
        self.form.addRow("加入原因", self.reason_edit)
        self.form.addRow("金额（元）", self.amount_edit)
        with db.session() as session:
            self.amount_edit.setText(f"{yuan(campaigns.get_campaign(session, campaign_id).standard_fen):f}")
        self.setMinimumWidth(480)

    def find(self) -> None:
        self.results.clear()
        text = self.search_edit.text().strip()
        if not text:
            return
        with self.db.session() as session:
            rows = search.search(session, text, limit=30, flt=PersonFilter(status=PersonStatus.ON_REGISTER))
        for row in rows:
            item = QListWidgetItem(f"{row.name}　{row.village}{row.group}　{row.sex}")
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            self.results.addItem(item)
        if self.results.count():
            self.results.setCurrentRow(0)

    def save(self) -> bool:
        item = self.results.currentItem()
        if item is None:
            self.error_label.setText("请先查找并选中要加入的人。")
            return False
        try:
            with self.db.transaction() as session:
                household = lines.household_of(session, int(item.data(Qt.ItemDataRole.UserRole)))
                campaign = campaigns.get_campaign(session, self.campaign_id)
                lines.add_household(session, campaign, household, self.reason_edit.text(), self.amount_edit.text())
        except CanlianError as exc:
            return self.fail(exc)
        return True


class RecordDialog(_Form):
    """登记慰问结果 for the chosen lines, or (line_ids None) for every line not yet recorded, as planned."""

    def __init__(self, db: Database, campaign_id: int, line_ids: list[int] | None,
                 parent: QWidget | None = None) -> None:
        super().__init__("登记慰问结果" if line_ids else "全部按计划登记", parent)
        self.db = db
        self.campaign_id = campaign_id
        self.line_ids = line_ids
        self.recorded = 0
        with db.session() as session:
            campaign = campaigns.get_campaign(session, campaign_id)
            day, leader = min(campaign.date, dt.date.today()), campaign.leader
            planned = yuan_text(campaign.standard_fen)
        self.visited_radio = QRadioButton("已慰问")
        self.visited_radio.setChecked(True)
        self.not_found_radio = QRadioButton("未找到（不在家、外出）")
        self.date_edit = QDateEdit(_qdate(day))
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.given_edit = QLineEdit()
        self.given_edit.setPlaceholderText(f"不填即按计划金额 {planned}")
        self.goods_edit = QLineEdit()
        self.goods_edit.setPlaceholderText("不填即按计划物品")
        self.visitor_edit = QLineEdit(leader)
        self.signed_box = QCheckBox("本人或家属已签字（按手印）")
        self.signed_box.setChecked(True)
        if line_ids:
            self.form.addRow(QLabel(f"共选中 {len(line_ids)} 户。"))
            self.form.addRow("结果", self.visited_radio)
            self.form.addRow("", self.not_found_radio)
        else:
            self.form.addRow(QLabel("名单中尚未登记结果的各户，都按计划金额和物品登记为已慰问、已签字。"))
        self.form.addRow("慰问日期", self.date_edit)
        if line_ids:
            self.form.addRow("实发金额（元）", self.given_edit)
            self.form.addRow("实发物品", self.goods_edit)
        self.form.addRow("慰问人", self.visitor_edit)
        if line_ids:
            self.form.addRow("", self.signed_box)
        self.setMinimumWidth(440)

    def save(self) -> bool:
        on = _pydate(self.date_edit)
        try:
            with self.db.transaction() as session:
                if self.line_ids is None:
                    campaign = campaigns.get_campaign(session, self.campaign_id)
                    self.recorded = recording.record_all(session, campaign, on=on, visitor=self.visitor_edit.text())
                    return True
                for line_id in self.line_ids:
                    if self.not_found_radio.isChecked():
                        recording.record_not_found(session, line_id, on=on, visitor=self.visitor_edit.text())
                    else:
                        recording.record_visit(session, line_id, on=on, given=self.given_edit.text().strip() or None,
                                            given_goods=self.goods_edit.text().strip() or None,
                                            visitor=self.visitor_edit.text(), signed=self.signed_box.isChecked())
                self.recorded = len(self.line_ids)
        except CanlianError as exc:
            return self.fail(exc)
        return True


class CompareDialog(QDialog):
    """与上次比较: who is new on this list and who dropped off since the last campaign, and why."""

    def __init__(self, db: Database, campaign_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("与上次慰问比较")
        with db.session() as session:
            campaign = campaigns.get_campaign(session, campaign_id)
            self.comparison = compare_with_previous(session, campaign)
            name = campaign.name
        c = self.comparison
        heading = (f"{name} 与 {c.previous} 比较：两次都在 {c.kept} 户，新增 {len(c.new)} 户，"
                   f"去掉 {len(c.dropped)} 户。" if c.previous else f"{name} 之前没有慰问记录，名单中的各户都是第一次。")
        self.heading = QLabel(heading)
        self.heading.setWordWrap(True)
        self.new_list = QListWidget()
        self.new_list.setObjectName("new")
        self.new_list.addItems([f"{x.village}　{x.names}：{x.why}" for x in c.new])
        self.dropped_list = QListWidget()
        self.dropped_list.setObjectName("dropped")
        self.dropped_list.addItems([f"{x.village}　{x.names}：{x.why}" for x in c.dropped])
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(QLabel(f"新增（{len(c.new)}户）及列入理由"))
        layout.addWidget(self.new_list)
        layout.addWidget(QLabel(f"去掉（{len(c.dropped)}户）及原因"))
        layout.addWidget(self.dropped_list)
        layout.addWidget(close)
        self.resize(620, 520)

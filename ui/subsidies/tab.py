"""The 补贴资格 tab: choose a month; review who starts and who stops (月度复核), look at one person's
programmes, explanation and application steps (个人补贴), keep the relief ledger (救助台账) and the money to
recover (追回台账); print the month's 两项补贴发放花名册 and confirm its payment (确认发放); set the policies
(政策设置).

Every rule is in app.services.subsidies; the tab reaches it only through the road. The month's review,
confirming a month, the bulk starts and stops and printing grow with the register: they run off the GUI
thread with progress (road.run). The tab reads again when the road says the subsidies or the register
changed (a death or a lost 低保 changes the review): at once when it is in sight, else when next shown."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.months import Month
from app.errors import CanlianError
from app.reports import ReportRequest
from app.reports.subsidy_roster import requested_month
from app.services.actions import Changes
from app.services.subsidies import payments, review
from app.services.subsidies.printouts import print_roster
from app.services.subsidies.review import Review, ReviewLine
from ui import style
from ui.printing import export_file, printout_path, show_printout, tell
from ui.road import Road
from ui.subsidies.overpayments import OverpaymentPage
from ui.subsidies.person_page import PersonPage, month_choices
from ui.subsidies.relief_ledger import LedgerPage
from ui.subsidies.review import ReviewPage
from ui.tasks import Task

CONCERNS = Changes.SUBSIDIES | Changes.REGISTER  # what the tab shows: payments, and who qualifies


class SubsidyTab(QWidget):
    """The 补贴资格 tab (main window: open_person)."""

    open_person = Signal(int)

    def __init__(self, road: Road, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.road = road
        self._stale = True
        road.changed.connect(self._data_changed)
        self.today = dt.date.today()
        heading = QLabel("<big><b>补贴资格</b></big>")
        self.month_box = QComboBox()
        self.month_box.setObjectName("month")
        for month in month_choices(Month.of(self.today), before=60, after=3):
            self.month_box.addItem(month.label, month)
        self.month_box.setCurrentIndex(3)  # this month
        self.month_box.currentIndexChanged.connect(lambda _i: self.refresh())
        self.review_button = QPushButton("重新复核")
        self.review_button.setObjectName("review_button")
        self.review_button.clicked.connect(self.run_review)
        self.confirm_button = QPushButton("确认本月发放…")
        self.confirm_button.setObjectName("confirm_button")
        self.confirm_button.clicked.connect(self.confirm_payments)
        self.print_button = QPushButton("打印发放花名册")
        self.print_button.setObjectName("print_button")
        self.print_button.clicked.connect(lambda: self.print_roster(".pdf"))
        self.excel_button = QPushButton("导出Excel")
        self.excel_button.setObjectName("excel_button")
        self.excel_button.clicked.connect(lambda: self.print_roster(".xlsx"))
        self.policy_button = QPushButton("政策设置…")
        self.policy_button.setObjectName("policy_button")
        self.policy_button.clicked.connect(self.edit_policies)
        top = QHBoxLayout()
        for widget in (heading, QLabel("月份："), self.month_box, self.review_button, self.confirm_button,
                       self.print_button, self.excel_button):
            top.addWidget(widget)
        top.addStretch(1)
        top.addWidget(self.policy_button)
        self.roster_label = QLabel()
        self.roster_label.setObjectName("roster_label")
        self.roster_label.setWordWrap(True)
        self.done_label = QLabel()
        self.done_label.setObjectName("done_label")
        self.done_label.setStyleSheet(style.hint_style())
        self.done_label.setVisible(False)  # shown once something was done
        self.review_page = ReviewPage()
        self.review_page.open_person.connect(self.show_person)
        self.review_page.start_requested.connect(self.confirm_starts)
        self.review_page.stop_requested.connect(self.confirm_stops)
        self.review_page.recover_requested.connect(self.show_overpayment)
        self.person_page = PersonPage(road)
        self.person_page.open_register.connect(self.open_person)
        self.ledger_page = LedgerPage(road)
        self.overpayment_page = OverpaymentPage(road)
        self.pages = QTabWidget()
        self.pages.setObjectName("pages")
        self.pages.addTab(self.review_page, "月度复核")
        self.pages.addTab(self.person_page, "个人补贴")
        self.pages.addTab(self.ledger_page, "救助台账")
        self.pages.addTab(self.overpayment_page, "追回台账")
        self.pages.currentChanged.connect(self._page_shown)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.roster_label)
        layout.addWidget(self.done_label)
        layout.addWidget(self.pages, 1)
        self.review: Review | None = None
        self.roster: payments.RosterState | None = None

    # --- keeping up with the data --------------------------------------------------------------
    def _data_changed(self, changes: Changes) -> None:
        if changes & CONCERNS:
            self.mark_stale()

    def mark_stale(self) -> None:
        """The data shown changed: read again now if the tab is in sight, else when it is next shown."""
        self._stale = True
        if self.isVisible():
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    # --- reading -------------------------------------------------------------------------------
    def month(self) -> Month:
        month: Month = self.month_box.currentData()
        return month

    def refresh(self) -> None:
        """The roster line for the month, the person shown and the ledger; then the review in the background."""
        self._stale = False
        self.show_roster_state()
        self.person_page.set_month(self.month())
        if self.pages.currentWidget() is self.ledger_page:
            self.ledger_page.refresh()
        if self.pages.currentWidget() is self.overpayment_page:
            self.overpayment_page.refresh()
        self.run_review()

    def _page_shown(self, _index: int) -> None:
        if self.pages.currentWidget() is self.ledger_page:
            self.ledger_page.refresh()  # read when shown: a county's year of entries is not read for nothing
        if self.pages.currentWidget() is self.overpayment_page:
            self.overpayment_page.refresh()

    def show_roster_state(self) -> None:
        self.roster = self.road.read(payments.roster_state, self.month())
        self.roster_label.setText(self.roster.text)
        self.confirm_button.setEnabled(self.roster.can_confirm)

    def run_review(self) -> Task[Review]:
        """The month's review in the background (run when the tab is shown, the month changes, or on 重新复核)."""
        month = self.month()
        self.review = None
        self.review_page.show_running(month.label)

        def done(found: Review) -> None:
            if found.month != self.month():
                return  # the clerk chose another month meanwhile: its own review follows
            self.review = found
            self.review_page.show_review(found)

        return self.road.run(self, "月度复核", review.monthly_review, month, on_done=done)

    # --- acting --------------------------------------------------------------------------------
    def say(self, text: str) -> None:
        """What was done: under the month line, and in the main window's status bar when there is one."""
        self.done_label.setText(text)
        self.done_label.setVisible(True)
        if isinstance(self.window(), QMainWindow):
            tell(self, text)

    def show_person(self, person_id: int) -> None:
        self.pages.setCurrentWidget(self.person_page)
        self.person_page.show_person(person_id)

    def show_overpayment(self, overpayment_id: int) -> None:
        self.pages.setCurrentWidget(self.overpayment_page)
        self.overpayment_page.select(overpayment_id)

    def confirm_payments(self) -> Task[int] | None:
        """确认本月发放…: asked once, then every line of the month is recorded in the background."""
        month = self.month()
        answer = QMessageBox.question(
            self, "确认发放", f"确认{month.label}按花名册发放？确认后本月的金额固定下来，以后修改标准也不会改变。")
        if answer != QMessageBox.StandardButton.Yes:
            return None
        return self.road.run(self, "确认发放", payments.confirm_month, month,
                             on_done=lambda added: self.say(f"{month.label}已确认发放{added}笔。"))

    def confirm_starts(self, lines: list[ReviewLine]) -> Task[tuple[int, int]] | None:
        if not lines:
            QMessageBox.information(self, "月度复核", "请先勾选要办理的人。")
            return None
        month = self.month()

        def done(result: tuple[int, int]) -> None:
            started, applied = result
            self.say(f"从{month.label}起开始发放{started}笔，登记新申请{applied}份（需逐级审批）。")

        return self.road.run(self, "月度复核", review.confirm_starts, lines, month, dt.date.today(), on_done=done)

    def confirm_stops(self, lines: list[ReviewLine]) -> Task[int] | None:
        if not lines:
            QMessageBox.information(self, "月度复核", "请先勾选要停发的人。")
            return None
        return self.road.run(self, "月度复核", review.confirm_stops, lines, dt.date.today(),
                             on_done=lambda stopped: self.say(f"已停发{stopped}笔，停发月份见各人的申请记录。"))

    def print_roster(self, suffix: str) -> Task[Path] | None:
        """The month's roster, previewed for printing (.pdf) or exported where the clerk says (.xlsx); a month
        not confirmed prints as a draft (草表), one too far ahead is refused."""
        month = self.month()
        try:
            requested_month(ReportRequest(kind="subsidy-roster", out=Path("x.pdf"), month=str(month)))
        except CanlianError as exc:
            QMessageBox.information(self, "打印发放花名册", str(exc))
            return None
        final = self.road.read(payments.roster_state, month).final
        stem = f"两项补贴发放花名册-{month}" + ("" if final else "-草表")
        if suffix == ".xlsx":
            return export_file(self, self.road, "导出发放花名册", stem + suffix, print_roster, month,
                               said="发放花名册已导出")
        return self.road.run(self, "打印发放花名册", print_roster, month, printout_path(stem),
                             on_done=lambda written: show_printout(self, "两项补贴发放花名册", written))

    def edit_policies(self) -> None:
        from ui.subsidies.policy_dialog import PolicyDialog

        PolicyDialog(self.road, self).exec()

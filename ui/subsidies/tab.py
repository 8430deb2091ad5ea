"""The 补贴资格 tab: choose a month; review who starts and who stops (月度复核), look at one person's
programmes, explanation and application steps (个人补贴), keep the relief ledger (救助台账) and the money to
recover (追回台账); print the month's 两项补贴发放花名册 and confirm its payment (确认发放); set the policies
(政策设置).

Every rule is in app.services (subsidies, subsidy_review, subsidy_payments, aid_ledger, policies); long
work (the review of a county, printing) runs through ui.tasks.run_task."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QLabel, QMainWindow, QMessageBox, QPushButton, QTabWidget, QVBoxLayout, QWidget,
)

from app.db.engine import Database
from app.domain.money import yuan_text
from app.domain.months import Month
from app.domain.words import Programme
from app.errors import CanlianError
from app.reports import ReportRequest, write_report
from app.reports.subsidy_roster import requested_month
from app.services.subsidies import payments, review
from app.services.subsidies.review import Review, ReviewLine
from ui import style
from ui.printing import free_path, open_in_viewer, print_folder, tell
from ui.road import Road
from ui.subsidies.overpayments import OverpaymentPage
from ui.subsidies.person_page import PersonPage, month_choices
from ui.subsidies.relief_ledger import LedgerPage
from ui.subsidies.review import ReviewPage
from ui.tasks import Progress, Task, run_task


def write_roster(db: Database, month: Month, path: Path) -> Path:
    """The month's 两项补贴发放花名册 as a PDF (or .xlsx)."""
    with db.session() as session:
        return write_report(session, ReportRequest(kind="subsidy-roster", out=path, month=str(month)))


class SubsidyTab(QWidget):
    """The 补贴资格 tab (main window: open_person, mark_stale, set_database)."""

    open_person = Signal(int)
    changed = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self._stale = True
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
        self.person_page = PersonPage(db)
        self.person_page.changed.connect(self.after_change)
        self.person_page.open_register.connect(self.open_person)
        self.ledger_page = LedgerPage(db)
        self.overpayment_page = OverpaymentPage(db)
        self.overpayment_page.changed.connect(self.after_change)
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

    # --- main window contract ------------------------------------------------------------------
    def mark_stale(self) -> None:
        self._stale = True
        if self.isVisible():
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def set_database(self, db: Database) -> None:
        self.db = db
        self.person_page.db = db
        self.person_page.picker.road = Road(db, self.person_page)  # the picker reads through a road
        self.ledger_page.db = db
        self.overpayment_page.db = db
        self.mark_stale()

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
        month = self.month()
        with self.db.session() as session:
            lines = payments.roster_lines(session, month)
            confirmed = payments.is_confirmed(session, month)
        totals = payments.month_totals(lines)
        parts = [f"{Programme(p).full_name}{n}人{yuan_text(fen)}元" for p, (n, fen) in totals.items()]
        total = sum(line.amount_fen for line in lines)
        state = "已确认发放" if confirmed and not any(not line.confirmed for line in lines) else (
            "部分已确认，有新增待确认" if confirmed else "尚未确认发放")
        self.roster_label.setText(f"{month.label}发放花名册（{state}）：" + "；".join(parts)
                                  + f"；合计{yuan_text(total)}元。")
        self.confirm_button.setEnabled(month <= Month.of(dt.date.today()) and any(not l.confirmed for l in lines))

    def run_review(self) -> Task[Review]:
        """The month's review in the background (run when the tab is shown, the month changes, or on 重新复核)."""
        month, db = self.month(), self.db
        self.review = None
        self.review_page.show_running(month.label)

        def work(_progress: Progress) -> Review:
            with db.session() as session:
                return review.monthly_review(session, month)

        def done(found: Review) -> None:
            if found.month != self.month():
                return  # the clerk chose another month meanwhile: its own review follows
            self.review = found
            self.review_page.show_review(found)

        return run_task(self, "月度复核", work, done)

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

    def after_change(self) -> None:
        self.show_roster_state()
        self.run_review()

    def confirm_payments(self) -> None:
        month = self.month()
        answer = QMessageBox.question(
            self, "确认发放", f"确认{month.label}按花名册发放？确认后本月的金额固定下来，以后修改标准也不会改变。")
        if answer == QMessageBox.StandardButton.Yes:
            self.confirm_month(month)

    def confirm_month(self, month: Month) -> int:
        with self.db.transaction("确认发放") as session:
            added = payments.confirm_month(session, month)
        self.say(f"{month.label}已确认发放{added}笔。")
        self.after_change()
        return added

    def confirm_starts(self, lines: list[ReviewLine]) -> tuple[int, int]:
        if not lines:
            QMessageBox.information(self, "月度复核", "请先勾选要办理的人。")
            return 0, 0
        with self.db.transaction("月度复核") as session:
            started, applied = review.confirm_starts(session, lines, self.month(), dt.date.today())
        self.say(f"从{self.month().label}起开始发放{started}笔，登记新申请{applied}份（需逐级审批）。")
        self.after_change()
        return started, applied

    def confirm_stops(self, lines: list[ReviewLine]) -> int:
        if not lines:
            QMessageBox.information(self, "月度复核", "请先勾选要停发的人。")
            return 0
        with self.db.transaction("月度复核") as session:
            stopped = review.confirm_stops(session, lines, dt.date.today())
        self.say(f"已停发{stopped}笔，停发月份见各人的申请记录。")
        self.after_change()
        return stopped

    def print_roster(self, suffix: str) -> Task[Path] | None:
        """The month's roster; a month not confirmed prints as a draft (草表), one too far ahead is refused."""
        month, db = self.month(), self.db
        try:
            requested_month(ReportRequest(kind="subsidy-roster", out=Path("x.pdf"), month=str(month)))
        except CanlianError as exc:
            QMessageBox.information(self, "打印发放花名册", str(exc))
            return None
        with db.session() as session:
            final = all(line.confirmed for line in payments.roster_lines(session, month)) and \
                payments.is_confirmed(session, month)
        path = free_path(print_folder(), f"两项补贴发放花名册-{month}" + ("" if final else "-草表"), suffix)

        def done(written: Path) -> None:
            if suffix == ".pdf":
                open_in_viewer(written)
            self.say(f"发放花名册已保存到 {written}")

        return run_task(self, "打印发放花名册", lambda _p: write_roster(db, month, path), done)

    def edit_policies(self) -> None:
        from ui.subsidies.policy_dialog import PolicyDialog

        PolicyDialog(self.db, self).exec()
        self.after_change()

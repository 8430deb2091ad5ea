"""The 补贴资格 screens and dialogs for `canlian gui --screenshots`: the month's review (each list, 应追回
among them), a person's programmes and steps, the ledger, the 追回台账; the policy settings, a step, a
ledger entry and a recovery."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QApplication, QDialog

from app.domain.words import PersonStatus
from ui.subsidies.person_page import STOP, StepDialog
from ui.subsidies.policy_dialog import PolicyDialog
from ui.subsidies.relief_ledger import ReliefDialog
from ui.subsidies.tab import SubsidyTab
from ui.tasks import wait_for_tasks

if TYPE_CHECKING:
    from ui.main_window import MainWindow


def _settle() -> None:
    wait_for_tasks()
    for _ in range(3):
        QApplication.processEvents()


def subsidy_screens(window: MainWindow, shoot: Callable[[], QPixmap]) -> list[tuple[str, QPixmap]]:
    """The tab's pages as shoot() draws the window on its screen."""
    tab = window.subsidy_tab
    window.tabs.setCurrentWidget(tab)
    _settle()
    shots = [("subsidy-review", shoot())]
    tab.review_page.lists.setCurrentIndex(2)
    _settle()
    shots.append(("subsidy-review-stopping", shoot()))
    tab.review_page.lists.setCurrentIndex(3)
    _settle()
    shots.append(("subsidy-review-recover", shoot()))
    tab.review_page.lists.setCurrentIndex(0)
    review = tab.review
    sample = next(iter(review.continuing if review else []), None)
    if sample is not None:
        tab.show_person(sample.person_id)
        _settle()
        shots.append(("subsidy-person", shoot()))
    tab.pages.setCurrentWidget(tab.ledger_page)
    _settle()
    shots.append(("subsidy-ledger", shoot()))
    tab.pages.setCurrentWidget(tab.overpayment_page)
    tab.overpayment_page.filter_box.setCurrentIndex(1)  # this year's, settled ones too
    tab.overpayment_page.table.selectRow(0)
    _settle()
    shots.append(("subsidy-overpayments", shoot()))
    tab.pages.setCurrentIndex(0)
    window.tabs.setCurrentIndex(0)
    _settle()
    return shots


def subsidy_dialogs(tab: SubsidyTab) -> list[tuple[str, Callable[[], QDialog | None]]]:
    def policy() -> QDialog:
        dialog = PolicyDialog(tab.road, tab)
        dialog.programme_box.setCurrentIndex(1)  # the nursing table
        return dialog

    def relief() -> QDialog:
        dialog = ReliefDialog(tab.road, tab)
        dialog.picker.search_edit.setText("王")
        dialog.note_edit.setText("因病致困")
        return dialog

    def stop() -> QDialog:
        dialog = StepDialog(STOP, "停发", tab.month().next(), tab)
        dialog.reason_box.setCurrentText("死亡")
        return dialog

    def other() -> QDialog | None:
        from ui.subsidies.other_allowances import OtherAllowancesDialog

        person_id = tab.person_page.picker.person_id()
        return OtherAllowancesDialog(tab.road, person_id, tab) if person_id is not None else None

    def recover() -> QDialog | None:
        from ui.subsidies.overpayments import RECOVER, SettleDialog

        page = tab.overpayment_page
        page.filter_box.setCurrentIndex(0)
        page.refresh()
        return SettleDialog(tab.road, page.rows[0], RECOVER, tab) if page.rows else None

    def paid(programme: str) -> int | None:
        review = tab.review
        return next((line.person_id for line in (review.continuing if review else [])
                     if line.programme == programme), None)

    def late_death() -> QDialog | None:
        """A death dated three months back for a person paid now: what the dialog says before saving."""
        from PySide6.QtCore import QDate

        from ui.register.status_dialog import StatusDialog

        person_id = paid("nursing")
        if person_id is None:
            return None
        dialog = StatusDialog(tab.road, person_id, tab)
        dialog.status_box.setCurrentIndex(dialog.status_box.findData(PersonStatus.DEAD))
        dialog.date_edit.setDate(QDate.currentDate().addMonths(-3))
        return dialog

    def dibao_ended() -> QDialog | None:
        """A household losing 低保 two months back, one of its members paid the living subsidy."""
        from PySide6.QtCore import QDate

        from ui.register.household import HouseholdDialog

        person_id = paid("living")
        if person_id is None:
            return None
        dialog = HouseholdDialog(tab.road, person_id, tab)
        dialog.dibao_check.setChecked(False)
        dialog.ended_edit.setDate(QDate.currentDate().addMonths(-2))
        return dialog

    return [("subsidy-policy", policy), ("subsidy-stop", stop), ("subsidy-aid", relief), ("subsidy-other", other),
            ("subsidy-recover", recover), ("status-late-death", late_death), ("household-dibao-ended", dibao_ended)]

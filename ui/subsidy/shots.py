"""The 补贴资格 screens and dialogs for `canlian gui --screenshots`: the month's review (each list), a
person's programmes and steps, the ledger; the policy settings, a step and a ledger entry."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QApplication, QDialog

from ui.subsidy.ledger import AidDialog
from ui.subsidy.person_page import STOP, StepDialog
from ui.subsidy.policy_dialog import PolicyDialog
from ui.subsidy.tab import SubsidyTab
from ui.tasks import wait_for_tasks

if TYPE_CHECKING:
    from ui.main_window import MainWindow


def _settle() -> None:
    wait_for_tasks()
    for _ in range(3):
        QApplication.processEvents()


def subsidy_screens(window: MainWindow) -> list[tuple[str, QPixmap]]:
    tab = window.subsidy_tab
    window.tabs.setCurrentWidget(tab)
    _settle()
    shots = [("subsidy-review", window.grab())]
    tab.review_page.lists.setCurrentIndex(2)
    _settle()
    shots.append(("subsidy-review-stopping", window.grab()))
    tab.review_page.lists.setCurrentIndex(0)
    review = tab.review
    sample = next(iter(review.continuing if review else []), None)
    if sample is not None:
        tab.show_person(sample.person_id)
        _settle()
        shots.append(("subsidy-person", window.grab()))
    tab.pages.setCurrentWidget(tab.ledger_page)
    _settle()
    shots.append(("subsidy-ledger", window.grab()))
    tab.pages.setCurrentIndex(0)
    window.tabs.setCurrentIndex(0)
    _settle()
    return shots


def subsidy_dialogs(tab: SubsidyTab) -> list[tuple[str, Callable[[], QDialog | None]]]:
    def policy() -> QDialog:
        dialog = PolicyDialog(tab.db, tab)
        dialog.programme_box.setCurrentIndex(1)  # the nursing table
        return dialog

    def aid() -> QDialog:
        dialog = AidDialog(tab.db, tab)
        dialog.picker.search_edit.setText("王")
        dialog.note_edit.setText("因病致困")
        return dialog

    def stop() -> QDialog:
        dialog = StepDialog(STOP, "停发", tab.month().next(), tab)
        dialog.reason_box.setCurrentText("死亡")
        return dialog

    def other() -> QDialog | None:
        from ui.subsidy.other_support import OtherSupportDialog

        person_id = tab.person_page.picker.person_id()
        return OtherSupportDialog(tab.db, person_id, tab) if person_id is not None else None

    return [("subsidy-policy", policy), ("subsidy-stop", stop), ("subsidy-aid", aid), ("subsidy-other", other)]

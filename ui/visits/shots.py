"""The 节日慰问 dialogs for `canlian gui --screenshots`, shown over the newest campaign as the clerk sees them."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog

from ui.visits.dialogs import AddHouseholdDialog, CampaignDialog, CompareDialog, ReasonDialog, RecordDialog
from ui.visits.tab import VisitsTab


def visit_dialogs(tab: VisitsTab) -> list[tuple[str, Callable[[], QDialog | None]]]:
    tab.refresh()
    road, campaign = tab.road, tab.campaign
    dialogs: list[tuple[str, Callable[[], QDialog | None]]] = [
        ("visit-campaign-new", lambda: CampaignDialog(road, None, tab)),
    ]
    if campaign is None:
        return dialogs
    first = tab.model.line(0)
    names = first.head if first is not None else ""
    line_ids = [first.id] if first is not None else []

    def add() -> QDialog:
        dialog = AddHouseholdDialog(road, campaign, tab)
        dialog.search_edit.setText("王")
        dialog.reason_edit.setText("村委会推荐：因病致贫")
        return dialog

    dialogs += [
        ("visit-campaign-edit", lambda: CampaignDialog(road, campaign, tab)),
        ("visit-remove", lambda: ReasonDialog(road, line_ids, names, tab)),
        ("visit-add", add),
        ("visit-record", lambda: RecordDialog(road, campaign, line_ids, tab)),
        ("visit-compare", lambda: CompareDialog(road, campaign.id, tab)),
    ]
    return dialogs

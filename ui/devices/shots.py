"""The 康复器材 dialogs for `canlian gui --screenshots`, filled in as the clerk would see them: a
wheelchair for a 一级肢体 person, and a hearing aid for a person with no hearing disability (the warning)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog

from app.domain.words import Movement, PersonStatus
from app.services.devices.history import returnable, type_history
from app.services.devices.recipients import recipient, someone_on_register
from ui.devices.catalogue_dialog import CatalogueDialog
from ui.devices.issue_dialog import IssueDialog
from ui.devices.stock_dialogs import ReceiveDialog, ReturnDialog, WriteOffDialog
from ui.devices.tab import DevicesTab


def _type_id(tab: DevicesTab, name: str) -> int | None:
    return next((s.device_type.id for s in tab.stock_model.rows if s.device_type.name == name), None)


def device_dialogs(tab: DevicesTab) -> list[tuple[str, Callable[[], QDialog | None]]]:
    tab.refresh()
    road = tab.road
    chair, hearing = _type_id(tab, "普通轮椅"), _type_id(tab, "助听器")
    grade_one, physical = road.read(someone_on_register, 4, 1), road.read(someone_on_register, 4, 3)

    def receive() -> QDialog:
        dialog = ReceiveDialog(road, tab, chair)
        dialog.quantity.setValue(5)
        dialog.serials.setPlainText("\n".join(f"LY2026-1{n:02d}" for n in range(1, 6)))
        return dialog

    def confirm() -> QDialog:
        dialog = IssueDialog(road, tab, person_id=grade_one, device_type_id=chair)
        return dialog.question(dialog.confirmation(), careful=bool(dialog.check and dialog.check.warnings))

    def write_off() -> QDialog:
        dialog = WriteOffDialog(road, tab, chair)
        dialog.reason.setText("车架断裂，无法修复")
        return dialog

    return [
        ("aids-issue", lambda: IssueDialog(road, tab, person_id=grade_one, device_type_id=chair)),
        ("aids-issue-confirm", confirm),
        ("aids-issue-warning", lambda: IssueDialog(road, tab, person_id=physical, device_type_id=hearing)),
        ("aids-receive", receive),
        ("aids-return", lambda: ReturnDialog(road, tab, _returnable_person(tab))),
        ("aids-write-off", write_off),
        ("aids-catalogue", lambda: CatalogueDialog(road, tab)),
        ("status-death-wheelchair", lambda: _death_of_a_holder(tab)),
    ]


def _death_of_a_holder(tab: DevicesTab) -> QDialog | None:
    """The status dialog at 死亡 for someone on the register holding a wheelchair: the note to take it back.
    The dialog is the register's, opened over the store the main window holds."""
    from ui.register.status_dialog import StatusDialog

    person = _returnable_person(tab, on_register=True)
    if person is None:
        return None
    dialog = StatusDialog(tab.window().road, person, tab)  # type: ignore[attr-defined]
    dialog.status_box.setCurrentIndex(dialog.status_box.findData(PersonStatus.DEAD))
    return dialog


def _returnable_person(tab: DevicesTab, on_register: bool = False) -> int | None:
    """Someone holding a wheelchair that could come back (and, with on_register, still 在册)."""
    road = tab.road
    for line in tab.stock_model.rows:
        if line.device_type.reusable:
            for h in road.read(type_history, line.device_type.id, limit=50):
                if h.kind != Movement.ISSUED or not h.person_id or not road.read(returnable, h.person_id):
                    continue
                found = road.read(recipient, h.person_id)
                if not on_register or (found is not None and found.status == PersonStatus.ON_REGISTER):
                    return h.person_id
    return None

"""单位信息: what the clerk types is saved for every printout; 取消 changes nothing."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from app.db.engine import Database
from app.services.settings import UnitInfo, save_unit_info, unit_info
from ui.dialogs.unit_info import UnitInfoDialog


def _button(dialog: UnitInfoDialog, which: QDialogButtonBox.StandardButton) -> Any:
    return dialog.findChild(QDialogButtonBox).button(which)


def test_saves_what_the_clerk_typed(qtbot: Any, db: Database) -> None:
    dialog = UnitInfoDialog(db)
    qtbot.addWidget(dialog)
    dialog.edits["town"].setText("金塔镇")  # Chinese comes from the input method, not key by key
    dialog.edits["clerk"].setText("王芳 ")
    dialog.edits["head"].setText("赵军")
    qtbot.keyClicks(dialog.edits["phone"], "0937-1234567")
    save = _button(dialog, QDialogButtonBox.StandardButton.Save)
    assert save.text() == "保存"
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    with db.session() as session:
        info = unit_info(session)
    assert (info.town, info.clerk, info.head, info.office) == ("金塔镇", "王芳", "赵军", "")
    assert info.phone == "0937-1234567"
    assert info.unit_name == "金塔镇残疾人联合会"


def test_shows_what_is_stored_and_cancel_keeps_it(qtbot: Any, db: Database) -> None:
    with db.transaction() as session:
        save_unit_info(session, UnitInfo(town="金塔镇", office="金塔镇残联", phone="0937-1234567"))
    dialog = UnitInfoDialog(db)
    qtbot.addWidget(dialog)
    assert dialog.edits["office"].text() == "金塔镇残联"
    assert dialog.edits["phone"].text() == "0937-1234567"
    dialog.edits["office"].setText("别的单位")
    qtbot.mouseClick(_button(dialog, QDialogButtonBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    with db.session() as session:
        assert unit_info(session).office == "金塔镇残联"

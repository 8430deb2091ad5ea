"""单位信息: what the clerk types is saved for every printout; 取消 changes nothing."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLineEdit

from app.db.engine import Database
from app.services.actions import Changes
from app.services.settings import UnitInfo, read_unit_info, save_unit_info
from ui.dialogs.unit_info import UnitInfoDialog
from ui.road import Road


def _button(dialog: UnitInfoDialog, which: QDialogButtonBox.StandardButton) -> Any:
    return dialog.findChild(QDialogButtonBox).button(which)


def _edit(dialog: UnitInfoDialog, name: str) -> QLineEdit:
    edit = dialog.findChild(QLineEdit, name)
    assert edit is not None
    return edit


def test_saves_what_the_clerk_typed(qtbot: Any, db: Database) -> None:
    road = Road(db)
    dialog = UnitInfoDialog(road)
    qtbot.addWidget(dialog)
    _edit(dialog, "town").setText("金塔镇")  # Chinese comes from the input method, not key by key
    _edit(dialog, "clerk").setText("王芳 ")
    _edit(dialog, "head").setText("赵军")
    qtbot.keyClicks(_edit(dialog, "phone"), "0937-1234567")
    save = _button(dialog, QDialogButtonBox.StandardButton.Save)
    assert save.text() == "保存"
    with qtbot.waitSignal(road.changed) as said:
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert said.args == [Changes.SETTINGS]
    assert dialog.result() == QDialog.DialogCode.Accepted
    info = read_unit_info(db)
    assert (info.town, info.clerk, info.head, info.office) == ("金塔镇", "王芳", "赵军", "")
    assert info.phone == "0937-1234567"
    assert info.unit_name == "金塔镇残疾人联合会"


def test_shows_what_is_stored_and_cancel_keeps_it(qtbot: Any, db: Database) -> None:
    with db.transaction() as session:
        save_unit_info(session, UnitInfo(town="金塔镇", office="金塔镇残联", phone="0937-1234567"))
    dialog = UnitInfoDialog(Road(db))
    qtbot.addWidget(dialog)
    assert _edit(dialog, "office").text() == "金塔镇残联"
    assert _edit(dialog, "phone").text() == "0937-1234567"
    _edit(dialog, "office").setText("别的单位")
    qtbot.mouseClick(_button(dialog, QDialogButtonBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    assert read_unit_info(db).office == "金塔镇残联"


def test_the_region_code_is_typed_and_the_fingerprint_shown_after_the_first_save(qtbot: Any, db: Database) -> None:
    from PySide6.QtWidgets import QLabel

    from app.services.settings import read_unit_identity

    dialog = UnitInfoDialog(Road(db))
    qtbot.addWidget(dialog)
    assert dialog.findChild(QLabel, "fingerprint").text() == "保存后生成（本机的签名密钥）"
    _edit(dialog, "town").setText("金塔镇")
    qtbot.keyClicks(_edit(dialog, "code"), "620921100000")
    qtbot.mouseClick(_button(dialog, QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    identity = read_unit_identity(db)
    assert identity.code == "620921100000" and identity.fingerprint
    again = UnitInfoDialog(Road(db))
    qtbot.addWidget(again)
    assert again.findChild(QLabel, "fingerprint").text() == identity.fingerprint

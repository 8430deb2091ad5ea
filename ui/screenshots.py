"""`canlian gui --screenshots DIR`: every tab, and each main dialog over the window as the clerk sees it,
at 1280x800, written to DIR/NN-name.png. Used to look at the screens without a display."""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from app.demo import sample_person
from app.domain.idnumber import check_char
from ui import style
from ui.main_window import MainWindow
from ui.register.person_form import PersonForm

SIZE = (1280, 800)


def _settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def _over_window(window: MainWindow, dialog: QWidget) -> QPixmap:
    """The window dimmed, with the dialog drawn in its middle (a modal dialog as it appears)."""
    window.resize(*SIZE)
    dialog.show()
    _settle()
    back = window.grab()
    front = dialog.grab()
    painter = QPainter(back)
    painter.fillRect(back.rect(), QColor(0, 0, 0, 70))
    x = max((back.width() - front.width()) // 2, 0)
    y = max((back.height() - front.height()) // 2, 0)
    painter.drawPixmap(x, y, front)
    painter.end()
    dialog.hide()
    return back


def _quiet_offscreen(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """The offscreen platform says it cannot size windows for every dialog shown: not worth printing."""
    if "propagateSizeHints" not in message:
        print(message, file=sys.stderr)


def take_screenshots(window: MainWindow, folder: Path) -> list[Path]:
    """Render the screens; returns the files written, in order."""
    previous = qInstallMessageHandler(_quiet_offscreen)
    try:
        return _render_all(window, folder)
    finally:
        qInstallMessageHandler(previous)


def _render_all(window: MainWindow, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def save(name: str, pixmap: QPixmap) -> None:
        path = folder / f"{len(written) + 1:02d}-{name}.png"
        pixmap.save(str(path))
        written.append(path)

    window.resize(*SIZE)
    window.show()
    _settle()
    for index, name in enumerate(["register", "subsidy", "visits", "aids"]):
        window.tabs.setCurrentIndex(index)
        _settle()
        save(name, window.grab())
    from ui.subsidies.shots import subsidy_screens

    for name, pixmap in subsidy_screens(window):
        save(name, pixmap)
    window.tabs.setCurrentIndex(0)
    window.register_tab.search_edit.setText("zs")
    window.register_tab.apply_filter()
    _settle()
    save("register-search", window.grab())
    window.register_tab.reset_filters()
    _settle()
    app = QApplication.instance()
    if isinstance(app, QApplication):
        style.apply_fonts(app, large=True)  # not remembered: the clerk's own setting is left alone
        _settle()
        save("register-large-text", window.grab())
        style.apply_fonts(app, large=False)
        _settle()
    save("welcome", _welcome_on_empty_register())

    for name, make in _dialogs(window):
        dialog = make()
        if dialog is None:
            continue
        if name == "person-form-history":
            dialog.tabs.setCurrentIndex(1)  # type: ignore[attr-defined]
        save(name, _over_window(window, dialog))
        dialog.deleteLater()
    return written


def _dialogs(window: MainWindow) -> list[tuple[str, Callable[[], QDialog | None]]]:
    from ui.register.household import HouseholdDialog
    from ui.register.status_dialog import StatusDialog

    person = window.road.read(sample_person)
    road = window.road
    dialogs: list[tuple[str, Callable[[], QDialog | None]]] = [
        ("person-new", lambda: PersonForm(road, None, window)),
        ("person-new-checked", lambda: _checked_form(PersonForm(road, None, window))),
    ]
    if person is not None:
        dialogs += [
            ("person-form", lambda: PersonForm(road, person, window)),
            ("person-form-history", lambda: PersonForm(road, person, window)),
            ("status", lambda: StatusDialog(road, person, window)),
            ("household", lambda: HouseholdDialog(road, person, window)),
        ]
    dialogs.append(("import-wizard", lambda: _optional("ui.register.import_wizard", "ImportWizard", road, window)))
    dialogs.append(("import-wizard-preview", lambda: _import_preview(window)))
    dialogs.append(("unit-info", lambda: _optional("ui.dialogs.unit_info", "UnitInfoDialog", window.road, window)))
    dialogs.append(("export-usb", lambda: _optional("ui.dialogs.export_usb", "ExportUsbDialog", window)))
    dialogs.append(("export-usb-encrypted", lambda: _export_with_database(window)))
    dialogs.append(("backups-list", lambda: _optional("ui.dialogs.backups_list", "BackupsDialog", window.road, window)))
    from ui.visits.shots import visit_dialogs

    dialogs += visit_dialogs(window.visit_tab)
    from ui.devices.shots import device_dialogs

    dialogs += device_dialogs(window.devices_tab)  # type: ignore[arg-type]
    from ui.subsidies.shots import subsidy_dialogs

    dialogs += subsidy_dialogs(window.subsidy_tab)
    return dialogs


def _export_with_database(window: MainWindow) -> QDialog | None:
    """导出到U盘 with the encrypted database copy ticked and the password typed."""
    dialog = _optional("ui.dialogs.export_usb", "ExportUsbDialog", window)
    if dialog is not None and hasattr(dialog, "with_database"):
        dialog.with_database.setChecked(True)
        dialog.password.setText("县残联2026年报")
        dialog.password_again.setText("县残联2026年报")
    return dialog


def _welcome_on_empty_register() -> QPixmap:
    """The welcome dialog as the clerk meets it: over the window of a new, empty register (it is offered
    only then), not over the register the other screenshots show."""
    from ui.road import Road
    from ui.tasks import wait_for_tasks
    from ui.welcome import WelcomeDialog

    with tempfile.TemporaryDirectory() as folder:
        road = Road.open(Path(folder) / "canlian.db")
        try:
            empty = MainWindow(road, remember=False)
            empty.resize(*SIZE)
            empty.show()
            _settle()
            dialog = WelcomeDialog(road, empty)
            pixmap = _over_window(empty, dialog)
            wait_for_tasks()
            dialog.deleteLater()
            empty.close()
            empty.deleteLater()
        finally:
            road.close()
    return pixmap


def _import_preview(window: MainWindow) -> QDialog | None:
    """The wizard's preview step on a roster as clerks keep them: a title row above the header, a few
    persons already on the register (one with a new phone number), a newcomer and a mistyped ID."""
    import openpyxl

    from app.io.persons_export import export_list_workbook
    from ui.register.import_wizard import ImportWizard
    from ui.tasks import wait_for_tasks

    ids = window.register_tab.model.all_ids()[:6]
    if len(ids) < 2:
        return None
    path = Path(tempfile.mkdtemp(prefix="canlian-shot-")) / "某村花名册.xlsx"
    window.road.run(window, "导出名单", export_list_workbook, ids, path, on_done=lambda _written: None)
    wait_for_tasks()
    book = openpyxl.load_workbook(path)
    sheet = book.active
    assert sheet is not None
    sheet.insert_rows(1)
    sheet.cell(1, 1, "某村残疾人花名册（2026年11月）")
    header = [cell.value for cell in sheet[2]]
    sheet.cell(3, header.index("联系电话") + 1, "13900001111")
    body = "62092119900315123"
    for name, last in (("赵新来", check_char(body)), ("钱错号", "0" if check_char(body) != "0" else "1")):
        row = [""] * len(header)
        row[header.index("姓名")], row[header.index("身份证号")] = name, body + last
        row[header.index("残疾类别")], row[header.index("残疾等级")] = "肢体", "三级"
        sheet.append(row)
    book.save(path)
    wizard = ImportWizard(window.road, window)
    wizard.restart()
    if wizard.set_file(path):
        wizard.next()
        wizard.next()
        wait_for_tasks()
    return wizard


def _checked_form(form: PersonForm) -> PersonForm:
    """A new form with typing mistakes, as the clerk sees the messages at the fields."""
    body = "62092119800101123"
    right = check_char(body)
    form.fields.name_edit.setText("王秀兰")
    form.fields.id_edit.setText(body + ("1" if right != "1" else "2"))
    form.fields.cert_edit.setText(body + right + "41")
    form.fields.village_box.setEditText("金塔村")
    form.fields.phone_edit.setText("4421234")  # a landline without its area code
    form.show_all_messages()
    return form


def _optional(module: str, name: str, *args: object) -> QDialog | None:
    """A dialog another part of the program provides, if it is there."""
    import importlib

    try:
        cls = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None
    dialog: QDialog = cls(*args)
    return dialog

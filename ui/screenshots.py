"""`canlian gui --screenshots DIR`: every tab, and each main dialog over the window as the clerk sees it,
on the two commonest office screens in normal and large text: DIR/1280x720/normal/NN-name.png,
DIR/1280x720/large/…, DIR/1366x768/normal/…, DIR/1366x768/large/…, the same names in each folder.

Each PNG is the whole screen it stands for: the window filling the screen's free area under its title bar,
the taskbar at the bottom, a dialog (with its title bar) where it opens over the window, kept inside the
free area as the program keeps it (ui.screen). Used to look at the screens without a display, and by the
manual."""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QMessageLogContext, QPoint, QRect, QSize, Qt, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QFileDialog,
    QHeaderView,
    QSplitter,
    QTreeView,
    QWidget,
)

from app.demo import sample_person
from app.domain.idnumber import check_char
from app.domain.words import PersonStatus
from app.services.register import search
from app.services.register.search import PersonFilter
from ui import screen, style
from ui.main_window import MainWindow
from ui.register.person_form import PersonForm

if TYPE_CHECKING:
    from ui.county.shots import County

SCREENS = (QSize(1280, 720), QSize(1366, 768))
TEXT_SIZES = (("normal", False), ("large", True))
TITLE_COLOUR, TASKBAR_COLOUR = QColor("#dfe3e8"), QColor("#1f2a36")


def folder_of(root: Path, size: QSize, text: str) -> Path:
    """Where the shots of one screen and text size go: root/1366x768/large."""
    return root / f"{size.width()}x{size.height()}" / text


def _settle() -> None:
    from ui.tasks import wait_for_tasks

    wait_for_tasks()  # a tab's reading (the month's review) is drawn done, not 正在复核
    for _ in range(3):
        QApplication.processEvents()


def _title_bar(painter: QPainter, rect: QRect, title: str) -> None:
    painter.fillRect(rect, TITLE_COLOUR)
    painter.setPen(QColor("#202020"))
    painter.drawText(rect.adjusted(10, 0, -10, 0), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, title)


def _on_screen(window: QWidget, size: QSize) -> QPixmap:
    """The window as it fills the free area of a screen of this size: title bar above, taskbar below."""
    shot = QPixmap(size)
    shot.fill(TASKBAR_COLOUR)
    painter = QPainter(shot)
    _title_bar(painter, QRect(0, 0, size.width(), screen.TITLE_BAR), window.windowTitle())
    painter.drawPixmap(0, screen.TITLE_BAR, window.grab())
    painter.end()
    return shot


def _window_size(size: QSize) -> QSize:
    """The window's inner size when it fills the free area of the screen (maximized)."""
    return QSize(size.width(), size.height() - screen.TASKBAR - screen.TITLE_BAR)


def _dialog_over(back: QPixmap, dialog: QWidget) -> QPixmap:
    """The screen dimmed, the dialog with its title bar centred over the window and kept inside the free
    area, as Qt places a dialog over its parent."""
    dialog.show()
    _settle()
    if isinstance(dialog, QFileDialog):  # it lists the folder in a thread of its own
        deadline = time.monotonic() + 1.0
        while time.monotonic() < deadline and not _listed(dialog):
            QApplication.processEvents()
            time.sleep(0.02)
        _settle()
    front = dialog.grab()
    shot = QPixmap(back)
    painter = QPainter(shot)
    painter.fillRect(QRect(0, 0, back.width(), back.height() - screen.TASKBAR), QColor(0, 0, 0, 70))
    free = QRect(0, 0, back.width(), back.height() - screen.TASKBAR)
    framed = QRect(QPoint(0, 0), QSize(front.width(), front.height() + screen.TITLE_BAR))
    framed.moveCenter(QRect(0, screen.TITLE_BAR, free.width(), free.height() - screen.TITLE_BAR).center())
    framed = screen.clamp(framed, free)
    _title_bar(painter, QRect(framed.topLeft(), QSize(framed.width(), screen.TITLE_BAR)), dialog.windowTitle())
    painter.drawPixmap(framed.x(), framed.y() + screen.TITLE_BAR, front)
    painter.setPen(QColor("#7a7a7a"))
    painter.drawRect(framed.adjusted(0, 0, -1, -1))
    painter.end()
    dialog.hide()
    return shot


def _listed(dialog: QFileDialog) -> bool:
    views = [v for v in dialog.findChildren(QAbstractItemView) if v.isVisible() and v.model() is not None]
    return any(v.model().rowCount(v.rootIndex()) > 0 for v in views)


def _quiet_offscreen(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """The offscreen platform says it cannot size windows for every dialog shown: not worth printing."""
    if "propagateSizeHints" not in message:
        print(message, file=sys.stderr)


def take_screenshots(window: MainWindow, folder: Path) -> list[Path]:
    """Render the screens at each screen size and text size; returns the files written, in order."""
    previous = qInstallMessageHandler(_quiet_offscreen)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    written: list[Path] = []
    saving: list[Future[bool]] = []
    try:
        from ui.county.shots import county_window

        with ThreadPoolExecutor(max_workers=2) as saver, _empty_register() as empty, county_window() as county:
            for text, large in TEXT_SIZES:
                style.apply_fonts(app, large=large)  # not remembered: the clerk's own setting is left alone
                for size in SCREENS:
                    target = folder_of(folder, size, text)
                    target.mkdir(parents=True, exist_ok=True)
                    with screen.pretend(size):
                        for number, (name, pixmap) in enumerate(_render_all(window, empty, size, county), 1):
                            path = target / f"{number:02d}-{name}.png"
                            saving.append(saver.submit(pixmap.toImage().save, str(path), "PNG", 60))
                            written.append(path)
        assert all(done.result() for done in saving), "a screenshot could not be written"
    finally:
        style.apply_fonts(app, large=False)
        qInstallMessageHandler(previous)
    return written


def _show_filling(window: MainWindow, size: QSize) -> None:
    """The window at the size it has when it fills the free area of the screen (drawn maximized)."""
    window.show()  # first: on showing, the window keeps itself inside the screen with room for a frame
    window.setWindowState(Qt.WindowState.WindowNoState)  # opened maximized on the display the shots run on
    window.resize(_window_size(size))


def _render_all(window: MainWindow, empty: MainWindow, size: QSize,
                county: County) -> Iterator[tuple[str, QPixmap]]:
    _show_filling(window, size)
    _settle()
    for index, name in enumerate(["register", "subsidy", "visits", "aids"]):
        window.tabs.setCurrentIndex(index)
        _settle()
        yield name, _on_screen(window, size)
    from ui.subsidies.shots import subsidy_screens

    yield from subsidy_screens(window, lambda: _on_screen(window, size))
    window.tabs.setCurrentIndex(0)
    window.register_tab.search_edit.setText("zs")
    window.register_tab.apply_filter()
    _settle()
    yield "register-search", _on_screen(window, size)
    window.register_tab.reset_filters()
    _settle()
    _show_filling(empty, size)
    _settle()
    from ui.welcome import WelcomeDialog

    welcome = WelcomeDialog(empty.road, empty)
    yield "welcome", _dialog_over(_on_screen(empty, size), welcome)
    welcome.deleteLater()
    empty.hide()
    back = _on_screen(window, size)  # every dialog opens over the register
    window.hide()  # drawn once: not painted again under each dialog
    for name, make in _dialogs(window):
        dialog = make()
        if dialog is None:
            continue
        if name == "person-form-history":
            dialog.tabs.setCurrentIndex(1)  # type: ignore[attr-defined]
        yield name, _dialog_over(back, dialog)
        dialog.deleteLater()
    window.show()
    from ui.manual import opened_by_f1

    window.tabs.setCurrentIndex(1)
    _settle()
    manual = opened_by_f1(window, window.subsidy_tab)  # F1 on the 补贴资格 tab: the manual at 每月复核
    yield "manual", _dialog_over(_on_screen(window, size), manual)
    manual.close()
    window.tabs.setCurrentIndex(0)
    yield from _county_screens(window, county, size)


def _county_screens(window: MainWindow, county: County, size: QSize) -> Iterator[tuple[str, QPixmap]]:
    """The town's 生成上报包 over its register, then the county's window: its 县级汇总 tab with a 待核实
    line, a third town's first package before it is taken and 生成政策更新包; then back in the town, the
    county's 政策更新包 before it is taken."""
    from ui.county.shots import import_preview, policy_import_preview
    from ui.dialogs.policy_package import PolicyPackageDialog
    from ui.dialogs.report_package import ReportPackageDialog

    back = _on_screen(window, size)
    dialog = ReportPackageDialog(window.road, window)
    yield "report-package", _dialog_over(back, dialog)
    dialog.deleteLater()
    window.hide()
    _show_filling(county.window, size)
    assert county.window.county_tab is not None
    county.window.tabs.setCurrentWidget(county.window.county_tab)
    _settle()
    back = _on_screen(county.window, size)
    yield "county", back
    preview = import_preview(county)
    yield "county-import-preview", _dialog_over(back, preview)
    preview.deleteLater()
    writing = PolicyPackageDialog(county.window.road, county.window)
    yield "policy-package", _dialog_over(back, writing)
    writing.deleteLater()
    county.window.hide()
    window.show()
    _settle()
    policy = policy_import_preview(window, county)  # the county's package as this town would take it
    yield "policy-package-import", _dialog_over(_on_screen(window, size), policy)
    policy.deleteLater()


@contextmanager
def _empty_register() -> Iterator[MainWindow]:
    """The window of a new, empty register: the welcome dialog is offered only there."""
    from ui.road import Road

    with tempfile.TemporaryDirectory() as folder:
        road = Road.open(Path(folder) / "canlian.db")
        try:
            empty = MainWindow(road, remember=False)
            yield empty
            empty.close()
            empty.deleteLater()
        finally:
            road.close()


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
    dialogs.append(("import-file-chooser", lambda: _file_chooser(window)))
    dialogs.append(("import-wizard-preview", lambda: _import_preview(window)))
    dialogs.append(("unit-info", lambda: _optional("ui.dialogs.unit_info", "UnitInfoDialog", window.road, window)))
    dialogs.append(("export-usb", lambda: _optional("ui.dialogs.export_usb", "ExportUsbDialog", window)))
    dialogs.append(("export-usb-encrypted", lambda: _export_with_database(window)))
    if not road.on_server:  # a file's automatic backups: disabled on a server
        dialogs.append(("backups-list", lambda: _optional("ui.dialogs.backups_list", "BackupsDialog", road, window)))
    dialogs.append(("connect-server", lambda: _connect_dialog(window)))
    dialogs.append(("server-password", lambda: _password_dialog(window)))
    from ui.visits.shots import visit_dialogs

    dialogs += visit_dialogs(window.visit_tab)
    from ui.devices.shots import device_dialogs

    dialogs += device_dialogs(window.devices_tab)  # type: ignore[arg-type]
    from ui.subsidies.shots import subsidy_dialogs

    dialogs += subsidy_dialogs(window.subsidy_tab)
    dead = road.read(search.list_ids, PersonFilter(status=PersonStatus.DEAD), limit=1)
    if dead:  # a closed record: read-only until 更正
        dialogs.append(("person-form-closed", lambda: PersonForm(road, dead[0], window)))
    from ui.print_preview import sample_preview

    dialogs.append(("print-preview", lambda: sample_preview(window, road)))
    dialogs.append(("print-preview-zoomed", lambda: sample_preview(window, road, zoom=1.5)))
    return dialogs


EXAMPLE_SERVER = "postgresql://lihong@192.168.1.10:5432/canlian"  # as a county's administrator hands it out


def _connect_dialog(window: MainWindow) -> QDialog:
    """文件 → 连接单位数据库 with 单位数据库 chosen and an example county server filled in, as the clerk types it."""
    from ui.dialogs.connect_server import ConnectDialog

    dialog = ConnectDialog(window.road, window.home_file, window)
    dialog.use_server.setChecked(True)
    dialog.host.setText("192.168.1.10")
    dialog.login.setText("lihong")
    return dialog


def _password_dialog(window: MainWindow) -> QDialog:
    """The password asked at start for the example server (nothing is connected: the dialog is only drawn)."""
    from ui.dialogs.server_login import PasswordDialog

    def not_here(_password: str) -> object:
        raise AssertionError("the screenshots only draw the dialog")

    return PasswordDialog(EXAMPLE_SERVER, not_here, window)


def _export_with_database(window: MainWindow) -> QDialog | None:
    """导出到U盘 with the encrypted database copy ticked and the password typed."""
    dialog = _optional("ui.dialogs.export_usb", "ExportUsbDialog", window)
    if dialog is not None and hasattr(dialog, "with_database"):
        dialog.with_database.setChecked(True)
        dialog.password.setText("县残联2026年报")
        dialog.password_again.setText("县残联2026年报")
    return dialog


def _file_chooser(window: MainWindow) -> QDialog | None:
    """导入花名册's file chooser, opened on the folder of a village's roster. Qt's own dialog (the program
    asks Windows for its native one, which cannot be drawn offscreen); its words are Qt's translation."""
    from PySide6.QtCore import QDir
    from PySide6.QtWidgets import QFileDialog

    from ui.register.import_wizard import OPEN_FILTER

    roster = _sample_roster(window)
    if roster is None:
        return None
    dialog = screen.fitted(QFileDialog(window, "选择花名册", str(roster.parent), OPEN_FILTER))
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.setFilter(QDir.Filter.AllEntries | QDir.Filter.NoDotAndDotDot)
    dialog.selectFile(str(roster))
    dialog.resize(dialog.fontMetrics().horizontalAdvance("中") * 56, dialog.fontMetrics().height() * 26)
    for view in dialog.findChildren(QTreeView):  # name, size, type and date shown whole
        view.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    splitter = dialog.findChild(QSplitter)
    if splitter is not None:  # the places on the left (计算机, the home folder) shown whole
        side = dialog.fontMetrics().horizontalAdvance("中") * 8
        splitter.setSizes([side, dialog.width() - side])
    return dialog


_rosters: dict[int, Path] = {}


def _sample_roster(window: MainWindow) -> Path | None:
    """A roster as clerks keep them, written once per run: a title row above the header, a few persons
    already on the register (one with a new phone number), a newcomer and a mistyped ID."""
    import openpyxl

    from app.io.persons_export import export_list_workbook
    from ui.tasks import wait_for_tasks

    if id(window) in _rosters and _rosters[id(window)].exists():
        return _rosters[id(window)]
    ids = window.register_tab.model.all_ids()[:6]
    if not ids:
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
    _rosters[id(window)] = path
    return path


def _import_preview(window: MainWindow) -> QDialog | None:
    """The wizard's preview step on the sample roster."""
    from ui.register.import_wizard import ImportWizard
    from ui.tasks import wait_for_tasks

    path = _sample_roster(window)
    if path is None:
        return None
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

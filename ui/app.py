"""Starting the window: the QApplication with the shipped Chinese font and Qt's own texts in Chinese (the
standard buttons, the file dialogs: ui.language), the database, the main window.
The database is a file on this PC, or the county's server (--db postgresql://…, $CANLIAN_DB, or, when neither
is given, the server last chosen in 文件 → 连接单位数据库): its password is asked once if the credential store
has none (ui.dialogs.server_login), and a server that cannot be reached at a start without --db offers the
file on this PC instead.
`canlian gui --screenshots DIR` renders every tab and the main dialogs to PNG files instead."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from app.errors import DatabaseError
from app.paths import default_db_path

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from ui.road import Road


def _application() -> object:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    app.setApplicationName("残联工作台")
    app.setOrganizationName("canlian")
    from ui.collector import collect_on_gui_thread

    collect_on_gui_thread(app)  # never a garbage collection in a worker thread deleting the window's objects
    from ui.language import install_chinese

    install_chinese(app)  # before any widget: 是/否/确定/取消, 查找范围, 文件名称
    return app


def _open_or_offer_backup(db_path: Path) -> Road | None:
    """The road over the database, opened; when it fails SQLite's check (the full one after an unclean exit;
    the quick one runs while the window shows, see _run_window) the newest good automatic backup is offered
    and, if the clerk takes it, opened instead. None when the clerk declined (or there was none).
    DatabaseError for any other refusal."""
    from app.errors import DamagedDatabase
    from ui.road import Road

    try:
        return Road.open(db_path, check_later=True)
    except DamagedDatabase:
        return _offer_backup(db_path)


def _offer_backup(db_path: Path) -> Road | None:
    from ui.dialogs.backups_list import offer_good_backup
    from ui.road import Road

    if not offer_good_backup(db_path):
        return None
    return Road.open(db_path)


def _open_server(url: str) -> Road | None:
    """The road over the server at url; its password asked when the server wants one the credential store
    did not give (None: the clerk cancelled). DatabaseError for any other refusal."""
    from ui.road import PasswordRefused, Road

    try:
        return Road.open(url)
    except PasswordRefused as refused:
        from ui.dialogs.server_login import ask_password

        return ask_password(url, refused)


def _open_remembered(url: str, home_file: Path) -> Road | None:
    """The server chosen last in 连接单位数据库; when it cannot be reached, or the clerk cancels its password,
    the clerk may open the file on this PC instead (and is never locked out of the window by a server that
    is down or a password not at hand)."""
    try:
        road = _open_server(url)
    except DatabaseError as exc:
        return _offer_home_file(str(exc), home_file)
    if road is None:
        return _offer_home_file("没有输入密码，未连接单位数据库。", home_file)
    return road


def _offer_home_file(why: str, home_file: Path) -> Road | None:
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Warning, "无法连接单位数据库",
                      f"{why}\n\n可以先打开本机数据文件：{home_file}", parent=None)
    box.setObjectName("server_unreachable")
    local = box.addButton("打开本机数据文件", QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(box.addButton("退出", QMessageBox.ButtonRole.RejectRole))
    box.exec()
    if box.clickedButton() is not local:
        return None
    return _open_or_offer_backup(home_file)


def home_file_of(where: Path | str) -> Path:
    """The file on this PC the window goes back to from a server: the one named, else the usual one."""
    return where if isinstance(where, Path) else default_db_path()


def open_road(where: Path | str, *, remembered: bool = False) -> Road | None:
    """The road the window opens at start: the server chosen last in 连接单位数据库 when nothing named a store
    (remembered), else the server or file named. None when the clerk declined (the password asked, a backup
    offered, the file offered for a server that is down); DatabaseError for any other refusal."""
    if remembered and isinstance(where, Path):
        from ui.dialogs.connect_server import remembered_server

        chosen = remembered_server()
        if chosen is not None:
            return _open_remembered(chosen, where)
    if isinstance(where, str):
        return _open_server(where)
    return _open_or_offer_backup(where)


def _run_window(app: QApplication, road: Road, home_file: Path) -> tuple[int, bool]:
    """The window over the road until it is closed: (exit code, whether the file failed the quick check
    that runs meanwhile; the window then closed without writing a backup of it)."""
    from PySide6.QtCore import QTimer

    from ui.main_window import MainWindow

    window = MainWindow(road, home_file=home_file)
    damaged: list[bool] = []

    def close_damaged() -> None:
        damaged.append(True)
        window.backups = False  # a copy of a damaged file is no backup
        window.close()

    road.damaged.connect(close_damaged)
    window.show()
    QTimer.singleShot(0, window.offer_first_start)
    road.check_whole_later()
    code = int(app.exec())
    return code, bool(damaged)


def run_gui(where: Path | str, screenshots: Path | None = None, *, remembered: bool = False) -> int:
    """Open the window on the database file at a path or the register on a server (a postgresql:// URL) and
    run until it is closed (the exit code), or with screenshots=DIR write DIR/<screen>/<normal|large>/NN-name.png
    for every tab and main dialog (ui.screenshots), print each path and return 0. remembered: neither --db nor
    $CANLIAN_DB named the store, so the server chosen last in 连接单位数据库 (if any) is opened instead of the
    file at where.
    A database that cannot be used is explained in Chinese and returns 2; so does a password asked for and
    not given (取消)."""
    if screenshots is not None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication, QMessageBox

    from ui import style
    from ui.main_window import MainWindow
    from ui.road import Road

    app = _application()
    assert isinstance(app, QApplication)
    style.apply_fonts(app, large=False if screenshots is not None else None)
    home_file = home_file_of(where)
    try:
        road = Road.open(where) if screenshots is not None else open_road(where, remembered=remembered)
        if road is None:
            return 2
    except DatabaseError as exc:
        if screenshots is not None:
            print(str(exc), file=sys.stderr)
        else:
            QMessageBox.critical(None, "无法连接单位数据库" if isinstance(where, str) else "无法打开数据文件", str(exc))
        return 2
    if screenshots is None:
        return _run_until_closed(app, home_file, road)
    try:
        from ui.screenshots import take_screenshots

        window = MainWindow(road, remember=False)
        for path in take_screenshots(window, Path(screenshots)):
            print(path)
        window.close()
        return 0
    finally:
        road.close()


def _run_until_closed(app: QApplication, db_path: Path, road: Road) -> int:
    """The window until the clerk closes it; when the file fails the quick check meanwhile, the window
    closes, the newest good backup is offered (damaged_text says what happened) and the restored register
    opens in a new window."""
    while True:
        try:
            code, damaged = _run_window(app, road, db_path)
        finally:
            road.close()  # the store the window ends on (a restore may have replaced the one opened here)
        if not damaged:
            return code
        again = _offer_backup(db_path)
        if again is None:
            return 2
        road = again

"""Starting the window: the QApplication with the shipped Chinese font and Qt's own texts in Chinese (the
standard buttons, the file dialogs: ui.language), the database, the main window.
`canlian gui --screenshots DIR` renders every tab and the main dialogs to PNG files instead."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from app.errors import DatabaseError

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


def _run_window(app: QApplication, road: Road) -> tuple[int, bool]:
    """The window over the road until it is closed: (exit code, whether the file failed the quick check
    that runs meanwhile; the window then closed without writing a backup of it)."""
    from PySide6.QtCore import QTimer

    from ui.main_window import MainWindow

    window = MainWindow(road)
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


def run_gui(db_path: Path, screenshots: Path | None = None) -> int:
    """Open the window on the database at db_path and run until it is closed (the exit code), or with
    screenshots=DIR write DIR/<screen>/<normal|large>/NN-name.png for every tab and main dialog (ui.screenshots),
    print each path and return 0.
    A database that cannot be used is explained in Chinese and returns 2."""
    if screenshots is not None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication, QMessageBox

    from ui import style
    from ui.main_window import MainWindow
    from ui.road import Road

    app = _application()
    assert isinstance(app, QApplication)
    style.apply_fonts(app, large=False if screenshots is not None else None)
    try:
        road = Road.open(db_path) if screenshots is not None else _open_or_offer_backup(db_path)
        if road is None:
            return 2
    except DatabaseError as exc:
        if screenshots is not None:
            print(str(exc), file=sys.stderr)
        else:
            QMessageBox.critical(None, "无法打开数据文件", str(exc))
        return 2
    if screenshots is None:
        return _run_until_closed(app, db_path, road)
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
            code, damaged = _run_window(app, road)
        finally:
            road.close()  # the store the window ends on (a restore may have replaced the one opened here)
        if not damaged:
            return code
        again = _offer_backup(db_path)
        if again is None:
            return 2
        road = again

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
    """The road over the database, opened; when it fails SQLite's check (the quick one, the full one after
    an unclean exit) the newest good automatic backup is offered and, if the clerk takes it,
    opened instead. None when the clerk declined (or there was none). DatabaseError for any other refusal."""
    from app.errors import DamagedDatabase
    from ui.road import Road

    try:
        return Road.open(db_path)
    except DamagedDatabase:
        from ui.dialogs.backups_list import offer_good_backup

        if not offer_good_backup(db_path):
            return None
    return Road.open(db_path)


def run_gui(db_path: Path, screenshots: Path | None = None) -> int:
    """Open the window on the database at db_path and run until it is closed (the exit code), or with
    screenshots=DIR write DIR/NN-name.png for every tab and main dialog, print each path and return 0.
    A database that cannot be used is explained in Chinese and returns 2."""
    if screenshots is not None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer
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
    try:
        window = MainWindow(road, remember=screenshots is None)
        if screenshots is not None:
            from ui.screenshots import take_screenshots

            for path in take_screenshots(window, Path(screenshots)):
                print(path)
            window.close()
            return 0
        window.show()
        QTimer.singleShot(0, window.offer_first_start)
        return int(app.exec())
    finally:
        road.close()  # the store the window ends on (a restore may have replaced the one opened here)

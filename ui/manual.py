"""帮助 → 使用说明 (F1): the clerk's manual, resources/manual/index.html, with the program's own screenshots
(made by `canlian gui --screenshots` at build time: ui/manual_images.py), searchable, and opened by F1 in
any window at the section of the dialog in front (SECTIONS)."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QImageReader, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.paths import resource_path
from ui.screen import ScreenDialog, free_area

# The section F1 opens in front of each dialog: the dialog's objectName, else its class name (most dialogs
# have no objectName of their own). A test holds every anchor to the manual.
SECTIONS = {
    "welcome": "start",
    "RegisterTab": "register",
    "unit_info": "unit",
    "PersonForm": "register",
    "HouseholdDialog": "household",
    "ImportWizard": "import",
    "status_dialog": "death",
    "StatusDialog": "death",
    "SubsidyTab": "review",
    "StepDialog": "review",
    "OtherAllowancesDialog": "review",
    "SettleDialog": "overpayment",
    "PolicyDialog": "policy",
    "ReliefDialog": "relief",
    "VisitsTab": "visits",
    "CampaignDialog": "visits",
    "ReasonDialog": "visits",
    "AddHouseholdDialog": "visits",
    "RecordDialog": "visits",
    "CompareDialog": "visits",
    "DevicesTab": "devices",
    "IssueDialog": "devices",
    "ReceiveDialog": "devices",
    "ReturnDialog": "devices",
    "WriteOffDialog": "devices",
    "CatalogueDialog": "devices",
    "print_preview": "print",
    "saved": "print",
    "export_usb": "usb",
    "backups_list": "backup",
    "connect_server": "server",
    "server_password": "server",
}
MANUAL = "index.html"
PICTURE_WIDTH = 640


def manual_folder() -> Path:
    return resource_path("manual")


def image_folders() -> list[Path]:
    """Where the screenshots are: inside the build (resources/manual/images), or, from source, where
    `python -m ui.manual_images` wrote them (build/manual-images)."""
    return [manual_folder() / "images", Path(__file__).resolve().parent.parent / "build" / "manual-images"]


def named_images(html: str) -> list[str]:
    """The screenshot files the manual shows, in order."""
    return re.findall(r'<img src="([^"]+)"', html)


def picture_file(name: str) -> Path | None:
    return next((folder / name for folder in image_folders() if (folder / name).is_file()), None)


def sized_pictures(html: str, widest: int = PICTURE_WIDTH) -> str:
    """Each screenshot shown at most widest pixels wide, its height in proportion (the rich text engine
    would otherwise keep the full height or the full 1280 pixels); a missing one as its name in brackets."""

    def sized(match: re.Match[str]) -> str:
        file = picture_file(match.group(1))
        size = QImageReader(str(file)).size() if file is not None else None
        if size is None or size.isEmpty():
            return f"<p>（截图 {match.group(1)}）</p>"
        width = min(widest, size.width())
        return f'<img src="{match.group(1)}" width="{width}" height="{size.height() * width // size.width()}">'

    return re.sub(r'<img src="([^"]+)">', sized, html)


def anchors(html: str) -> set[str]:
    return set(re.findall(r'<a name="([^"]+)"', html))


class ManualWindow(ScreenDialog):
    """使用说明: the text with its pictures, a search box (Enter finds the next place) and 关闭."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("manual")
        self.setWindowTitle("残联工作台 使用说明")
        self.text = QTextBrowser()
        self.text.setObjectName("manual_text")
        self.text.setOpenExternalLinks(False)
        self.text.setSearchPaths([str(manual_folder()), *map(str, image_folders())])
        self.search = QLineEdit()
        self.search.setObjectName("manual_search")
        self.search.setPlaceholderText("输入要查的字词，按回车找下一处")
        self.search.setClearButtonEnabled(True)
        self.search.returnPressed.connect(self.find_next)
        self.search.textEdited.connect(lambda _t: self.find_next(from_top=True))
        find = QPushButton("找下一处")
        find.setObjectName("find_next")
        find.clicked.connect(lambda: self.find_next())
        self.found = QLabel()
        self.found.setObjectName("found")
        close = QPushButton("关闭")
        close.clicked.connect(self.close)
        QShortcut(QKeySequence.StandardKey.Find, self, activated=self.search.setFocus)
        top = QHBoxLayout()
        top.addWidget(QLabel("查找："))
        top.addWidget(self.search, 1)
        top.addWidget(find)
        top.addWidget(self.found)
        top.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.text, 1)
        screen = free_area(parent or self)
        self.resize(min(960, int(screen.width() * 0.8)), min(760, int(screen.height() * 0.9)))
        self.text.setHtml(sized_pictures(self.html(), min(PICTURE_WIDTH, self.width() - 80)))
        self.section = ""

    def show_section(self, anchor: str) -> None:
        self.section = anchor
        self.text.document().adjustSize()  # lay the text out first: the anchor's place is known only then
        if anchor:
            self.text.scrollToAnchor(anchor)
        else:
            self.text.verticalScrollBar().setValue(0)

    def find_next(self, from_top: bool = False) -> bool:
        """Select the next place the search box's words appear (from the top again after the last one)."""
        words = self.search.text().strip()
        if not words:
            self.found.clear()
            return False
        if from_top:
            self.text.moveCursor(self.text.textCursor().MoveOperation.Start)
        hit = self.text.find(words) or (self.text.moveCursor(self.text.textCursor().MoveOperation.Start) is None
                                        and self.text.find(words))
        self.found.setText("" if hit else "没有找到")
        return bool(hit)

    def shown_images(self) -> list[str]:
        """The manual's pictures that are there to show (a missing one shows as an empty box)."""
        return [name for name in named_images(self.html())
                if (file := picture_file(name)) is not None and QImageReader(str(file)).canRead()]

    def html(self) -> str:
        return (manual_folder() / MANUAL).read_text(encoding="utf-8")


def section_for(widget: QWidget | None) -> str:
    """The manual's section for the window in front: the nearest widget, going out from it, that SECTIONS
    names (a dialog, else the tab that has the focus); '' for the manual's beginning."""
    while widget is not None:
        for name in (widget.objectName(), type(widget).__name__):
            if name in SECTIONS:
                return SECTIONS[name]
        widget = widget.parentWidget()
    return ""


def open_manual(parent: QWidget | None, anchor: str = "") -> ManualWindow:
    """Show the manual at anchor. Over a dialog it is that dialog's own window, so the dialog's modality
    does not block it; over the main window one manual is reused."""
    manual = parent.findChild(ManualWindow, options=Qt.FindChildOption.FindDirectChildrenOnly) if parent else None
    if manual is None:
        manual = ManualWindow(parent)
    if manual.isVisible() and QApplication.platformName() != "offscreen":  # offscreen cannot raise a window
        manual.raise_()
    manual.show()
    manual.activateWindow()
    manual.show_section(anchor)
    return manual


def f1_pressed(window: QWidget, event: QKeyEvent) -> bool:
    """F1 in one of the program's windows (the main window, its dialogs: their keyPressEvent asks this, as
    the key comes up from the widget with the focus unused): the manual opens at the section of what has the
    focus. Not an application-wide event filter: that one wrapped every object Qt sent an event to, also
    those still being built, and crashed PySide constructing a later dialog."""
    if event.key() != Qt.Key.Key_F1 or event.modifiers() != Qt.KeyboardModifier.NoModifier:
        return False
    if not isinstance(window, ManualWindow):  # F1 in the manual itself: it is open already
        open_manual(window, section_for(window.focusWidget() or window))
    event.accept()
    return True


def opened_by_f1(window: QWidget, inside: QWidget | None = None) -> ManualWindow:
    """Press F1 in window as the clerk does and return the manual it opened; RuntimeError when none opened,
    or when a build meant for the office PC lacks the manual's screenshots (`canlian --selfcheck` runs this
    through `--screenshots`)."""
    import sys

    window.activateWindow()
    target = inside or window.focusWidget() or window
    QApplication.sendEvent(target, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_F1, Qt.KeyboardModifier.NoModifier))
    manual = window.findChild(ManualWindow)
    if manual is None or not manual.isVisible() or "每月复核" not in manual.text.toPlainText():
        raise RuntimeError("按F1没有打开使用说明")
    if getattr(sys, "frozen", False) and not manual.shown_images():
        raise RuntimeError("使用说明中的截图没有随程序打包")
    return manual

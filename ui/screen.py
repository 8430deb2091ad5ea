"""The window and its dialogs within the screen's free area (QScreen.availableGeometry: the screen less the
taskbar), so that no button or status bar sits under the taskbar of a 1366×768 laptop.

The main window opens at its remembered place and size, moved and shrunk back onto the screen if the screen
has become smaller since; the first time it opens at 1280×800, or filling the free area when that does not
fit. Every dialog is kept inside the free area when shown (ScreenDialog, the program's dialogs' base, or
`fitted(dialog)` for a file chooser or message box).
`pretend(size)` makes the program take a screen of that size for its free area: the screenshots are drawn at
1280×720 and 1366×768 on a display of any size, and the tests place windows on those screens."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeVar

from PySide6.QtCore import QEvent, QMargins, QObject, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent, QShowEvent
from PySide6.QtWidgets import QDialog, QMainWindow, QWidget

DEFAULT_SIZE = QSize(1280, 800)
TASKBAR = 40  # Windows 10/11's taskbar at 100 %: what the free area of a screen shot lacks
TITLE_BAR = 31  # a window's title bar, before the window system has told its size
FRAME = QMargins(8, TITLE_BAR, 8, 8)  # title bar and borders (Windows counts its invisible resize borders)

_pretended: QRect | None = None
D = TypeVar("D", bound=QDialog)


@contextmanager
def pretend(size: QSize) -> Iterator[QRect]:
    """Within: the free area is that of a screen of this size with a taskbar at the bottom."""
    global _pretended
    before = _pretended
    _pretended = QRect(0, 0, size.width(), size.height() - TASKBAR)
    try:
        yield _pretended
    finally:
        _pretended = before


def free_area(widget: QWidget | None = None) -> QRect:
    """The free area of the screen the widget is on (the primary screen if none)."""
    if _pretended is not None:
        return QRect(_pretended)
    # Not widget.screen(): PySide makes the screen's wrapper a child of the widget, and when the widget went
    # the screen itself could be deleted with it (a later dialog then crashed Qt in QGuiApplication.screenAt).
    # The application's own look-ups hand out no such link.
    screen = QGuiApplication.screenAt(widget.mapToGlobal(widget.rect().center())) if widget is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1366, 768 - TASKBAR)


def client_area(area: QRect, margins: QMargins = FRAME) -> QRect:
    """The room inside a window's frame when the frame fills the area."""
    return area.marginsRemoved(margins)


def clamp(rect: QRect, area: QRect) -> QRect:
    """The rectangle shrunk to fit the area if larger, and moved into it."""
    width, height = min(rect.width(), area.width()), min(rect.height(), area.height())
    x = min(max(rect.x(), area.x()), area.x() + area.width() - width)
    y = min(max(rect.y(), area.y()), area.y() + area.height() - height)
    return QRect(x, y, width, height)


def margins_of(widget: QWidget) -> QMargins:
    """The frame around the widget: as the window system drew it once shown, else (and on a pretended
    screen, which the screenshots draw with this frame) a usual title bar."""
    frame, inner = widget.frameGeometry(), widget.geometry()
    if _pretended is None and widget.isVisible() and frame != inner:
        return QMargins(inner.x() - frame.x(), inner.y() - frame.y(),
                        frame.right() - inner.right(), frame.bottom() - inner.bottom())
    return FRAME


def place_window(window: QMainWindow, remembered: QRect | None, maximized: bool) -> None:
    """Where the main window opens: the remembered rectangle (inner, without the frame) kept inside the
    screen's free area, else DEFAULT_SIZE centred, or the whole free area when that does not fit."""
    area = client_area(free_area(window), margins_of(window))
    if remembered is None or not remembered.isValid():
        if DEFAULT_SIZE.width() > area.width() or DEFAULT_SIZE.height() > area.height():
            maximized = True
        remembered = QRect(area.topLeft(), DEFAULT_SIZE)
        remembered.moveCenter(area.center())
    window.setGeometry(clamp(remembered, area))
    if maximized:
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)


def keep_inside(window: QWidget) -> None:
    """Once shown, with the frame the window system really drew: moved (or shrunk) into the free area."""
    if window.isMaximized() or window.isFullScreen():
        return
    area = client_area(free_area(window), margins_of(window))
    fitted = clamp(window.geometry(), area)
    if fitted != window.geometry():
        window.setGeometry(fitted)


def fit_dialog(dialog: QWidget) -> None:
    """Shrink the dialog to the free area if it is larger, and move it inside: its buttons stay on screen.
    A dialog whose content cannot shrink so far scrolls it (see the person form)."""
    area = client_area(free_area(dialog.parentWidget() or dialog), margins_of(dialog))
    geometry = dialog.geometry()
    fitted = clamp(geometry, area)
    if fitted != geometry:
        dialog.setGeometry(fitted)


class ScreenDialog(QDialog):
    """The program's dialogs: each fits itself into the free area as it is shown, so its buttons never sit
    under the taskbar, and F1 in it opens the manual at its section (ui.manual.f1_pressed). Both are the
    dialog's own, not an application-wide event filter's: such a filter wraps every object Qt sends an event
    to, also those Qt builds, deletes or is still constructing, and that crashed PySide."""

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        fit_dialog(self)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        from ui.manual import f1_pressed  # the manual's dialog is a ScreenDialog too

        if not f1_pressed(self, event):
            super().keyPressEvent(event)


class _FitOnShow(QObject):
    """Fits the one dialog it belongs to (its parent) as it is shown: for the file choosers and message
    boxes the program builds as Qt's own classes."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and watched is self.parent():
            fit_dialog(self.parent())  # type: ignore[arg-type]
        return False


def fitted(dialog: D) -> D:
    """The dialog, fitted into the free area whenever it is shown; the fitter lives and dies with it."""
    dialog.installEventFilter(_FitOnShow(dialog))
    return dialog

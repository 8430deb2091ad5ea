"""Python's cyclic garbage collector runs in whichever thread happens to allocate when its threshold is
crossed. When that is a worker thread (ui.tasks: a report, a package, a backup) and the garbage holds Qt
objects of the window (a closed dialog, a road, their signal connections), Qt deletes them from the wrong
thread and the program crashes later in the event loop (seen once in the whole test suite: a 上报包 written
in the background while the previous test's dialogs were garbage). So the window collects on its own thread:
automatic collection off, the young generations collected on a timer, everything now and then. Reference
counting, which frees most objects at once, is untouched."""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

YOUNG_MS = 1000  # a collection of the young generations takes well under a millisecond
WHOLE_EVERY = 30  # a whole collection every 30 young ones


class GuiThreadCollector(QObject):
    """Owns the timer; made once with the application (its parent), on the GUI thread."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._ticks = 0
        self._timer = QTimer(self)
        self._timer.setInterval(YOUNG_MS)
        self._timer.timeout.connect(self.collect)
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def collect(self) -> int:
        """One collection on this (the GUI) thread: the young generations, or every generation each
        WHOLE_EVERY-th time. Returns what was found unreachable."""
        self._ticks += 1
        return gc.collect() if self._ticks % WHOLE_EVERY == 0 else gc.collect(1)


def collect_on_gui_thread(app: QObject) -> GuiThreadCollector:
    """Turn the automatic collector off for the process and collect on app's thread from now on (the
    collector is made once)."""
    gc.disable()
    found = app.findChild(GuiThreadCollector)
    return found if isinstance(found, GuiThreadCollector) else GuiThreadCollector(app)

"""Long jobs (import, printing, export, backup) off the GUI thread, with one progress dialog and one place
that turns errors into messages: every screen gets a window that never freezes and the same wording.

The job is a plain function of a Progress; it opens its own session (db.transaction()) in the worker
thread, returns a result, and on_done receives that result back on the GUI thread.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QWidget

from app import paths
from app.errors import CanlianError

log = logging.getLogger("canlian.ui")

T = TypeVar("T")

_EMIT_EVERY = 0.05  # seconds between progress updates: a per-row callback must not flood the GUI thread
_SHOW_AFTER_MS = 300  # a job that ends sooner never flashes a dialog


class TaskCancelled(Exception):
    """Raised by Progress.check() once the clerk pressed 取消; the job stops and nothing is reported."""


class Progress:
    """What a job uses to report how far it is: progress(done, total) or progress.say(text)."""

    def __init__(self, task: Task[Any]) -> None:
        self._task = task
        self._cancel = threading.Event()
        self._last = 0.0

    def __call__(self, done: int, total: int, text: str = "") -> None:
        """Report done of total (total 0 means "unknown": the dialog stays busy)."""
        now = time.monotonic()
        if done < total and now - self._last < _EMIT_EVERY and not text:
            return
        self._last = now
        self._task.progressed.emit(int(done), int(total), text)

    def say(self, text: str) -> None:
        """Change the sentence over the bar without a count."""
        self._task.progressed.emit(-1, -1, text)

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        """Stop here if the clerk pressed 取消 (only jobs started with cancellable=True offer it)."""
        if self._cancel.is_set():
            raise TaskCancelled

    def cancel(self) -> None:
        self._cancel.set()


class _Runner(QRunnable):
    def __init__(self, task: Task[Any]) -> None:
        super().__init__()
        self._task = task

    def run(self) -> None:
        task = self._task
        try:
            result = task.func(task.progress)
        except BaseException as exc:  # handed to the GUI thread, which decides how to tell the clerk
            task.failed.emit(exc)
        else:
            task.succeeded.emit(result)


class Task(QObject, Generic[T]):
    """One running job. Lives in the GUI thread; its signals arrive there, queued from the worker."""

    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        func: Callable[[Progress], T],
        on_done: Callable[[T], None],
        on_error: Callable[[BaseException], None] | None,
        cancellable: bool,
    ) -> None:
        super().__init__()
        self.parent_widget = parent
        self.title = title
        self.func = func
        self.on_done = on_done
        self.on_error = on_error
        self.progress = Progress(self)
        self.finished = False
        self.result: T | None = None
        self.error: BaseException | None = None
        self.focus = QApplication.focusWidget()  # where the keys went before the box came up
        self.dialog = _progress_dialog(parent, title, cancellable)
        if cancellable:
            self.dialog.canceled.connect(self._cancel)
        self.progressed.connect(self._on_progress)
        self.succeeded.connect(self._on_succeeded)
        self.failed.connect(self._on_failed)

    @Slot()
    def _cancel(self) -> None:
        self.progress.cancel()
        self.dialog.setLabelText("正在取消，请稍候……")

    @Slot(int, int, str)
    def _on_progress(self, done: int, total: int, text: str) -> None:
        if text:
            self.dialog.setLabelText(text)
        if done < 0:
            return
        self.dialog.setMaximum(max(total, 0))
        if total > 0:
            self.dialog.setValue(min(done, total))

    def _close_dialog(self) -> None:
        """Take the progress box away for good before any message is shown. hide() alone leaves its
        show-delay timer running: a job done within the delay had the box pop up (modal, no button) over
        the message that followed, each waiting for the other; deleteLater does not run until that
        message's own event loop ends. reset() stops the timer."""
        self.finished = True
        _running.discard(self)
        self.dialog.done_with_job = True
        self.dialog.reset()
        self.dialog.hide()
        self.dialog.deleteLater()
        _give_focus_back(self.focus)

    @Slot(object)
    def _on_succeeded(self, result: T) -> None:
        self._close_dialog()
        self.result = result
        self.on_done(result)

    @Slot(object)
    def _on_failed(self, exc: BaseException) -> None:
        self._close_dialog()
        self.error = exc
        if isinstance(exc, TaskCancelled):
            return
        tell_failure(self.parent_widget, self.title, exc)
        if self.on_error is not None:
            self.on_error(exc)


def _give_focus_back(widget: QWidget | None) -> None:
    """The box gone, the keys go where they went before it (without a window manager, or when the box
    was the active window, nothing would have the focus and the clerk's next key would be lost)."""
    if QApplication.focusWidget() is not None or widget is None or not shiboken6.isValid(widget):
        return
    if not widget.isVisible():  # a button the finished step hid (下一步 on the last page): its window
        widget = widget.window()
    widget.activateWindow()
    widget.setFocus(Qt.FocusReason.OtherFocusReason)


def tell_failure(parent: QWidget | None, title: str, exc: BaseException) -> None:
    """The one place an error reaches the clerk: a refusal of the program's own (CanlianError) as it
    reads, anything else logged with its traceback and said as "操作未完成，数据未改动"."""
    if isinstance(exc, CanlianError):
        QMessageBox.warning(parent, title, str(exc))
    else:
        log.error("%s failed", title, exc_info=(type(exc), exc, exc.__traceback__))
        QMessageBox.critical(parent, title, unexpected_error_text(title))


def unexpected_error_text(title: str) -> str:
    """What the clerk reads when something the program did not expect went wrong."""
    return f"“{title}”操作未完成，数据未改动：程序遇到意外错误，详情见日志 {paths.log_path()}。"


class _ProgressDialog(QProgressDialog):
    """A progress dialog that Esc or the window's close box cannot dismiss while the job cannot stop."""

    def __init__(self, parent: QWidget | None, cancellable: bool) -> None:
        super().__init__(parent)
        self.cancellable = cancellable
        self.done_with_job = False  # once the job has ended, nothing keeps the box open

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and not self.cancellable and not self.done_with_job:
            event.ignore()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.cancellable and not self.done_with_job and self.isVisible():
            event.ignore()
            return
        super().closeEvent(event)


def _progress_dialog(parent: QWidget | None, title: str, cancellable: bool) -> QProgressDialog:
    dialog = _ProgressDialog(parent, cancellable)
    dialog.setWindowTitle(title)
    dialog.setLabelText(f"正在{title}，请稍候……")
    dialog.setRange(0, 0)
    dialog.setMinimumWidth(360)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    if cancellable:
        dialog.setCancelButtonText("取消")
    else:
        dialog.setCancelButton(None)  # type: ignore[arg-type]
    dialog.setMinimumDuration(_SHOW_AFTER_MS)
    dialog.setValue(0)
    return dialog


_running: set[Task[Any]] = set()


def run_task(
    parent: QWidget | None,
    title: str,
    func: Callable[[Progress], T],
    on_done: Callable[[T], None],
    on_error: Callable[[BaseException], None] | None = None,
    *,
    cancellable: bool = False,
) -> Task[T]:
    """Run func(progress) in a worker thread under a progress dialog titled with what the clerk asked for
    (e.g. "导入花名册"); on_done(result) runs on the GUI thread. A CanlianError is shown as it reads, any
    other error is logged with its traceback and shown as "操作未完成，数据未改动"; on_error(exc) runs after
    the message, so the caller can put its screen back. Returns the Task (tests wait on task.finished)."""
    task: Task[T] = Task(parent, title, func, on_done, on_error, cancellable)
    _running.add(task)
    QThreadPool.globalInstance().start(_Runner(task))
    return task


def running_tasks() -> int:
    """How many jobs are still running (the main window asks before closing)."""
    return len(_running)


def wait_for_tasks(timeout_ms: int = 30000) -> bool:
    """Block until every job has finished and delivered its result (for tests and for closing the
    window); True if all finished in time."""
    deadline = time.monotonic() + timeout_ms / 1000
    while _running and time.monotonic() < deadline:
        QThreadPool.globalInstance().waitForDone(20)
        QApplication.processEvents()
    return not _running

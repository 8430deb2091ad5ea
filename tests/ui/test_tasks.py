"""run_task: results come back on the GUI thread, progress shows, errors reach the clerk in Chinese."""

from __future__ import annotations

import logging
import threading
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QWidget,
)

from app.db.engine import Database
from app.errors import InputError
from app.services.register import status_changes
from tests.factories import add_person
from ui.tasks import _SHOW_AFTER_MS, Progress, run_task, running_tasks, wait_for_tasks


@pytest.fixture
def window(qtbot: Any) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, str]]:
    """Every message box the code under test would show, captured instead of blocking."""
    shown: list[tuple[str, str, str]] = []

    def capture(kind: str):  # type: ignore[no-untyped-def]
        def show(_parent: object, title: str, text: str, *_args: object) -> QMessageBox.StandardButton:
            shown.append((kind, title, text))
            return QMessageBox.StandardButton.Ok
        return show

    for kind in ("warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, kind, capture(kind))
    return shown


def test_result_arrives_on_gui_thread_from_a_worker(qtbot: Any, window: QWidget, db: Database) -> None:
    gui_thread = threading.get_ident()
    seen: dict[str, Any] = {}

    def job(progress: Progress) -> int:
        seen["worker"] = threading.get_ident()
        with db.transaction() as session:
            add_person(session, "李四")
        with db.session() as session:
            return status_changes.count_on_register(session)

    def done(count: int) -> None:
        seen["done_thread"] = threading.get_ident()
        seen["count"] = count

    task = run_task(window, "登记", job, done)
    qtbot.waitUntil(lambda: task.finished)
    assert seen["count"] == 1
    assert seen["worker"] != gui_thread
    assert seen["done_thread"] == gui_thread


def test_progress_makes_the_dialog_count(qtbot: Any, window: QWidget) -> None:
    release = threading.Event()

    def job(progress: Progress) -> str:
        progress(3, 10, "正在读取第3行")
        release.wait(10)
        return "好"

    results: list[str] = []
    task = run_task(window, "导入花名册", job, results.append)
    assert task.dialog.maximum() == 0  # busy until the job says how much there is
    qtbot.waitUntil(lambda: task.dialog.maximum() == 10)
    assert task.dialog.value() == 3
    assert task.dialog.labelText() == "正在读取第3行"
    release.set()
    qtbot.waitUntil(lambda: task.finished)
    assert results == ["好"]


def test_input_error_is_shown_as_written(qtbot: Any, window: QWidget, messages: list[Any]) -> None:
    def job(_progress: Progress) -> None:
        raise InputError("文件不是Excel工作簿：请选择 .xlsx 文件。")

    errors: list[BaseException] = []
    done: list[object] = []
    task = run_task(window, "导入花名册", job, done.append, errors.append)
    qtbot.waitUntil(lambda: task.finished)
    assert messages == [("warning", "导入花名册", "文件不是Excel工作簿：请选择 .xlsx 文件。")]
    assert done == []
    assert isinstance(errors[0], InputError)


def test_unexpected_error_is_logged_and_told_plainly(
    qtbot: Any, window: QWidget, messages: list[Any], caplog: pytest.LogCaptureFixture
) -> None:
    def job(_progress: Progress) -> None:
        raise ZeroDivisionError("division by zero")

    with caplog.at_level(logging.ERROR, logger="canlian.ui"):
        task = run_task(window, "打印花名册", job, lambda _r: None)
        qtbot.waitUntil(lambda: task.finished)
    kind, _title, text = messages[0]
    assert kind == "critical"
    assert "操作未完成，数据未改动" in text and "详情见日志" in text
    assert "ZeroDivisionError" in caplog.text  # the traceback is in the log, not in the clerk's face


def test_cancel_stops_a_cancellable_job_quietly(qtbot: Any, window: QWidget, messages: list[Any]) -> None:
    started = threading.Event()

    def job(progress: Progress) -> str:
        started.set()
        for _ in range(1000):
            progress.check()
            threading.Event().wait(0.01)
        return "没取消"

    done: list[str] = []
    task = run_task(window, "导出名单", job, done.append, cancellable=True)
    assert started.wait(10)
    cancel = task.dialog.findChild(QPushButton)
    assert cancel.text() == "取消"
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: task.finished)
    assert done == [] and messages == []


def test_escape_does_not_hide_a_job_that_cannot_stop(qtbot: Any, window: QWidget) -> None:
    release = threading.Event()
    task = run_task(window, "导入花名册", lambda _p: release.wait(10), lambda _r: None)
    task.dialog.show()
    qtbot.keyClick(task.dialog, Qt.Key.Key_Escape)
    assert task.dialog.isVisible() and not task.progress.cancelled
    release.set()
    qtbot.waitUntil(lambda: task.finished)  # and then the dialog goes away (deleted)


def test_wait_for_tasks_returns_once_every_result_is_delivered(window: QWidget) -> None:
    results: list[int] = []
    for n in range(3):
        run_task(window, "计算", lambda _p, n=n: n * n, results.append)
    assert wait_for_tasks()
    assert sorted(results) == [0, 1, 4] and running_tasks() == 0


def _real_message_then_close(qtbot: Any, seen: list[str]) -> None:
    """While the job's message box is up (a real one, in its own event loop), wait past the progress
    box's show delay, note what is on screen, then close the message as the clerk would."""

    def look() -> None:
        progress = [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible()]
        boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
        seen.append(f"progress {len(progress)}, message {len(boxes)}")
        for box in boxes:
            box.done(0)

    QTimer.singleShot(_SHOW_AFTER_MS + 400, look)


@pytest.mark.parametrize(
    ("name", "job"),
    [
        ("at once", lambda _p: "备份已完成"),
        ("fails at once", lambda _p: (_ for _ in ()).throw(InputError("U盘已拔出：请插好后重试。"))),
        ("slow", lambda _p: (threading.Event().wait(_SHOW_AFTER_MS * 3 / 1000), "备份已完成")[1]),
    ],
)
def test_the_message_after_a_job_is_on_top_and_the_window_closes(qtbot: Any, name: str, job: Any) -> None:
    """A job that ends within the progress box's show delay must not leave the box (modal, without a
    button) over its own message: both would wait for each other and the program must be killed."""
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    seen: list[str] = []

    def tell(result: str) -> None:
        _real_message_then_close(qtbot, seen)
        QMessageBox.information(window, "备份", result)

    def tell_error(_exc: BaseException) -> None:
        seen.append("told")

    if name == "fails at once":  # the task's own warning box is the message
        _real_message_then_close(qtbot, seen)
    task = run_task(window, "备份", job, tell, tell_error)
    qtbot.waitUntil(lambda: task.finished and bool(seen), timeout=10000)
    qtbot.waitUntil(lambda: any(s.startswith("progress") for s in seen), timeout=10000)
    assert [s for s in seen if s.startswith("progress")] == ["progress 0, message 1"]
    qtbot.wait(_SHOW_AFTER_MS + 200)  # and the progress box does not come back afterwards either
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible()]
    assert running_tasks() == 0
    assert window.close()

"""The window collects garbage on its own thread (ui.collector): a worker thread's allocations never run a
collection that would delete the window's Qt objects from the wrong thread."""

from __future__ import annotations

import gc
import threading
import weakref
from typing import Any

from ui.collector import GuiThreadCollector, collect_on_gui_thread


class _Cycle:
    me: _Cycle


def test_garbage_is_collected_on_the_gui_thread_and_never_by_a_worker(qapp: Any, qtbot: Any) -> None:
    gc.enable()  # as a program starts
    made_here = qapp.findChild(GuiThreadCollector) is None
    collector = collect_on_gui_thread(qapp)
    assert not gc.isenabled() and collect_on_gui_thread(qapp) is collector
    collected_on_main: list[bool] = []
    garbage = _Cycle()
    garbage.me = garbage  # freed only by the cyclic collector
    weakref.finalize(garbage, lambda: collected_on_main.append(threading.current_thread() is threading.main_thread()))
    del garbage

    def allocate() -> None:  # far past the collector's thresholds (700 new objects start a collection)
        kept = [[] for _ in range(50_000)]
        del kept

    worker = threading.Thread(target=allocate)
    worker.start()
    worker.join()
    assert collected_on_main == []  # the worker ran no collection
    qtbot.waitUntil(lambda: collected_on_main == [True], timeout=3000)  # the GUI thread's timer did
    if made_here:  # the later tests of this process keep their own way (tests/ui/conftest.py)
        collector.stop()
        collector.deleteLater()

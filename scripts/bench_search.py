"""Search, keystroke and start at county size (issue 15, goals 2-4), each beside its floor measured in the
same run: `.venv/bin/python scripts/bench_search.py [--persons N]`.

- search: what the search box finds for each kind of text (pinyin initials, full pinyin, a surname, a
  given-name character, ID digits, a village), 200 rows with their columns, through the program's search
  function; floor: plain sqlite3 on the same file with the program's page cache, the best query written by
  hand for the same rows in the same order (FTS5 or an index range in the list's order) plus the same row read;
- keystroke: the register list updated after the search box's pause in typing (the query, the model, the
  view repainted), median and slowest over what clerks type; floor: a bare QTableView over a plain model of
  200 ready rows, reset and repainted;
- start: a fresh process to a usable window with the register's first page, and to its first search
  answered (typed as soon as the window shows: the window is usable only when typing answers), and its
  memory; floor: a bare PySide6 window with a table of 200 rows, in a fresh process.

Prints one Markdown row per figure on stdout; progress on stderr. Never fails on time."""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench_common import PERSONS, ROOT, compiled_program, environment, register, say

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPEAT = 30
TYPED = ["z", "zs", "zsm", "l", "li", "lix", "w", "wa", "wang", "6209", "1234", "19851", "张", "明", "王明"]
_ROWS = """
select p.id, p.name, p.sex, p.id_number, p.certificate_number, p.category, p.grade,
       coalesce(v.name, ''), coalesce(g.name, ''), p.status, p.phone, p.birth_date,
       coalesce(h.dibao, 0), p.self_care, coalesce(h.tekun, 0), coalesce(h.low_income, 0)
from person p
left join village v on v.id = p.village_id
left join village_group g on g.id = p.group_id
left join household h on h.id = p.household_id
where p.id in ({marks})
"""
# the best plain query for each kind, read as the list shows it: those 在册 (listed 0) by pinyin and id, then
# the others; each part is an index range in that order, or small, merged by SQLite
_OTHERS = "('迁出', '死亡', '注销')"
_LETTERS = """
select person_id, pinyin from person_search_key where kind = 'i' and key = :t and listed = :listed
union select id, pinyin from person where status {status} and pinyin >= :t and pinyin < :t || char(1114111)
order by pinyin, person_id limit :n"""
_NAME = """
select person_id, pinyin from person_search_key where kind = 'c' and key = :last and listed = :listed
       and name like '%' || :t || '%'
union select id, pinyin from person where status {status}
      and village_id in (select id from village where name >= :t and name < :t || char(1114111))
order by pinyin, person_id limit :n"""
_DIGITS = """
select id from person where id in (select rowid from person_id_digits where person_id_digits match :quoted)
       and coalesce(status, '') {status} order by pinyin, id limit :n"""


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms" if seconds < 0.1 else f"{seconds * 1000:.0f} ms"


def line(what: str, program: str, floor: str, ratio: float | None, goal: str) -> None:
    shown = f"{ratio:.1f}×" if ratio is not None else "—"
    print(f"| {what} | {program} | {floor} | {shown} | {goal} |", flush=True)


def median_of(run: Callable[[], object], repeat: int = REPEAT) -> float:
    run()  # warm
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def medians_in_turn(program: Callable[[], object], floor: Callable[[], object], repeat: int = REPEAT,
                    warm: int = 5) -> tuple[float, float]:
    """The medians of the program's and the floor's times, each run warmed a few times and then timed in
    turn (program, floor, program, …): a drift of the machine's speed, or of the caches, falls on both
    alike (timed one after the other, a first series ran up to twice its later runs' time here)."""
    for _ in range(warm):
        program()
        floor()
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for run, kept in ((program, times[0]), (floor, times[1])):
            started = time.perf_counter()
            run()
            kept.append(time.perf_counter() - started)
    return statistics.median(times[0]), statistics.median(times[1])


def plain(conn: sqlite3.Connection, text: str) -> list[int]:
    """The floor: the ids in display order by the best hand-written query, then their rows."""
    if text.isdigit():
        sql, params = _DIGITS, {"quoted": f'"{text}"'}
    elif text.isascii() and text.isalpha():
        sql, params = _LETTERS, {"t": text.lower()}
    else:
        sql, params = _NAME, {"t": text, "last": text[-1]}
    ids: list[int] = []
    for listed, status in ((0, "= '在册'"), (1, f"in {_OTHERS}")):
        if len(ids) < 200:
            part = {**params, "listed": listed, "n": 200 - len(ids)}
            ids += [r[0] for r in conn.execute(sql.format(status=status), part)]
    by_id = {r[0]: r for r in conn.execute(_ROWS.format(marks=",".join("?" * len(ids))), ids)}
    return [by_id[i][0] for i in ids]


def bench_search(path: Path) -> None:
    from app.db.engine import PAGE_CACHE_KIB, open_database
    from app.services.register import search

    with open_database(path, lock=False) as db, db.session() as session:
        conn = sqlite3.connect(path)
        conn.execute(f"pragma cache_size=-{PAGE_CACHE_KIB}")  # the program's page cache: the floor gets it too
        village = conn.execute("select name from village order by id limit 1").fetchone()[0]
        for text in ["zs", "zhang", "张", "明", "1985", "0157", village]:
            ours = [r.id for r in search.search(session, text, limit=200)]
            theirs = plain(conn, text)
            if ours != theirs:
                say(f"search {text!r}: the program and the floor differ ({len(ours)} / {len(theirs)} rows)")
            program, floor = medians_in_turn(lambda t=text: search.search(session, t, limit=200),  # type: ignore[misc]
                                             lambda t=text: plain(conn, t))  # type: ignore[misc]
            line(f"search '{text}' ({len(ours)} rows)", ms(program), ms(floor), program / floor, "≤ 2× and < 5 ms")
        conn.close()


def bench_keystroke(path: Path) -> None:
    from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QTableView

    from ui import style
    from ui.main_window import MainWindow
    from ui.road import Road

    app = QApplication.instance() or QApplication(sys.argv[:1])
    style.apply_fonts(app, large=False)  # type: ignore[arg-type]
    road = Road.open(path)
    window = MainWindow(road, remember=False, backups=False)
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    tab = window.register_tab
    # the list's drawing area, taken once: the first call of viewport() from Python makes PySide create the
    # Python types of 53 Qt enums (0.1 s), a cost of this script's own call that the window never pays
    viewport = tab.table.viewport()
    times = []
    for text in TYPED * 3:
        tab.search_edit.clear()
        tab.apply_filter()
        app.processEvents()
        QTest.keyClicks(tab.search_edit, text) if text.isascii() else tab.search_edit.setText(text)
        started = time.perf_counter()
        tab.apply_filter()  # what the box's timer runs once typing pauses
        viewport.repaint()
        times.append(time.perf_counter() - started)
        app.processEvents()  # the count follows once idle: not part of the updated list
    window.close()
    road.close()

    rows = [tuple(f"{r}-{c}" for c in range(12)) for r in range(200)]

    class Plain(QAbstractTableModel):
        def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
            return len(rows)

        def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
            return 12

        def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
            return rows[index.row()][index.column()] if role == Qt.ItemDataRole.DisplayRole else None

        def again(self) -> None:
            self.beginResetModel()
            self.endResetModel()

    model = Plain()
    view = QTableView()
    view.setModel(model)
    view.resize(1280, 700)
    view.show()
    app.processEvents()

    bare_viewport = view.viewport()

    def bare() -> None:
        model.again()
        bare_viewport.repaint()

    floor = median_of(bare)
    view.close()
    median, slowest = statistics.median(times), max(times)
    line("keystroke to updated list, median", ms(median), ms(floor), median / floor, "< 20 ms")
    line("keystroke to updated list, slowest", ms(slowest), ms(floor), slowest / floor, "< 50 ms")


_BARE = """
import sys, time, resource
from PySide6.QtWidgets import QApplication, QMainWindow, QTableWidget, QTableWidgetItem
app = QApplication(sys.argv[:1])
window = QMainWindow()
table = QTableWidget(200, 12)
for r in range(200):
    for c in range(12):
        table.setItem(r, c, QTableWidgetItem(f"{r}-{c}"))
window.setCentralWidget(table)
window.resize(1280, 800)
window.show()
app.processEvents()
now = time.time()
print(now, now, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""
_PROGRAM = """
import sys, time, resource
from pathlib import Path
from PySide6.QtWidgets import QApplication
from ui import style
from ui.main_window import MainWindow
from ui.road import Road
app = QApplication(sys.argv[:1])
style.apply_fonts(app, large=False)
road = Road.open(Path(sys.argv[1]), check_later=True)  # as ui.app.run_gui opens it
window = MainWindow(road, remember=False, backups=False)
window.show()
road.check_whole_later()
app.processEvents()
assert window.register_tab.model.rowCount() == 200
shown = time.time()
# usable: the clerk types at once; the list answers (what the search box's timer runs once typing pauses)
tab = window.register_tab
tab.search_edit.setText(sys.argv[2])
tab.apply_filter()
app.processEvents()
assert tab.model.person_filter.text == sys.argv[2] and tab.model.rowCount() > 0
print(shown, time.time(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
window.close()
road.close()
"""


FIRST_SEARCH = "zhang"  # typed at once after the window shows: a common surname's pinyin, a full page of rows


def _start(program: str, *args: str) -> tuple[float, float, float]:
    """Seconds from launching a fresh process to its window shown, to its first search answered (the same
    for the bare window, which has none), and its peak memory in MB."""
    launched = time.time()
    done = subprocess.run([sys.executable, "-c", program, *args], cwd=ROOT, env=environment(),
                          capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"start failed: {done.stderr.strip()[-800:]}")
    shown, answered, peak_kb = done.stdout.split()[-3:]
    return float(shown) - launched, float(answered) - launched, float(peak_kb) / 1024


def _seconds(value: float) -> str:
    return ms(value) if value < 1 else f"{value:.2f} s"


def bench_start(path: Path, runs: int) -> None:
    """Program and bare window started in turn (so that a busy moment of the machine falls on both)."""
    program, bare = [], []
    for _ in range(runs):
        program.append(_start(_PROGRAM, str(path), FIRST_SEARCH))
        bare.append(_start(_BARE))
    seconds = statistics.median(s for s, _, _ in program)
    answered = statistics.median(a for _, a, _ in program)
    floor = statistics.median(s for s, _, _ in bare)
    memory = max(m for _, _, m in program)
    floor_memory = max(m for _, _, m in bare)
    line("start to a usable window with the first page", _seconds(seconds), ms(floor), seconds / floor, "≤ 3×")
    line(f"start to the first search answered ('{FIRST_SEARCH}' typed at once)", _seconds(answered), ms(floor),
         answered / floor, "≤ 3×")
    line("start: memory", f"{memory:.0f} MB", f"{floor_memory:.0f} MB", memory / floor_memory, "≤ 150 MB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="查找、输入、启动速度测试")
    parser.add_argument("--persons", type=int, default=PERSONS)
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--only", choices=["search", "keystroke", "start"], help="只测这一项")
    args = parser.parse_args(argv)
    path = register(args.persons)
    compiled_program()
    say(f"register: {path}")
    if args.only in (None, "search"):
        bench_search(path)
    if args.only in (None, "keystroke"):
        bench_keystroke(path)
    if args.only in (None, "start"):
        bench_start(path, args.starts)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

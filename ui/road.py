"""The window's one road to the data (Anki's CollectionOp made small): every screen asks the road to run a
named service function (app.services.actions) and never touches the store itself. This is the only module
under ui/ that imports app.db (tests/ui/test_layers.py holds every other one to that).

- ``read(query, …)``: a short read on the GUI thread; returns plain values.
- ``write(action, …)``: a short write on the GUI thread, in one transaction audited as the clerk; then
  ``changed`` says what changed.
- reads, writes and long work are run again, a few times with a growing pause, when another clerk's work
  held the data at that moment (SQLite busy, PostgreSQL serialization failure or deadlock, a person saved
  by another clerk between this save's read and its write); still held up, the clerk is told so in one
  sentence (StoreBusy), never a traceback.
- ``attempt(parent, title, action, …)``: ``write`` that tells the clerk a refusal in the one place errors
  are told (ui.tasks.tell_failure) and returns None instead of raising.
- ``run(parent, title, work, …, on_done=…)``: anything long (an action, query or job marked long) off the
  GUI thread under a progress box; its progress keyword is filled in; ``changed`` after it succeeds.
- ``run_closed(parent, title, work, …, on_done=…)``: work that needs the database file to itself (a
  restore): the store is closed, work(path, …) runs off the GUI thread, the file is opened again whatever
  happened, and every screen is told (Changes.ALL).
- ``Road.open(where)`` (and ``open_store``): the window opens its database here and nowhere else: a file's
  path, or a PostgreSQL server's URL (a county office's shared register: no file lock, no SQLite check,
  no automatic file backups; ``on_server`` says which, ``where`` says it in the clerk's words).
- ``watch()``: every few seconds a quiet look for changes another clerk made (another program on the same
  register); ``changed`` tells every screen what they changed, as after this window's own writes, which
  are not told twice.

Work that grows with the register is marked long where it is defined, and the road refuses to run it on
the GUI thread: a window that freezes is a programming error caught by the tests, not a clerk's wait.
"""

from __future__ import annotations

import inspect
import logging
import random
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from app.db import sqlite_file
from app.db.engine import Database, default_actor, is_transient, open_database
from app.db.server import PasswordRefused
from app.errors import CanlianError, StoreBusy
from app.services import watch
from app.services.actions import Action, Changes, Job, Query
from ui.tasks import Progress, Task, run_task, tell_failure

log = logging.getLogger("canlian.ui")

P = ParamSpec("P")
R = TypeVar("R")
Work = Action[Any, Any] | Query[Any, Any] | Job[Any, Any]

ATTEMPTS = 5  # work held up by another clerk is tried this many times in all
_PAUSE = 0.05  # seconds before the second try, doubled each time (with some jitter, so two clerks' programs
# held up by each other do not try again in step)


WATCH_MS = 5000  # how often the window looks for another clerk's changes (a look is one read of an index)


__all__ = ["PasswordRefused", "Road", "keep_server_password", "open_store", "server_address", "server_login",
           "server_options", "server_parts", "try_server", "where_said"]


class LongWorkOnGuiThread(RuntimeError):
    """Work marked long was asked for on the GUI thread: use Road.run."""


def open_store(where: Path | str, *, quick_check: bool = True, password: str | None = None) -> Database:
    """The register the window opens: the database file at a path (checked, migrated after keeping a copy,
    locked: app.db.engine.open_database raises DamagedDatabase or DatabaseError with the sentence to show),
    with SQLite's planner statistics brought up to date when the register's size changed since they were
    kept; or the register on a server named by a postgresql:// URL (app.db.server.open_server: password is
    the one the clerk typed, if any; PasswordRefused when the server asks for one)."""
    from app.services.register.statistics import keep_register_statistics

    if isinstance(where, str):
        from app.db.server import open_server

        return open_server(where, password=password)  # the server keeps its own statistics
    db = open_database(where, quick_check=quick_check)
    try:
        keep_register_statistics(db)
    except BaseException:
        db.close()
        raise
    return db


# --- the county's server, as the window reaches it (connect dialog, password dialog) -----------------------
def try_server(url: str, password: str | None = None) -> str:
    """测试连接: one sentence saying what is on the server (app.db.server.probe_server); nothing changed."""
    from app.db.server import probe_server

    return probe_server(url, password)


def keep_server_password(url: str, password: str) -> None:
    """在本机记住密码: the same credential store as `canlian sign-in` (app.db.credentials); DatabaseError in one
    sentence when this PC has none."""
    from app.db.credentials import keep_password
    from app.db.server import server_url

    keep_password(server_url(url), password)


def where_said(url: str) -> str:
    """Where a server's URL connects, in the clerk's words (app.db.server.described): never a password."""
    from app.db.server import described

    return described(url)


def server_login(url: str) -> str:
    """The login name written in a server's URL ("" if none)."""
    from app.db.server import server_url

    return server_url(url).username or ""


def server_parts(url: str) -> tuple[str, int, str, str]:
    """(host, port, database, login) of a server's URL, for the connect dialog's fields."""
    from app.db.server import DEFAULT_PORT, server_url

    parts = server_url(url)
    return parts.host or "", parts.port or DEFAULT_PORT, parts.database or "", parts.username or ""


def server_address(host: str, port: int, database: str, login: str,
                   options: dict[str, str] | None = None) -> str:
    """The URL of the connect dialog's fields (no password: that goes to the server, or the credential
    store, never into a URL that is remembered or shown); options: libpq's URL parameters (sslmode=require)."""
    from sqlalchemy.engine import URL

    from app.db.server import shown

    return shown(URL.create("postgresql", username=login or None, host=host, port=port, database=database,
                            query=options or {}))


def server_options(url: str) -> dict[str, str]:
    """libpq's parameters written in a server's URL (sslmode=require, sslrootcert=…), kept by the connect
    dialog when the clerk changes only the fields."""
    from app.db.server import server_url

    return {key: value if isinstance(value, str) else value[-1] for key, value in server_url(url).query.items()}


class Road(QObject):
    """The open store as the window sees it: reads, writes and long work, and one signal of what changed."""

    changed = Signal(object)  # Changes, once per write that succeeded
    damaged = Signal()  # the file failed SQLite's quick check run while the window showed (check_later)
    _checked = Signal(bool)  # from the checking thread: delivered on the GUI thread

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._checked.connect(self._on_checked)
        self._poll = QTimer(self)
        self._poll.timeout.connect(self.look_for_others)
        self._seen_row: int | None = None  # the audit log's last row at the last look (None: not known yet)
        self._seen_own = 0  # the audit rows this store had written by then

    @classmethod
    def open(cls, where: Path | str, parent: QObject | None = None, *, check_later: bool = False,
             password: str | None = None) -> Road:
        """The road over the database file at a path or the register on a server (see open_store for what is
        refused, and how), watching for other clerks' changes. check_later: SQLite's quick check is left to
        check_whole_later (the window shows meanwhile)."""
        road = cls(open_store(where, quick_check=not check_later, password=password), parent)
        road.watch()
        return road

    # --- other clerks' changes ------------------------------------------------------------------
    def watch(self, every_ms: int = WATCH_MS) -> None:
        """Look every every_ms for changes another clerk (another program on this register) made, and tell
        every screen what they changed (``changed``), as after a write of this window."""
        self._remember_seen()
        self._poll.start(every_ms)

    def is_watching(self) -> bool:
        return self._poll.isActive()

    def _remember_seen(self) -> None:
        """Where the audit log ends now; not known when the file cannot be read at this moment (a damaged
        file the window opened before its check): the next look then only learns where it ends."""
        self._seen_own = self._db.own_audit_rows
        try:
            self._seen_row = watch.last_audit_row(self._db)
        except Exception as exc:  # noqa: BLE001 - told by the check or the next read, not by the watching
            log.info("the audit log's end could not be read (%s): learnt at the next look", type(exc).__name__)
            self._seen_row = None

    def look_for_others(self) -> Changes:
        """One quiet look (what the timer does): the audit rows since the last look that this window's own
        writes do not account for are another clerk's; ``changed`` is emitted with the parts they touched.
        A register that cannot be read at this moment is looked at next time; nothing is told."""
        own = self._db.own_audit_rows  # read first: an own write committed meanwhile only reads again
        try:
            latest = watch.last_audit_row(self._db)
            ours = own - self._seen_own
            if self._seen_row is None:  # where the log ended was not known: from here on
                changes = Changes.NOTHING
            elif latest < self._seen_row:  # fewer rows than seen: another register (a restore) is here now
                changes = Changes.ALL
            elif latest - self._seen_row > ours:
                changes = watch.changed_since(self._db, self._seen_row)
            else:
                changes = Changes.NOTHING
        except Exception as exc:  # noqa: BLE001 - a busy or closed store: the next look sees it all
            log.info("looking for other clerks' changes failed (%s): next time", type(exc).__name__)
            return Changes.NOTHING
        self._seen_row, self._seen_own = latest, own
        if changes != Changes.NOTHING:
            log.info("another clerk changed %s", changes)
            self.changed.emit(changes)
        return changes

    def check_whole_later(self) -> threading.Thread | None:
        """SQLite's quick check of the open file on a thread of its own (a second for a county's register):
        `damaged` is emitted on the GUI thread if the file fails it. None on a server: its database is the
        server's to keep whole."""
        if self._db.on_server:
            return None
        path = self._db.path
        worker = threading.Thread(target=lambda: self._checked.emit(sqlite_file.is_whole(path, live=True)),
                                  name="quick_check", daemon=True)
        worker.start()
        return worker

    def _on_checked(self, whole: bool) -> None:
        if not whole:
            log.error("the database failed the quick check run after opening")
            self.damaged.emit()

    # --- the store ------------------------------------------------------------------------------
    @property
    def path(self) -> Path:
        """The database file (backups beside it, the restore): a file's only. On a server it raises
        DatabaseError with the sentence to tell; the window disables what needs it there (on_server)."""
        return self._db.path

    @property
    def on_server(self) -> bool:
        """The register is on a PostgreSQL server, not in a file on this PC."""
        return self._db.on_server

    @property
    def where(self) -> str:
        """A file's path, or the server's URL without its password: what the window reopens next time."""
        if self._db.on_server:
            from app.db.server import without_password

            return without_password(self._db.where)
        return str(self._db.path)

    @property
    def where_said(self) -> str:
        """Where the register is, in the clerk's words (the status bar): never a password."""
        if self._db.on_server:
            from app.db.server import described

            return described(self._db.where)
        return f"数据文件：{self._db.path}"

    @property
    def identity(self) -> str:
        """This register's own identity (its backups are told from another register's by it)."""
        return self._db.identity

    @property
    def clerk(self) -> str:
        return self._db.actor

    def set_clerk(self, name: str) -> None:
        """Every write from now on is audited as name (the 经办人 of 单位信息; the login name without one)."""
        self._db.actor = name.strip() or default_actor()

    def replace_store(self, db: Database) -> None:
        """The window goes on over another store (the restored file; the server or file chosen in 连接单位数据库):
        the old store is closed, and every screen reads the new one (Changes.ALL)."""
        old, self._db = self._db, db
        if old is not db:
            old.close()
        if self._poll.isActive():
            self._remember_seen()
        self.changed.emit(Changes.ALL)

    def close(self) -> None:
        self._poll.stop()
        self._db.close()

    # --- reads and writes -----------------------------------------------------------------------
    def read(self, query: Query[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        _refuse_long(query)
        return _with_retries(lambda: query(self._db, *args, **kwargs), query)

    def write(self, action: Action[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        _refuse_long(action)
        result = _with_retries(lambda: action(self._db, *args, **kwargs), action)
        self.changed.emit(action.changes)
        return result

    def attempt(self, parent: QWidget | None, title: str, action: Action[P, R], *args: P.args,
                **kwargs: P.kwargs) -> R | None:
        """write, with a refusal told to the clerk under title (their words for what they asked for)."""
        try:
            return self.write(action, *args, **kwargs)
        except LongWorkOnGuiThread:
            raise
        except Exception as exc:  # noqa: BLE001 - told in the one place, as every other error
            tell_failure(parent, title, exc)
            return None

    def run(self, parent: QWidget | None, title: str, work: Work, *args: Any, on_done: Callable[[Any], None],
            on_error: Callable[[BaseException], None] | None = None, cancellable: bool = False,
            **kwargs: Any) -> Task[Any]:
        """work(store, *args, **kwargs) in a worker thread under a progress box titled title; on_done(result)
        then runs on the GUI thread, after ``changed`` has told every screen. A work that takes a progress
        keyword gets the box's Progress."""
        takes_progress = "progress" in inspect.signature(_body(work)).parameters
        db = self._db

        def in_worker(progress: Progress) -> Any:
            if takes_progress:
                kwargs["progress"] = progress
            return _with_retries(lambda: work(db, *args, **kwargs), work)

        def done(result: Any) -> None:
            if work.changes != Changes.NOTHING:
                self.changed.emit(work.changes)
            on_done(result)

        return run_task(parent, title, in_worker, done, on_error, cancellable=cancellable)

    def run_closed(self, parent: QWidget | None, title: str, work: Callable[..., R], *args: Any,
                   on_done: Callable[[R], None], **kwargs: Any) -> Task[R]:
        """work(path, *args, **kwargs) off the GUI thread while the store is closed (a restore needs the
        file to itself); on_done(result) or the error told in the one place; then the file is opened again
        (whatever happened: a refused restore left it as it was) and every screen told (Changes.ALL)."""
        path = self._db.path
        watching = self._poll.isActive()
        self._poll.stop()  # nothing to look at while the file is closed
        self._db.close()

        def reopen() -> None:
            self.replace_store(open_store(path))
            if watching:
                self.watch(self._poll.interval())

        def done(result: R) -> None:
            on_done(result)
            reopen()

        return run_task(parent, title, lambda _progress: work(path, *args, **kwargs), done,
                        lambda _exc: reopen())

    def notify(self, changes: Changes) -> None:
        """Tell every screen that data changed outside a write of the road (another clerk, a restore)."""
        self.changed.emit(changes)


def _body(work: Work) -> Callable[..., Any]:
    return work.work if isinstance(work, Job) else work.in_session


def _refuse_long(work: Work) -> None:
    if work.long:
        raise LongWorkOnGuiThread(f"{work!r} grows with the register: run it with Road.run, off the GUI thread")


def _with_retries(call: Callable[[], R], work: Work) -> R:
    """call(), again after a short pause while another clerk's work held the data (SQLite busy, PostgreSQL's
    serialization failure or deadlock, a versioned row changed under this save: app.db.engine.is_transient).
    The work owns its transaction, so a refused try left nothing behind. Held up through every try: the
    clerk is told so in one sentence (StoreBusy), never shown a traceback."""
    pause = _PAUSE
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return call()
        except CanlianError:
            raise
        except Exception as exc:
            if not is_transient(exc):
                raise
            if attempt == ATTEMPTS:
                log.warning("%r met another writer %d times: given up", work, ATTEMPTS)
                raise StoreBusy() from exc
            log.info("%r met another writer (try %d of %d): trying again", work, attempt, ATTEMPTS)
            time.sleep(pause * random.uniform(0.5, 1.5))
            pause *= 2
    raise AssertionError("unreachable")  # the loop returns or raises

"""Opening the database: a file (SQLite, the default) or a PostgreSQL server named by a URL.

A file: a read-only look first (ours? which schema? whole?), then the pragmas, the one-program lock, and
migrations with a copy kept first. The SQLite file itself: app.db.sqlite_file. A server: app.db.server
(no file, no lock, no pragmas; the same migrations, in one transaction)."""

from __future__ import annotations

import ast
import datetime as dt
import functools
import getpass
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, insert, inspect, select, text
from sqlalchemy.exc import DatabaseError as SqlDatabaseError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from app.db import audit, schema, sqlite_file  # noqa: F401 - schema: every table known before the first session
from app.db.lock import FileLock
from app.db.models import Setting
from app.errors import DamagedDatabase, DatabaseError

if TYPE_CHECKING:
    from alembic.config import Config

_MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    return cfg


@functools.cache
def _revisions() -> dict[str, tuple[str, ...]]:
    """Each revision of migrations/versions and those it follows, read from the files' own assignments:
    opening a register whose schema is current needs no more than this, so Alembic's machinery (a third of
    a second at start) loads only when there is migrating to do."""
    chain: dict[str, tuple[str, ...]] = {}
    for script in sorted((_MIGRATIONS / "versions").glob("*.py")):
        text = script.read_text(encoding="utf-8")
        # the assignments come before the first function: parsing only that head takes 3 ms at start where
        # the whole files took 34; a file that assigns later is parsed whole
        values = _assigned(text.split("\ndef ", 1)[0]) or _assigned(text)
        if isinstance(values.get("revision"), str):
            down = values.get("down_revision")
            chain[values["revision"]] = tuple(down) if isinstance(down, (tuple, list)) else (down,) if down else ()
    return chain


def _assigned(source: str) -> dict[str, Any]:
    """The values a migration's source assigns to revision and down_revision at its top level."""
    values: dict[str, Any] = {}
    for node in ast.parse(source).body:
        target = node.targets[0] if isinstance(node, ast.Assign) and len(node.targets) == 1 else None
        if isinstance(node, ast.Assign) and isinstance(target, ast.Name) and target.id in ("revision",
                                                                                           "down_revision"):
            values[target.id] = ast.literal_eval(node.value)
    return values


def known_revision(revision: str) -> bool:
    """Whether this version of the program knows the schema revision (a newer program's is unknown)."""
    return revision in _revisions()


def head_revision() -> str:
    chain = _revisions()
    followed = {down for downs in chain.values() for down in downs}
    heads = [rev for rev in chain if rev not in followed]
    assert len(heads) == 1, heads
    return heads[0]


# SQLite's page cache of a connection, in KiB (negative: a size, not a page count). The default 2 MB holds
# 500 pages: a search whose matches lie scattered over a county register (ID digits '1985': 1,229 persons of
# 100,000 to sort by pinyin) then read most of their pages from the operating system again on every keystroke
# (7.4 ms, best of 60); with 16 MB they stay (1.3 ms). It fills only with pages read, and never past the file;
# kept modest, since a report reading the whole register fills it too (the register PDF's goal is 250 MB).
PAGE_CACHE_KIB = 16 * 1024


def _on_connect(dbapi_conn: Any, _record: Any) -> None:
    # pysqlite would begin a transaction only before a write, so a SAVEPOINT could start (and its RELEASE
    # commit) one of its own: let SQLAlchemy emit BEGIN itself (the recipe in SQLAlchemy's SQLite notes).
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.execute(f"PRAGMA cache_size=-{PAGE_CACHE_KIB}")
    cur.close()


def _on_connect_read_only(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # as _on_connect; no journal mode: that would write the file
    dbapi_conn.execute("PRAGMA foreign_keys=ON")
    dbapi_conn.execute(f"PRAGMA cache_size=-{PAGE_CACHE_KIB}")


_WRITES = "canlian_writes"  # a connection's execution option: its transaction is a clerk's write


_KEYS_AT_END = "canlian_keys_at_end"  # the demo's transaction on its new file: foreign keys checked once at its end


def _on_begin(conn: Any) -> None:
    # A write takes SQLite's write lock when it begins (BEGIN IMMEDIATE), so a second clerk's write waits
    # its turn (busy_timeout) instead of reading first and then being refused at its first write, which
    # SQLite does at once, without waiting, when another write came in between (a stale snapshot).
    options = conn.get_execution_options()
    if options.get(_KEYS_AT_END):
        # SQLite honours the pragma only outside a transaction: here, just before BEGIN; back on at checkin
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        conn.info[_KEYS_AT_END] = True
    conn.exec_driver_sql("BEGIN IMMEDIATE" if options.get(_WRITES) else "BEGIN")


def _on_checkin(dbapi_conn: Any, record: Any) -> None:
    # a connection goes back to the pool with its foreign keys enforced again, whatever its transaction did
    if record.info.pop(_KEYS_AT_END, False) and dbapi_conn is not None:
        dbapi_conn.execute("PRAGMA foreign_keys=ON")


def _refuse_broken_keys(session: Session) -> None:
    broken = session.execute(text("PRAGMA foreign_key_check")).fetchall()
    if broken:
        table, rowid, parent, _key = broken[0]
        raise DatabaseError(f"数据关联不完整（{table} 第{rowid}行指向 {parent} 中不存在的记录，共{len(broken)}处），"
                            f"没有写入任何数据：请联系技术人员。")


def make_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    event.listen(engine, "checkin", _on_checkin)
    return engine


def copy_sqlite(src: Path, dest: Path) -> None:
    """A consistent copy of a live SQLite file through SQLite's online backup."""
    with sqlite3.connect(src) as source, sqlite3.connect(dest) as target:
        source.backup(target)
    target.close()
    source.close()


_TRANSIENT_STATES = {"40001", "40P01"}  # PostgreSQL: serialization failure, deadlock detected


def _sqlstate(original: object) -> str | None:
    """The PostgreSQL error code: psycopg 3 calls it sqlstate, psycopg2 pgcode."""
    code = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
    return code if isinstance(code, str) else None


def is_transient(exc: BaseException) -> bool:
    """A write refused only because another writer held the data at that moment: SQLite's busy file,
    PostgreSQL's serialization failure or deadlock, or a versioned row (person, household) that another
    clerk's save changed between this save's read and its UPDATE (StaleDataError). Running the whole action
    again is safe and usually succeeds, or is then refused in the clerk's words (ui/road.py does so)."""
    if isinstance(exc, StaleDataError):
        return True
    if not isinstance(exc, SqlDatabaseError):
        return False
    original = getattr(exc, "orig", None)
    if _sqlstate(original) in _TRANSIENT_STATES:
        return True
    return isinstance(original, sqlite3.OperationalError) and ("locked" in str(original) or "busy" in str(original))


def default_actor() -> str:
    """Who is working when nobody said: the computer's login name (the window names the clerk instead)."""
    try:
        return getpass.getuser() or "本机用户"
    except (KeyError, OSError):  # no such user in the password file (a container, a service account)
        return "本机用户"


class Database:
    """An open database file: hands out sessions, holds the lock until closed. ``actor`` is who works on
    it (the clerk's name in the window, the login name on the command line): every write is audited as
    them."""

    def __init__(self, path: Path | None, engine: Engine, lock: FileLock | None, *, read_only: bool = False,
                 server: str | None = None) -> None:
        self._path = path
        self.server = server  # a server's URL as it may be shown (no password); None for a file
        self.actor = default_actor()
        self.engine = engine
        self.read_only = read_only  # a file this program may not write: reading commands only
        self.identity = register_identity(engine)  # this register's own, whatever the file is called
        self.lock_types = lock
        self._factory = sessionmaker(engine, expire_on_commit=False)
        self._own_rows = 0  # audit rows this store's committed writes left (own_audit_rows)
        self._counting = threading.Lock()  # writes commit on the GUI thread and on workers
        self._check: tuple[threading.Thread, list[bool]] | None = None  # check_meanwhile's, until it says whole

    @property
    def own_audit_rows(self) -> int:
        """How many audit rows the writes made through this store have committed: another program's writes
        are the rows beyond these (app.services.watch, the window's poll)."""
        return self._own_rows

    @property
    def path(self) -> Path:
        """The database file. A register on a server has none: what works on the file (a copy beside it,
        the file's check) is refused there in one sentence."""
        if self._path is None:
            raise DatabaseError(
                f"单位数据库在服务器上（{self.server}），没有本机数据文件：这项操作请由服务器管理员处理。")
        return self._path

    @property
    def on_server(self) -> bool:
        return self.server is not None

    @property
    def where(self) -> str:
        """Where the register is, as the clerk is told: the file's path, or the server's URL."""
        return self.server if self.server is not None else str(self._path)

    def session(self) -> Session:
        return self._factory()

    @contextmanager
    def transaction(self, actor: str | None = None, *, keys_at_end: bool = False) -> Iterator[Session]:
        """One unit of work: committed when the block ends, rolled back whole on any error. Audited as
        actor, else as the database's own actor.

        keys_at_end (the demo's fill of a new, empty file only; never an import or a clerk's write): on SQLite
        the foreign keys are not checked row by row but once over the whole file before the commit
        (PRAGMA foreign_key_check); a row pointing at nothing refuses the commit and nothing is written. A
        county's 1.3 million demo rows spent a third of their inserting in the row-by-row checks."""
        if self.read_only:
            raise DatabaseError(f"数据文件 {self.where} 是只读的（文件只读，或所在的U盘有写保护）：不能保存修改。")
        sqlite = self.engine.dialect.name == "sqlite"
        with self._factory() as session:
            with session.begin():
                session.info["actor"] = actor or self.actor
                if sqlite:  # BEGIN IMMEDIATE (_on_begin)
                    session.connection(execution_options={_WRITES: True, _KEYS_AT_END: keys_at_end})
                try:
                    yield session
                    if keys_at_end and sqlite:
                        _refuse_broken_keys(session)
                except Exception:
                    self.confirm_whole()  # a damaged page read meanwhile: said as the damage it is
                    raise
                self.confirm_whole()  # nothing commits into a damaged file
            with self._counting:  # committed: its audit rows are this store's own
                self._own_rows += session.info.get(audit.AUDITED, 0)

    def check_meanwhile(self) -> None:
        """SQLite's quick check of the file on a thread of its own while the work goes on, instead of
        before it (a second for a county's register; open_file(quick_check=False) leaves it to the
        caller): every write waits for its answer before it commits, and in a file that fails it nothing
        commits (DamagedDatabase, the transaction rolled back), so what the check protects is kept. Only
        after a clean exit: after an unclean one open_file has run the full check first."""
        path = self.path
        answer: list[bool] = []
        live = not self.read_only  # a file this program may not write is read as unchanging (no -shm to make)
        thread = threading.Thread(target=lambda: answer.append(sqlite_file.is_whole(path, live=live)),
                                  name="quick_check", daemon=True)
        thread.start()
        self._check = (thread, answer)

    def confirm_whole(self) -> None:
        """check_meanwhile's answer, waited for: DamagedDatabase if the file failed it, so that nothing
        commits into it and what was read from it (a report) is not handed out."""
        if self._check is not None and not self._whole():
            raise DamagedDatabase(self.path)

    def _whole(self) -> bool:
        """check_meanwhile's answer, waited for; once whole, no write waits again."""
        assert self._check is not None
        thread, answer = self._check
        thread.join()
        if answer != [True]:
            return False
        self._check = None
        return True

    def close(self) -> None:
        if self._check is not None:
            self._check[0].join()  # its connection closes before the file's lock goes
        self.engine.dispose()
        if self.lock_types is not None:
            self.lock_types.release()
            self.lock_types = None

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


IDENTITY_KEY = "register.identity"


def give_identity(engine: Engine) -> None:
    """Each register's own random identity, kept in its settings from its first open: its backups are
    told from another register's by it (a file name can be shared or changed). Not a clerk's change, so
    written without an audit row."""
    with engine.begin() as conn:
        found = conn.execute(select(Setting.value).where(Setting.key == IDENTITY_KEY)).scalar()
        if not found:
            conn.execute(insert(Setting).values(key=IDENTITY_KEY, value=uuid.uuid4().hex))


def register_identity(engine: Engine) -> str:
    with engine.connect() as conn:
        return str(conn.execute(select(Setting.value).where(Setting.key == IDENTITY_KEY)).scalar() or "")


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("select version_num from alembic_version")).scalar()


def revision_to_migrate(engine: Engine, where: object, *, server: bool = False) -> str | None:
    """The revision the store holds (None: an empty store), after refusing one that is not ours or was made
    by a newer version (where: how the store is named in the sentence; server: a database, not a file)."""
    try:
        current = current_revision(engine)
        tables = set(inspect(engine).get_table_names())
    except SqlDatabaseError:
        raise DatabaseError(f"文件 {where} 不是残联工作台的数据文件，或已损坏：请检查所选文件。") from None
    if current is None and tables - {"alembic_version"}:
        if server:
            raise DatabaseError(
                f"服务器上的数据库 {where} 不是残联工作台的数据库：请核对数据库名，或请管理员另建一个。")
        raise DatabaseError(f"文件 {where} 不是残联工作台的数据文件：请选择其他文件。")
    if current is not None and not known_revision(current):
        raise DatabaseError(f"{'单位数据库' if server else '数据文件'} {where} 由更新版本的残联工作台创建："
                            f"请安装新版本后再打开，{'数据库' if server else '文件'}未作任何改动。")
    return current


def _migrate(engine: Engine, path: Path) -> None:
    current = revision_to_migrate(engine, path)
    if current == head_revision():
        return
    from alembic import command
    if current is not None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        copy_sqlite(path, path.with_name(f"{path.stem}.升级前备份-{current}-{stamp}{path.suffix}"))
    cfg = alembic_config()
    with engine.connect() as conn:
        # A batch migration rebuilds a table (copy, drop, rename): with foreign keys enforced, dropping a
        # table that other rows point at fails. SQLite's own recipe: keys off around it, checked after.
        raw = conn.connection.dbapi_connection
        assert raw is not None
        raw.execute("PRAGMA foreign_keys=OFF")  # outside any transaction, where SQLite honours it
        with conn.begin():
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise DatabaseError(f"数据文件 {path} 升级后数据关联不完整：已保留升级前的副本，请联系技术人员。")
            if current is not None:
                conn.exec_driver_sql("ANALYZE")  # new indexes need statistics before the planner trusts them
        raw.execute("PRAGMA foreign_keys=ON")


def _refuse_what_is_not_ours(path: Path) -> str | None:
    """Read-only look at an existing file before anything is written into or beside it: a file that is
    not ours, or made by a newer version, is refused untouched."""
    if path.stat().st_size == 0:
        return None  # an empty file is an empty database to SQLite
    try:
        facts = sqlite_file.inspect_file(path)
    except sqlite_file.NotSqlite:
        raise DatabaseError(f"文件 {path} 不是残联工作台的数据文件：请检查所选文件。") from None
    except sqlite3.DatabaseError:
        raise DamagedDatabase(path) from None
    if facts.revision is None:
        if facts.tables - {"alembic_version"}:
            raise DatabaseError(f"文件 {path} 不是残联工作台的数据文件：请选择其他文件。")
        return None
    if not known_revision(facts.revision):
        raise DatabaseError(
            f"数据文件 {path} 由更新版本的残联工作台创建：请安装新版本后再打开，文件未作任何改动。")
    return facts.revision


def _check_whole(path: Path, full: bool) -> None:
    if not sqlite_file.is_whole(path, full=full):
        raise DamagedDatabase(path)


def _open_read_only(path: Path) -> Database:
    """A file this program may not write (a read-only file, a write-protected stick): opened for reading
    only, with no lock and nothing written beside it."""
    if not path.exists():
        raise DatabaseError(f"无法在 {path.parent} 建立数据文件：这个位置是只读的，请换一个文件夹。")
    _check_whole(path, full=False)
    engine = create_engine("sqlite://", creator=lambda: sqlite_file.connect_read_only(path))
    event.listen(engine, "connect", _on_connect_read_only)
    event.listen(engine, "begin", _on_begin)
    if current_revision(engine) != head_revision():
        engine.dispose()
        raise DatabaseError(f"数据文件 {path} 是只读的，而且需要升级才能打开：请先复制到可写的文件夹。")
    audit.install()
    return Database(path, engine, None, read_only=True)


def open_database(path: Path | str, *, lock: bool = True, read_only_ok: bool = False,
                  quick_check: bool = True) -> Database:
    """Open the register at path: a PostgreSQL URL (postgresql://…) opens the server's database
    (app.db.server.open_server), anything else is a file (open_file)."""
    from app.db import server

    if isinstance(path, str) and server.is_server_url(path):
        return server.open_server(path)
    return open_file(path, lock=lock, read_only_ok=read_only_ok, quick_check=quick_check)


def open_file(path: Path | str, *, lock: bool = True, read_only_ok: bool = False,
              quick_check: bool = True) -> Database:
    """Open (creating and migrating as needed) the database file at path. Nothing is written before the
    file is known to be ours and of a schema this version knows; a damaged file (SQLite's quick check, the
    full check after an unclean exit) raises DamagedDatabase. A file this program may not write is opened
    read-only when the caller only reads (read_only_ok), else refused in one sentence. quick_check=False:
    the caller runs the quick check itself meanwhile (the window, so that a second's check of a county's
    register does not hold it; sqlite_file.is_whole(live=True)); the full check after an unclean exit and a
    migration's check still come first."""
    path = Path(path).expanduser().resolve()
    exists = path.exists()
    can_write = sqlite_file.writable(path)
    if exists and not can_write and sqlite_file.pending_log(path):  # SQLite could not even read it
        raise DatabaseError(f"数据文件 {path} 是只读的，且上次没有正常关闭：请先复制到可写的文件夹再打开。")
    revision = _refuse_what_is_not_ours(path) if exists else None
    if not can_write:
        if read_only_ok:
            return _open_read_only(path)
        raise DatabaseError(
            f"数据文件 {path} 是只读的（文件只读，或所在的U盘有写保护）：不能修改，请复制到可写的文件夹后再用。")
    path.parent.mkdir(parents=True, exist_ok=True)
    file_lock = FileLock(path) if lock else None
    if file_lock is not None:
        file_lock.acquire()
    try:
        if exists and sqlite_file.has_header(path):
            unclean = file_lock is not None and file_lock.unclean_exit
            if unclean or quick_check or revision != head_revision():  # a migration writes: check it first
                _check_whole(path, full=unclean)
        engine = make_engine(path)
        try:
            _migrate(engine, path)
            give_identity(engine)
        except BaseException:
            engine.dispose()
            raise
    except BaseException:
        if file_lock is not None:  # refused after an unclean exit: the next open runs the full check again
            file_lock.release(clean=not file_lock.unclean_exit)
        raise
    audit.install()
    return Database(path, engine, file_lock)

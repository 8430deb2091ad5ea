"""The register on a PostgreSQL server (a county office's shared database), named by a URL:
postgresql://user@host:5432/canlian. No file, so no file lock (the server serves many clerks at once), no
pragmas, and no copy beside the file before migrating: a server's database is backed up by its
administrator (pg_dump) before a new version of the program migrates it. The same Alembic revisions as a
file, run in one transaction (PostgreSQL's DDL is transactional: a failed migration leaves nothing)."""

from __future__ import annotations

import logging

from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from app.db import audit
from app.db.engine import Database, alembic_config, give_identity, head_revision, revision_to_migrate
from app.errors import DatabaseError
from app.paths import is_server_url

__all__ = ["DRIVER", "PasswordRefused", "described", "is_server_url", "open_server", "probe_server", "server_url",
           "shown", "without_password"]

log = logging.getLogger("canlian.db")

_SCHEMES = ("postgresql", "postgres")
DRIVER = "postgresql+psycopg"  # psycopg 3; SQLAlchemy's bare "postgresql" would mean psycopg2


def server_url(text: str) -> URL:
    """The URL SQLAlchemy connects with: postgresql:// and postgres:// go through psycopg 3."""
    try:
        url = make_url(text)
    except ArgumentError:
        raise DatabaseError(f"服务器地址“{text}”写法不对：应写成 postgresql://用户名@服务器:5432/数据库名。") from None
    if url.drivername in _SCHEMES:
        url = url.set(drivername=DRIVER)
    if not url.database:
        raise DatabaseError(f"服务器地址“{shown(url)}”没有写数据库名：应写成 postgresql://用户名@服务器:5432/数据库名。")
    return url


def shown(url: URL) -> str:
    """The URL as the clerk may see it (status bar, messages, logs): never the password."""
    return url.set(drivername=url.drivername.split("+")[0]).render_as_string(hide_password=True)


def without_password(text: str) -> str:
    """The URL as it is remembered (the window's last store) and shown: a password typed into it is left out
    (it belongs in the credential store, never in the settings or on the screen)."""
    url = server_url(text)
    return shown(url._replace(password=None))  # URL.set(password=None) would leave the password as it is


def described(text: str) -> str:
    """Where the window is connected, in the clerk's words (the status bar): server, database and login,
    never the password."""
    url = server_url(text)
    port = f"（端口 {url.port}）" if url.port and url.port != DEFAULT_PORT else ""
    login = f" · 登录名 {url.username}" if url.username else ""
    return f"单位数据库：服务器 {url.host or 'localhost'}{port} 数据库 {url.database}{login}"


class PasswordRefused(DatabaseError):
    """The server asked for a password and none was given (asked=False), or refused the one given: the
    window asks the clerk for it (ui.dialogs.server_login) instead of only telling."""

    def __init__(self, where: str, login: str, *, given: bool) -> None:
        super().__init__(f"服务器拒绝了 {login} 的密码：请核对后重新输入（注意大小写和输入法）。" if given else
                         f"连接 {where} 需要 {login} 的密码：请先运行 canlian --db {where} sign-in 把密码存入本机，"
                         "或在窗口中输入。")
        self.given = given


DEFAULT_PORT = 5432
_WRONG_PASSWORD = ("password authentication failed", "password 认证失败", "密码认证失败")


def _password_refused(exc: OperationalError, url: URL, where: str) -> PasswordRefused | None:
    """The server's refusal as a PasswordRefused when it was about the password (psycopg 3 keeps the failed
    connection: needs_password when none was supplied); None for any other reason (no such database,
    no server there)."""
    original = getattr(exc, "orig", None)
    pgconn = getattr(original, "pgconn", None)
    login = url.username or ""
    if pgconn is not None and getattr(pgconn, "needs_password", False):
        return PasswordRefused(where, login, given=False)
    said = str(original or exc).lower()
    if any(words in said for words in _WRONG_PASSWORD):
        return PasswordRefused(where, login, given=True)
    return None


def _connect_first(engine: Engine, url: URL, where: str) -> None:
    """One connection before anything else: a server not reached, or a password refused, is said as such
    before asking what the database holds. The driver's English reason goes to the log, for the
    administrator; the password never does (it is not in the reason)."""
    try:
        engine.connect().close()
    except OperationalError as exc:
        log.warning("cannot connect to %s: %s", where, str(getattr(exc, "orig", exc)).strip())
        refused = _password_refused(exc, url, where)
        if refused is not None:
            raise refused from None
        raise DatabaseError(
            f"无法连接单位数据库 {where}：请检查网络、服务器地址、用户名和密码，或联系管理员。") from None


def _with_password(url: URL, password: str | None) -> URL:
    """The URL to connect with: the password given (typed by the clerk), else one written in the URL, else
    the one `sign-in` kept in the credential store, else none (libpq's own ways: PGPASSWORD, ~/.pgpass)."""
    if password:
        return url.set(password=password)
    if url.password is None:
        from app.db.credentials import stored_password

        kept = stored_password(url)
        if kept is not None:
            return url.set(password=kept)
    return url


CONNECT_TIMEOUT = 10  # seconds


def make_server_engine(url: URL) -> Engine:
    # pool_pre_ping: a server restarted overnight leaves dead connections in the pool; the next action
    # then gets a fresh one instead of an error.
    # prepare_threshold None: psycopg prepares a statement run five times, and PostgreSQL then plans it once
    # for any values (a generic plan): the search box's LIKE '%明%' lost its index that way (30 → 150 ms from
    # the ninth search on). Planned for its values each time, every search keeps the plan that suits it.
    # connect_timeout: a server that does not answer (the office network down) is told in ten seconds, not
    # after the operating system's minutes of retrying; a timeout written in the URL stands.
    connect: dict[str, object] = {"prepare_threshold": None}
    if "connect_timeout" not in url.query:
        connect["connect_timeout"] = CONNECT_TIMEOUT
    return create_engine(url, pool_pre_ping=True, connect_args=connect)


def _migrate(engine: Engine, where: str) -> None:
    current = revision_to_migrate(engine, where, server=True)
    if current == head_revision():
        return
    from alembic import command

    if current is not None:
        log.warning("migrating the server database %s from %s: its administrator backs it up first", where, current)
    cfg = alembic_config()
    with engine.connect() as conn, conn.begin():
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def open_server(text: str, *, password: str | None = None) -> Database:
    """Open (migrating an empty or older database to the newest schema) the register on a server.
    password: typed by the clerk in the window (else the URL's, the credential store's, libpq's). A
    password asked for or refused raises PasswordRefused; any other refusal DatabaseError."""
    url = server_url(text)
    where = shown(url)
    engine = make_server_engine(_with_password(url, password))
    try:
        _connect_first(engine, url, where)
        _migrate(engine, where)
        give_identity(engine)
    except BaseException:
        engine.dispose()
        raise
    audit.install()
    return Database(None, engine, None, server=where)


def probe_server(text: str, password: str | None = None) -> str:
    """The window's 测试连接: connect without changing anything (no migration) and say in one sentence what
    is there: how many persons are 在册 (those this login may see), or that the database is empty or of an
    older version and would be set up or upgraded when opened. Refusals raise as open_server's do."""
    from sqlalchemy.orm import Session

    from app.domain.words import PersonStatus
    from app.services.summary.current import persons_by_status

    url = server_url(text)
    where = shown(url)
    engine = make_server_engine(_with_password(url, password))
    try:
        _connect_first(engine, url, where)
        current = revision_to_migrate(engine, where, server=True)
        if current is None:
            return "连接成功：这是一个空的数据库，点“确定”后将在其中建立登记册。"
        if current != head_revision():
            return "连接成功：数据库由旧版本建立，点“确定”后将自动升级（请先确认管理员已备份）。"
        with Session(engine) as session:  # the status bar's own count (what this login may see)
            registered = persons_by_status.in_session(session)[PersonStatus.ON_REGISTER]
        return f"连接成功：共 {registered} 人在册。"
    finally:
        engine.dispose()

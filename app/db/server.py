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

__all__ = ["DRIVER", "is_server_url", "open_server", "server_url", "shown"]

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


def make_server_engine(url: URL) -> Engine:
    # pool_pre_ping: a server restarted overnight leaves dead connections in the pool; the next action
    # then gets a fresh one instead of an error.
    return create_engine(url, pool_pre_ping=True)


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


def open_server(text: str) -> Database:
    """Open (migrating an empty or older database to the newest schema) the register on a server."""
    url = server_url(text)
    where = shown(url)
    if url.password is None:  # a clerk's own login: the password kept by `sign-in`, if any (else libpq's ways)
        from app.db.credentials import stored_password

        kept = stored_password(url)
        if kept is not None:
            url = url.set(password=kept)
    engine = make_server_engine(url)
    try:
        try:
            engine.connect().close()  # a server not reached is said as such, before asking what it holds
        except OperationalError as exc:  # the driver's English reason goes to the log, for the administrator
            log.warning("cannot connect to %s: %s", where, str(getattr(exc, "orig", exc)).strip())
            raise DatabaseError(
                f"无法连接单位数据库 {where}：请检查网络、服务器地址、用户名和密码，或联系管理员。") from None
        _migrate(engine, where)
        give_identity(engine)
    except BaseException:
        engine.dispose()
        raise
    audit.install()
    return Database(None, engine, None, server=where)

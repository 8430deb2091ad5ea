"""Backups of a register on a PostgreSQL server, with the same promise as a file's (app.services.backup.copies):
a backup is written under a temporary name, checked, and only then given its dated name; a restore checks
the backup first and writes only into an EMPTY database.

备份: pg_dump in its custom format, of the very state whose rows were counted: the counts are taken in a
transaction whose snapshot pg_dump is handed (--snapshot), so the check compares like with like. The check
reads the written file back with pg_restore and counts each table's rows in it. 恢复: pg_restore into a
database with no tables (the server's administrator makes one: CREATE DATABASE), in one transaction, then
the same counts compared, then the program's own open (an older backup is migrated).

pg_dump and pg_restore are PostgreSQL's client programs (Debian: postgresql-client; Windows: the
PostgreSQL installer's command-line tools), found on the PATH or in /usr/lib/postgresql/N/bin. The password,
if the URL holds one, reaches them through the environment (PGPASSWORD), never on their command line."""

from __future__ import annotations

import contextlib
import datetime as dt
import glob
import os
import re
import shutil
import subprocess
from pathlib import Path

from sqlalchemy import func, inspect, select, text
from sqlalchemy.engine import URL

from app.db.engine import Database, known_revision, open_database
from app.db.schema import Base
from app.db.server import make_server_engine, server_url, shown
from app.errors import CanlianError, InputError, cannot_write, is_write_protected
from app.services.actions import job
from app.services.backup.facts import BACKUP_PREFIX

SUFFIX = ".dump"  # pg_dump's custom format
_PARTIAL = ".未完成"
_COPY = re.compile(r"^COPY (?:public\.)?\"?([a-z_0-9]+)\"? \(")


def _program(name: str) -> str:
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)),
                                       None)
    if not found:
        raise InputError(
            f"本机没有安装 PostgreSQL 的 {name}：请安装 PostgreSQL 客户端工具（postgresql-client）后再备份或恢复。")
    return found


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """The connection string pg_dump and pg_restore take, and the environment carrying the password."""
    plain = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return plain, env


def _run(command: list[str], env: dict[str, str], what: str) -> str:
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or ["?"])[-1]
        raise CanlianError(f"{what}没有完成（{reason}）：请检查服务器连接和磁盘空间后重试。")
    return done.stdout


def dumped_counts(file: Path) -> dict[str, int]:
    """Each table's rows as the dump file holds them, read back from the file by pg_restore (its data as
    COPY text: one line a row, a line break within a row written as an escape)."""
    out = _run([_program("pg_restore"), "--data-only", "-f", "-", str(file)], dict(os.environ), "读取备份文件")
    counts: dict[str, int] = {}
    table: str | None = None
    for line in out.splitlines():
        if table is None:
            match = _COPY.match(line)
            if match:
                table = match.group(1)
                counts[table] = 0
        elif line == "\\.":
            table = None
        else:
            counts[table] += 1
    return counts


def _our_tables() -> list[str]:
    return [*(t.name for t in Base.metadata.sorted_tables), "alembic_version"]


@job()
def backup_server(db: Database, to_dir: Path) -> Path:
    """A verified pg_dump of the register on the server in to_dir, named canlian-备份-YYYYMMDD-HHMMSS.dump."""
    url = server_url(db.engine.url.render_as_string(hide_password=False))
    to_dir = Path(to_dir).expanduser()
    try:
        to_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        if is_write_protected(exc):
            raise cannot_write(to_dir, exc) from None
        raise InputError(f"无法在 {to_dir} 建立文件夹：请检查U盘是否插好、是否写保护。") from None
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    final, n = to_dir / f"{BACKUP_PREFIX}{stamp}{SUFFIX}", 2
    while final.exists():
        final, n = to_dir / f"{BACKUP_PREFIX}{stamp}-{n}{SUFFIX}", n + 1
    partial = final.with_name(final.name + _PARTIAL)
    conninfo, env = _libpq(url)
    try:
        with db.engine.connect() as conn:
            # one snapshot: counted here, dumped by pg_dump (the transaction stays open until it is done)
            conn.execute(text("set transaction isolation level repeatable read, read only"))
            snapshot = conn.execute(text("select pg_export_snapshot()")).scalar_one()
            present = set(inspect(conn).get_table_names())
            expected = {name: int(conn.execute(select(func.count()).select_from(text(f'"{name}"'))).scalar_one())
                        for name in _our_tables() if name in present}
            _run([_program("pg_dump"), "-Fc", "--no-owner", f"--snapshot={snapshot}", "-f", str(partial), conninfo],
                 env, "备份")
            conn.rollback()
        got = dumped_counts(partial)
        differ = [t for t in expected if got.get(t, 0) != expected[t]]
        if differ:
            raise CanlianError(f"备份文件与服务器上的数据不一致（{'、'.join(differ)}）：请重试备份。")
        os.replace(partial, final)
    except OSError as exc:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        raise cannot_write(to_dir, exc) from None
    except BaseException:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        raise
    return final


def _dumped_revision(file: Path) -> str | None:
    out = _run([_program("pg_restore"), "--data-only", "-t", "alembic_version", "-f", "-", str(file)],
               dict(os.environ), "读取备份文件")
    lines = out.splitlines()
    for i, line in enumerate(lines):
        if _COPY.match(line) and i + 1 < len(lines) and lines[i + 1] != "\\.":
            return lines[i + 1].strip()
    return None


def restore_server(target: str, file: Path) -> str:
    """Restore the pg_dump backup `file` into the EMPTY database at the server URL target (checked first,
    counted after, migrated if older). Returns the target as shown. InputError in one sentence when the
    file is not such a backup or the database is not empty; nothing is written then."""
    file = Path(file).expanduser()
    if not file.is_file():
        raise InputError(f"找不到备份文件 {file}：请核对路径。")
    try:
        counts = dumped_counts(file)
        revision = _dumped_revision(file)
    except CanlianError:
        raise InputError(
            f"文件 {file.name} 不是服务器数据库的备份（canlian-备份-….dump），或已损坏：请换一个备份。") from None
    if "person" not in counts or revision is None:
        raise InputError(f"文件 {file.name} 不是残联工作台的备份：请选择 canlian-备份-….dump 文件。")
    if not known_revision(revision):
        raise InputError(
            f"备份 {file.name} 由更新版本的残联工作台创建：请安装新版本后再恢复，服务器上的数据未作任何改动。")
    url = server_url(target)
    where = shown(url)
    engine = make_server_engine(url)
    try:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
        if tables:
            raise InputError(f"服务器上的数据库 {where} 不是空的："
                             "恢复只写入新建的空数据库，请管理员另建一个（CREATE DATABASE）。")
        conninfo, env = _libpq(url)
        _run([_program("pg_restore"), "--no-owner", "--single-transaction", "--exit-on-error", "-d", conninfo,
              str(file)], env, "恢复")
        with engine.connect() as conn:
            got = {name: int(conn.execute(select(func.count()).select_from(text(f'"{name}"'))).scalar_one())
                   for name in counts}
    finally:
        engine.dispose()
    differ = [t for t in counts if got.get(t) != counts[t]]
    if differ:
        raise CanlianError(f"恢复后的数据与备份不一致（{'、'.join(differ)}）：请联系服务器管理员。")
    open_database(target).close()  # migrates a backup made by an older version
    return where

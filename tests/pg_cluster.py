"""A throwaway PostgreSQL cluster for the tests: initdb and pg_ctl in a temporary folder, on a free local port,
stopped and removed at the end of the session. PostgreSQL's own binaries (Debian: /usr/lib/postgresql/N/bin,
or on the PATH); none found means the PostgreSQL cases are skipped with that reason, except under CI
(CANLIAN_CI=1), where they fail instead.

initdb refuses to run as root: as root (CI's container) the folder is given to the `postgres` user and the
binaries run as that user. Text is compared byte by byte (collation C, as SQLite compares) and classified
as UTF-8 (ctype C.UTF-8: pg_trgm then takes Chinese characters for letters and indexes them). Durability
is switched off (fsync, synchronous_commit): the cluster lives for one test session, and speed matters."""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

_SUPERUSER = "postgres"
_FAST = ("-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c listen_addresses=127.0.0.1 "
         "-c max_connections=200")


class NoPostgres(Exception):
    """PostgreSQL cannot be started here (the reason is the message)."""


def find_bin(name: str) -> str | None:
    """PostgreSQL's program `name`: from the folder CANLIAN_PG_BIN when set (another installation), else on
    the PATH, else in Debian's /usr/lib/postgresql/N/bin (the newest N)."""
    folder = os.environ.get("CANLIAN_PG_BIN")
    if folder:
        path = Path(folder) / name
        return str(path) if path.is_file() else None
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    return candidates[0] if candidates else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Cluster:
    """One running PostgreSQL server: url(name) is the SQLAlchemy URL of a database on it."""

    def __init__(self) -> None:
        self.initdb = find_bin("initdb")
        self.pg_ctl = find_bin("pg_ctl")
        if not self.initdb or not self.pg_ctl:
            raise NoPostgres("PostgreSQL is not installed (no initdb / pg_ctl found): apt-get install postgresql")
        self.run_as: str | None = None
        if os.geteuid() == 0:
            try:
                pwd.getpwnam(_SUPERUSER)
            except KeyError:
                raise NoPostgres("running as root without a postgres user: initdb refuses to run as root") from None
            self.run_as = _SUPERUSER
        self.folder = Path(tempfile.mkdtemp(prefix="canlian-pg-"))
        self.data = self.folder / "data"
        self.port = _free_port()
        self._names = itertools.count(1)
        if self.run_as:
            shutil.chown(self.folder, user=self.run_as)
        try:
            self._run(self.initdb, "-D", str(self.data), "-A", "trust", "-U", _SUPERUSER, "-E", "UTF8",
                      "--lc-collate=C", "--lc-ctype=C.UTF-8", "--no-sync")
            self._run(self.pg_ctl, "-D", str(self.data), "-l", str(self.folder / "server.log"), "-w",
                      "-o", f"-p {self.port} -k {self.folder} {_FAST}", "start")
        except subprocess.CalledProcessError as exc:
            log = self.folder / "server.log"
            said = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            shutil.rmtree(self.folder, ignore_errors=True)
            raise NoPostgres(f"PostgreSQL did not start: {exc.stderr or exc}\n{said}") from None

    def _run(self, *command: str) -> None:
        full = ["runuser", "-u", self.run_as, "--", *command] if self.run_as else list(command)
        subprocess.run(full, check=True, capture_output=True, text=True, cwd=self.folder)

    def url(self, name: str = "postgres") -> str:
        return f"postgresql+psycopg://{_SUPERUSER}@127.0.0.1:{self.port}/{name}"

    def new_name(self, stem: str) -> str:
        return f"{stem}_{os.getpid()}_{next(self._names)}"

    def stop(self) -> None:
        try:
            self._run(self.pg_ctl, "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

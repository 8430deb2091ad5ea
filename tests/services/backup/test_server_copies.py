"""Backups of a register on a PostgreSQL server (issue 16): pg_dump into a dated file, checked table by table
against the server; pg_restore into an empty database only, checked the same way; the restored town's
figures are the town's figures."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from app.cli import main
from app.db.engine import Database
from app.db.schema import Base
from app.errors import CanlianError
from app.services.backup import server_copies
from tests.conftest import _admin
from tests.pg_cluster import Cluster

YEAR = dt.date.today().year


@pytest.fixture
def store() -> str:
    return "postgresql"


@pytest.fixture
def empty_server(pg_cluster: Cluster) -> Iterator[str]:
    name = pg_cluster.new_name("canlian_restore")
    _admin(pg_cluster, f"create database {name}")
    yield pg_cluster.url(name).replace("postgresql+psycopg://", "postgresql://")
    _admin(pg_cluster, f"drop database if exists {name} with (force)")


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _summary(capsys: pytest.CaptureFixture[str], where: str) -> dict[str, object]:
    code, out, err = _run(capsys, "--db", where, "summary", "--year", str(YEAR), "--json")
    assert code == 0, err
    return dict(json.loads(out))


def test_a_backup_holds_every_row_and_restores_into_an_empty_database(
        demo_db: Database, empty_server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = _summary(capsys, demo_db.where)
    code, out, err = _run(capsys, "--db", demo_db.where, "backup", "--to", str(tmp_path / "备份"))
    assert (code, err) == (0, "")
    dump = Path(out.strip())
    assert dump.parent == tmp_path / "备份" and dump.name.startswith("canlian-备份-") and dump.suffix == ".dump"
    assert [p.name for p in dump.parent.iterdir()] == [dump.name]  # nothing half-written left beside it
    with demo_db.engine.connect() as conn:
        counted = {t.name: conn.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables}
    held = server_copies.dumped_counts(dump)
    assert {t: held[t] for t in counted} == counted and counted["person"] >= 345
    code, out, err = _run(capsys, "--db", empty_server, "restore", str(dump))
    assert (code, err) == (0, "") and out.strip() == empty_server
    assert _summary(capsys, empty_server) == before


def test_restore_refuses_a_database_that_is_not_empty(
        demo_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dump = server_copies.backup_server(demo_db, tmp_path)
    code, out, err = _run(capsys, "--db", demo_db.where, "restore", str(dump))
    assert (code, out) == (2, "") and "不是空的" in err and err.count("\n") == 1


def test_restore_refuses_what_is_not_a_server_backup(
        empty_server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fake = tmp_path / "canlian-备份-20260101-000000.dump"
    fake.write_bytes(b"not a dump")
    code, out, err = _run(capsys, "--db", empty_server, "restore", str(fake))
    assert (code, out) == (2, "") and "不是服务器数据库的备份" in err


def test_a_backup_that_does_not_hold_every_row_is_not_kept(
        demo_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    read_back = server_copies.dumped_counts

    def one_person_short(file: Path) -> dict[str, int]:
        counts = read_back(file)
        return {**counts, "person": counts["person"] - 1}

    monkeypatch.setattr(server_copies, "dumped_counts", one_person_short)
    with pytest.raises(CanlianError, match="不一致（person）"):
        server_copies.backup_server(demo_db, tmp_path / "备份")
    assert list((tmp_path / "备份").iterdir()) == []


def test_the_counts_and_the_dump_are_of_one_moment(demo_db: Database, tmp_path: Path) -> None:
    """A write committed after the counting (while pg_dump runs) is in neither: both read one snapshot."""
    real_run = server_copies._run

    def write_meanwhile(command: list[str], env: dict[str, str], what: str) -> str:
        if "-Fc" in command:
            with demo_db.engine.begin() as conn:
                conn.execute(text("insert into setting (key, value) values ('meanwhile', 'x')"))
        return real_run(command, env, what)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(server_copies, "_run", write_meanwhile)
        dump = server_copies.backup_server(demo_db, tmp_path)
    with demo_db.engine.connect() as conn:
        settings_now = conn.scalar(select(func.count()).select_from(text("setting")))
    assert server_copies.dumped_counts(dump)["setting"] == settings_now - 1

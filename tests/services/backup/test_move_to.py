"""`canlian move-to postgresql://…` (issue 16): a town's register file copied whole into an empty PostgreSQL
database, every table checked on both sides; the moved town's figures are the file's figures."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from app.cli import main
from app.db.engine import open_database
from app.db.models import AuditEntry, Person
from app.db.schema import Base
from app.errors import DatabaseError
from app.services.backup import move_to
from tests.conftest import _admin
from tests.factories import add_person, make_id
from tests.pg_cluster import Cluster

YEAR = dt.date.today().year  # the demo town (demo_town_file) is of this year


@pytest.fixture
def store() -> str:
    return "sqlite"  # the file moved is a file; the server it goes to is `empty_server`


@pytest.fixture
def empty_server(pg_cluster: Cluster) -> Iterator[str]:
    """A database just made by the server's administrator (CREATE DATABASE): no tables at all."""
    name = pg_cluster.new_name("canlian_move")
    _admin(pg_cluster, f"create database {name}")
    yield pg_cluster.url(name).replace("postgresql+psycopg://", "postgresql://")  # as the clerk writes it
    _admin(pg_cluster, f"drop database if exists {name} with (force)")


@pytest.fixture
def town_file(demo_town_file: Path, db_path: Path) -> Path:
    shutil.copyfile(demo_town_file, db_path)
    return db_path


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _summary(capsys: pytest.CaptureFixture[str], where: str) -> dict[str, object]:
    code, out, err = _run(capsys, "--db", where, "summary", "--year", str(YEAR), "--json")
    assert code == 0, err
    return dict(json.loads(out))


def test_the_demo_town_moved_gives_the_same_summary_on_postgresql(
        town_file: Path, empty_server: str, capsys: pytest.CaptureFixture[str]) -> None:
    before = _summary(capsys, str(town_file))
    code, out, err = _run(capsys, "--db", str(town_file), "move-to", empty_server)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[-1] == "ok"
    tables = [line.split()[0] for line in lines[:-1]]
    assert tables == [t.name for t in Base.metadata.sorted_tables]  # one line per table, in dependency order
    rows = {line.split()[0]: int(line.split()[1]) for line in lines[:-1]}
    assert rows["person"] >= 345 and rows["audit_log"] > 0 and all(len(line.split()) == 3 for line in lines[:-1])
    after = _summary(capsys, empty_server)
    assert after == before and after["registered"] == 345  # every figure, from a register that holds someone


def test_every_table_holds_the_same_rows_and_new_rows_are_numbered_after_them(
        town_file: Path, empty_server: str) -> None:
    with open_database(town_file) as source:
        checks = move_to.move_to_server(source, empty_server)
        with source.engine.connect() as conn:
            expected = {t.name: move_to.table_checksum(conn, t) for t in Base.metadata.sorted_tables}
            highest = conn.scalar(select(func.max(Person.id)))
    assert all(c.same for c in checks) and {c.table: (c.rows, c.checksum) for c in checks} == expected
    with open_database(empty_server) as moved:
        with moved.transaction("测试") as s:  # the sequences were set past the copied ids
            added = add_person(s, "新来人", id_number=make_id("19900101", "555"))
        assert highest and added.id == highest + 1
        with moved.session() as s:
            heads = s.scalar(select(func.count()).select_from(Base.metadata.tables["household"])
                             .where(Base.metadata.tables["household"].c.head_person_id.is_not(None)))
        assert heads  # the household's head, written after the persons, is there


def test_a_server_database_with_records_is_refused_and_left_as_it_was(
        town_file: Path, empty_server: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(capsys, "--db", str(town_file), "move-to", empty_server)[0] == 0
    with open_database(empty_server) as moved, moved.session() as s:
        audit_rows = s.scalar(select(func.count()).select_from(AuditEntry))
    code, out, err = _run(capsys, "--db", str(town_file), "move-to", empty_server)
    assert (code, out) == (2, "")
    assert "已有数据" in err and err.count("\n") == 1 and "请另建一个" in err
    with open_database(empty_server) as moved, moved.session() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == audit_rows


def test_a_row_lost_on_the_way_is_found_and_nothing_is_left_on_the_server(
        town_file: Path, empty_server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = move_to._copy_table

    def losing(source, target, table):  # type: ignore[no-untyped-def]
        later = copy(source, target, table)
        if table.name == "person":  # one person's name arrives changed
            target.execute(update(table).where(table.c.id == 1).values(name="改了"))
        return later

    monkeypatch.setattr(move_to, "_copy_table", losing)
    with open_database(town_file) as source, pytest.raises(DatabaseError, match="核对不一致（person）"):
        move_to.move_to_server(source, empty_server)
    with open_database(empty_server) as moved, moved.session() as s:
        assert s.scalar(select(func.count()).select_from(Person)) == 0


def test_only_a_server_is_a_place_to_move_to(town_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "--db", str(town_file), "move-to", str(town_file.with_name("other.db")))
    assert (code, out) == (2, "") and "不是服务器地址" in err

"""A town's file whose villages carry their town (revision 0011 gave them 单位信息's) moves to the county's
server whole: the server's audit trigger leaves the administrator's copied rows as they are (a town filled
in by the server would differ from the file's and fail move-to's checksum), and after the move a clerk of
that town sees the whole town."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import func, select, update
from sqlalchemy.engine import make_url

from app.db.engine import open_database
from app.db.models import Person, Village
from app.services.backup.move_to import move_to_server
from app.services.clerks import add_clerk
from tests.conftest import _admin
from tests.pg_cluster import Cluster


@pytest.fixture
def empty_server(pg_cluster: Cluster) -> Iterator[str]:
    name = pg_cluster.new_name("canlian_move_town")
    _admin(pg_cluster, f"create database {name}")
    yield pg_cluster.url(name)
    _admin(pg_cluster, f"drop database if exists {name} with (force)")


def test_a_town_file_with_its_town_moves_whole_and_its_clerk_sees_it(
        demo_town_file: Path, tmp_path: Path, empty_server: str, pg_cluster: Cluster) -> None:
    town_file = tmp_path / "town.db"
    shutil.copyfile(demo_town_file, town_file)
    with open_database(town_file) as db:
        with db.transaction("管理员") as s:
            s.execute(update(Village).values(town="金塔镇"))
            persons = s.scalar(select(func.count()).select_from(Person))
        checks = move_to_server(db, empty_server)
    assert all(check.same for check in checks)
    login = pg_cluster.new_name("jinta")
    with open_database(empty_server) as server:
        add_clerk(server, login, "金塔镇", "jinta-2026")
    url = make_url(empty_server)
    with psycopg.connect(host="127.0.0.1", port=url.port, user=login, dbname=url.database) as conn:
        assert conn.execute("select count(*) from person").fetchone() == (persons,)

"""A register on a PostgreSQL server (app/db/server.py): an older schema is migrated to the newest by the
same revisions, in one transaction; a database that is not ours, or made by a newer version, is refused
untouched; its audit names the clerk as on a file."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, select, text

from app.db.engine import alembic_config, current_revision, head_revision, open_database
from app.db.models import AuditEntry
from app.db.server import server_url
from app.errors import DatabaseError
from tests.conftest import _admin
from tests.factories import add_person, make_id
from tests.pg_cluster import Cluster


@pytest.fixture
def empty(pg_cluster: Cluster) -> Iterator[str]:
    name = pg_cluster.new_name("canlian_empty")
    _admin(pg_cluster, f"create database {name}")
    yield pg_cluster.url(name)
    _admin(pg_cluster, f"drop database if exists {name} with (force)")


def _upgrade_to(url: str, revision: str) -> None:
    engine = create_engine(server_url(url))
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    engine.dispose()


def test_an_older_register_on_a_server_is_migrated_to_the_newest(empty: str) -> None:
    _upgrade_to(empty, "0004")  # before the vocabulary's renames (0005) and the search indexes (0007)
    with open_database(empty) as db:
        assert current_revision(db.engine) == head_revision()
        with db.engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            indexes = {i["name"] for i in inspect(conn).get_indexes("person")}
        assert {"device_type", "relief_entry"} <= tables and "aid_type" not in tables
        assert {"ix_person_name_trgm", "ix_person_pinyin_prefix"} <= indexes


def test_a_database_that_is_not_ours_is_refused_untouched(empty: str) -> None:
    engine = create_engine(server_url(empty))
    with engine.begin() as conn:
        conn.execute(text("create table payroll (id integer primary key)"))
    with pytest.raises(DatabaseError, match="不是残联工作台的数据库：请核对数据库名"):
        open_database(empty)
    with engine.connect() as conn:
        assert set(inspect(conn).get_table_names()) == {"payroll"}
    engine.dispose()


def test_a_newer_versions_register_is_refused_untouched(empty: str) -> None:
    open_database(empty).close()
    engine = create_engine(server_url(empty))
    with engine.begin() as conn:
        conn.execute(text("update alembic_version set version_num = '9999'"))
    with pytest.raises(DatabaseError, match="更新版本"):
        open_database(empty)
    with engine.connect() as conn:
        assert conn.scalar(text("select version_num from alembic_version")) == "9999"
    engine.dispose()


def test_every_change_on_a_server_is_audited_as_the_clerk(empty: str) -> None:
    with open_database(empty) as db:
        db.actor = "李红梅"
        with db.transaction() as s:
            add_person(s, "张三", id_number=make_id("19700101", "123"))
        with db.session() as s:
            assert set(s.scalars(select(AuditEntry.actor).where(AuditEntry.entity == "person"))) == {"李红梅"}


@pytest.mark.parametrize(("query", "timeout"), [("", 10), ("?connect_timeout=3", "3")])
def test_a_server_that_does_not_answer_is_told_within_seconds(query: str, timeout: object) -> None:
    """libpq waits as long as the operating system retries a silent address (minutes, the window frozen on
    the password); the program gives it ten seconds, or what the URL says."""
    from sqlalchemy import event
    from sqlalchemy.engine import make_url

    from app.db.server import make_server_engine

    engine = make_server_engine(make_url(f"postgresql+psycopg://clerk@127.0.0.1:1/canlian{query}"))
    seen: dict[str, object] = {}

    @event.listens_for(engine, "do_connect")
    def _look(_dialect: object, _record: object, _args: object, kwargs: dict[str, object]) -> object:
        seen.update(kwargs)
        raise ConnectionRefusedError  # nothing is connected: what libpq would be given is all the test needs

    with pytest.raises(Exception):  # noqa: B017,PT011 - the refusal raised above, wrapped by SQLAlchemy
        engine.connect()
    assert seen["connect_timeout"] == timeout
    assert seen["prepare_threshold"] is None

"""Shared fixtures. Qt runs offscreen: set here, once, before anything imports Qt."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# never the real user's credential store (tests of sign-in set a store of their own)
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"

import datetime as dt  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from app.db.engine import Database, open_database  # noqa: E402
from tests.pg_cluster import Cluster  # noqa: E402


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep every test out of the real user's data folder and database."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("CANLIAN_DB", raising=False)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "canlian.db"


STORES = ["sqlite", "postgresql"]  # the service, report and db tests run on both (their conftest.py say so)


@pytest.fixture
def store() -> str:
    """Which store `db` and `demo_db` are: SQLite here; tests/services, tests/reports and tests/db
    parametrise it over STORES (the window's tests stay on the file the window opens)."""
    return "sqlite"


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """A throwaway PostgreSQL server for the session (tests/pg_cluster.py). Without PostgreSQL its cases are
    skipped, saying why; in CI (CANLIAN_CI=1) they fail instead, so that CI never passes without them."""
    from tests.pg_cluster import Cluster, NoPostgres

    try:
        cluster = Cluster()
    except NoPostgres as exc:
        if os.environ.get("CANLIAN_CI") == "1":
            pytest.fail(f"CI must test on PostgreSQL: {exc}")
        pytest.skip(f"PostgreSQL not available: {exc}")
    yield cluster
    cluster.stop()


def _admin(cluster: Cluster, *statements: str) -> None:
    import psycopg

    with psycopg.connect(f"host=127.0.0.1 port={cluster.port} user=postgres dbname=postgres",
                         autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)  # our own names, never input


@pytest.fixture(scope="session")
def pg_template(pg_cluster: Cluster) -> str:
    """An empty register migrated to the newest schema once; each test's database is a copy of it
    (CREATE DATABASE … TEMPLATE copies files: far faster than running the migrations again)."""
    name = pg_cluster.new_name("canlian_template")
    _admin(pg_cluster, f"create database {name}")
    open_database(pg_cluster.url(name)).close()
    return name


@contextmanager
def pg_copy(cluster: Cluster, template: str) -> Iterator[str]:
    """A fresh database copied from template (its URL), dropped afterwards."""
    name = cluster.new_name("canlian_test")
    _admin(cluster, f"create database {name} template {template}")
    try:
        yield cluster.url(name)
    finally:
        _admin(cluster, f"drop database if exists {name} with (force)")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty register file migrated to the newest schema once; each test's `db` is a copy of it
    (copying takes 15 ms, running the eleven migrations 0.4–0.8 s: that was most of a small test's time).
    The migrations themselves are tested from an empty file in tests/db."""
    path = tmp_path_factory.mktemp("empty-register") / "canlian.db"
    open_database(path).close()
    return path


@pytest.fixture
def db(store: str, db_path: Path, request: pytest.FixtureRequest) -> Iterator[Database]:
    if store == "sqlite":
        import shutil

        shutil.copyfile(request.getfixturevalue("sqlite_template"), db_path)
        database = open_database(db_path)
        yield database
        database.close()
        return
    cluster = request.getfixturevalue("pg_cluster")
    with pg_copy(cluster, request.getfixturevalue("pg_template")) as url:
        database = open_database(url)
        yield database
        database.close()


@pytest.fixture(scope="session")
def demo_town_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 345-person demo town of this year (seed 1), built once per test session; tests take a copy."""
    from app.demo import fill_demo

    path = tmp_path_factory.mktemp("demo-town") / "canlian.db"
    database = open_database(path)
    try:
        with database.transaction("演示数据") as session:
            fill_demo(session)
    finally:
        database.close()
    return path


@pytest.fixture(scope="session")
def pg_demo_template(pg_cluster: Cluster, pg_template: str) -> str:
    """The same demo town on PostgreSQL (built as demo_town_file is), once per session."""
    from app.demo import fill_demo

    name = pg_cluster.new_name("canlian_demo")
    _admin(pg_cluster, f"create database {name} template {pg_template}")
    database = open_database(pg_cluster.url(name))
    try:
        with database.transaction("演示数据") as session:
            fill_demo(session)
    finally:
        database.close()
    return name


@pytest.fixture
def demo_db(store: str, demo_town_file: Path, db_path: Path, request: pytest.FixtureRequest) -> Iterator[Database]:
    """A copy of the demo town of its own for this test (copying is instant, building it is not)."""
    if store == "sqlite":
        import shutil

        shutil.copyfile(demo_town_file, db_path)
        database = open_database(db_path)
        yield database
        database.close()
        return
    cluster = request.getfixturevalue("pg_cluster")
    with pg_copy(cluster, request.getfixturevalue("pg_demo_template")) as url:
        database = open_database(url)
        yield database
        database.close()


@pytest.fixture
def today() -> dt.date:
    return dt.date.today()


@pytest.fixture
def collecting() -> Iterator[None]:
    """Python's automatic collection on for the test (as in a fresh program), as it was after it."""
    import gc

    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()

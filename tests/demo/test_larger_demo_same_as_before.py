"""A demo register larger than the seed town is written the same as before on both stores: 2,000 persons
(the counts scaled by the town's size, thousands of payments, visit lines and relief entries) leave exactly
the rows recorded in data/demo_2000_before.json, which `python -m tests.demo.test_larger_demo_same_as_before
--record` wrote on the code before the demo's faster writing (issue 15, item 6). Every table is compared row
for row (tests.fingerprint), the subsidy payments with their creation stamps."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from app.db.engine import Database
from app.demo import fill_demo
from tests.conftest import STORES
from tests.demo.test_demo_same_as_before import STAMPS, YEAR
from tests.fingerprint import store_digests

BEFORE = Path(__file__).resolve().parent / "data" / "demo_2000_before.json"
PERSONS = 2000


@pytest.fixture(params=STORES)
def store(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _build(db: Database) -> dict[str, object]:
    with db.transaction("演示数据") as session:
        counts = fill_demo(session, year=YEAR, persons=PERSONS, seed=1)
    return {"line": counts.line(), "tables": store_digests(db, STAMPS)}


def test_a_larger_register_is_written_as_before(db: Database, store: str) -> None:
    before = json.loads(BEFORE.read_text(encoding="utf-8"))[store]
    seen = _build(db)
    assert seen["line"] == before["line"]
    assert seen["tables"] == before["tables"]


if __name__ == "__main__" and sys.argv[1:] == ["--record"]:
    import tempfile

    from app.db.engine import open_database
    from tests.pg_cluster import Cluster

    recorded: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as folder, open_database(Path(folder) / "canlian.db") as sqlite_db:
        recorded["sqlite"] = _build(sqlite_db)
    cluster = Cluster()
    try:
        name = cluster.new_name("canlian_record")
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={cluster.port} user=postgres dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f"create database {name}")
        with open_database(cluster.url(name)) as pg_db:
            recorded["postgresql"] = _build(pg_db)
    finally:
        cluster.stop()
    BEFORE.write_text(json.dumps(recorded, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    sys.stderr.write(f"wrote {BEFORE}\n")

"""The faster search (issue 15) finds the same persons in the same order as the search before it: every
query of search_cases.py on the demo town of 2025, compared with the results recorded before the change.
On PostgreSQL too (issue 16): its own finders (pg_trgm, prefix indexes) find what SQLite's search index found."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.db.engine import Database
from tests.conftest import STORES, pg_copy
from tests.services.register.search_cases import build_town, results

RECORDED = Path(__file__).parent / "data" / "search_before.json"


@pytest.fixture(scope="module", params=STORES)
def town(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    if request.param == "sqlite":
        db = build_town(tmp_path_factory.mktemp("town-2025") / "canlian.db")
        yield db
        db.close()
        return
    with pg_copy(request.getfixturevalue("pg_cluster"), request.getfixturevalue("pg_template")) as url:
        db = build_town(url)
        yield db
        db.close()


def test_every_query_finds_what_it_found_before(town: Database) -> None:
    before = json.loads(RECORDED.read_text(encoding="utf-8"))
    now = results(town)
    assert now.keys() == before.keys()
    differing = [key for key in before if now[key] != before[key]]
    assert differing == []
    found = [v if isinstance(v, list) else v["ids"] for v in before.values()]
    assert sum(1 for ids in found if ids) > 200  # the recording is not empty: most queries find someone

"""The tests here run on both stores: `db` and `demo_db` are an SQLite file and a PostgreSQL database."""

from __future__ import annotations

import pytest

from tests.conftest import STORES


@pytest.fixture(params=STORES)
def store(request: pytest.FixtureRequest) -> str:
    return str(request.param)

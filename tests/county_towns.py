"""Demo towns for the 上报包 and 县级汇总 tests: each a register file of its own, with its own name,
区划代码 and signing key, and the county's empty register."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from app.db.engine import Database, open_database
from app.demo import fill_demo

YEAR = dt.date.today().year


def make_town(folder: Path, name: str, *, seed: int, persons: int = 40, year: int = YEAR) -> Database:
    """A demo town of its own in folder/<name>.db (open: the caller closes it)."""
    db = open_database(folder / f"{name}.db")
    with db.transaction("演示数据") as s:
        fill_demo(s, year=year, persons=persons, seed=seed, town_name=name)
    return db

"""What the search box, the register list and `canlian find` show on the demo town of 2025 for a list of
queries, as id numbers in display order. The results before issue 15's faster search were recorded with
`python -m tests.services.register.search_cases tests/services/register/data/search_before.json`
and test_search_same.py holds every later search to them."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from app.db.engine import Database, open_database
from app.services.register import search
from app.services.register.search import PersonFilter

YEAR = 2025  # a year past: the demo town of a past year is the same whatever day it is built

TEXTS = [
    "zs", "z", "zh", "zhang", "ZHANG", "wxm", "li", "lw", "wang", "x", "q", "zzz",
    "张", "明", "王明", "李伟", "秀", "兰", "金", "村", "张三丰", "·", "%", "_",
    "1985", "0157", "6209", "1234", "19", "0", "X", "2019062", "620921", "0454",
    "光明村", "光明", "金塔村", "红旗", "东风村",
]
FILTERS: dict[str, dict[str, Any]] = {
    "any status": {},
    "在册": {"status": "在册"},
    "死亡": {"status": "死亡"},
    "category 4": {"category": 4},
    "grade 1, 在册": {"grade": 1, "status": "在册"},
}
SORTS = [("name", False), ("name", True), ("id_number", False), ("village", True), ("birth_date", False),
         ("status", False)]


def _numbers(db: Database, ids: tuple[int, ...] | list[int]) -> list[str]:
    return [row.id_number for row in search.list_rows(db, list(ids))]


def results(db: Database) -> dict[str, Any]:
    """Every query's result on this store: find (200 at most), the list's ids under each filter and sort."""
    with db.session() as session:
        village_id = session.scalar(search.select(search.Village.id).where(search.Village.name == "光明村"))
    filters = {**FILTERS, "光明村, 在册": {"village_id": village_id, "status": "在册"}}
    out: dict[str, Any] = {}
    texts = [*TEXTS, *(_numbers(db, search.list_ids(db, PersonFilter(), limit=1)))]  # a whole ID number
    for text in texts:
        out[f"find {text}"] = [r.id_number for r in search.find_persons(db, text, limit=200)]
        for name, kwargs in filters.items():
            flt = PersonFilter(text=text, **kwargs)
            ids = search.list_ids(db, flt)
            out[f"list {text} | {name}"] = {"count": search.count_persons(db, flt), "ids": _numbers(db, ids)}
    for sort, descending in SORTS:
        for text in ("", "zh", "明", "1985"):
            flt = PersonFilter(text=text, status="在册")
            ids = search.list_ids(db, flt, sort=sort, descending=descending)
            out[f"sort {sort} {descending} {text}"] = _numbers(db, ids)
            page = search.list_ids(db, flt, sort=sort, descending=descending, limit=20, offset=40)
            out[f"page {sort} {descending} {text}"] = _numbers(db, page)
    return out


def build_town(path: Path | str) -> Database:
    from app.demo import fill_demo

    db = open_database(path)
    with db.transaction("演示数据") as session:
        fill_demo(session, year=YEAR)
    return db


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        town = build_town(Path(folder) / "town.db")
        found = results(town)
        town.close()
    Path(sys.argv[1]).write_text(json.dumps(found, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")

"""The demo town is the same town whichever way it is written: the seed town of a past year (so that no
row depends on today) leaves exactly the rows recorded in data/demo_town_before.json, which
`python -m tests.demo.test_demo_same_as_before --record` wrote on the code before the bulk writing."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from app.db.engine import open_database
from app.demo import fill_demo
from tests.fingerprint import store_digests

BEFORE = Path(__file__).resolve().parent / "data" / "demo_town_before.json"
YEAR = 2024
# when the town was built (the audit's stamps, later steps touching a row, a policy's entry): every other
# date and time is drawn from the seed
STAMPS = frozenset({"at", "updated_at", "policy_version.created_at"})


def _build(folder: Path) -> dict[str, object]:
    with open_database(folder / "canlian.db") as db:
        with db.transaction("演示数据") as session:
            counts = fill_demo(session, year=YEAR, persons=345, seed=1)
        return {"line": counts.line(), "tables": store_digests(db, STAMPS)}


def test_the_seed_town_is_written_as_before(tmp_path: Path) -> None:
    before = json.loads(BEFORE.read_text(encoding="utf-8"))
    seen = _build(tmp_path)
    assert seen["line"] == before["line"]
    assert seen["tables"] == before["tables"]


if __name__ == "__main__" and sys.argv[1:] == ["--record"]:
    BEFORE.parent.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        BEFORE.write_text(json.dumps(_build(Path(folder)), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    sys.stderr.write(f"wrote {BEFORE}\n")

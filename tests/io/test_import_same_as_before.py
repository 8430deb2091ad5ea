"""The bulk import does what the row-by-row import did: on the rough roster (tests/io/rough_roster.py),
the preview, the first import and a second import of the same file give the same row-level outcomes and
reasons, and leave the same rows in every table (the audit included) as recorded from the row-by-row
import in data/rough_import_before.json (`python -m tests.io.test_import_same_as_before --record` wrote
it, on the code before the bulk import)."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from app.db.engine import open_database
from app.io.roster_import import import_roster, preview_import, read_roster
from tests.fingerprint import store_digests
from tests.io import rough_roster

BEFORE = Path(__file__).resolve().parent / "data" / "rough_import_before.json"


def _run(folder: Path) -> dict[str, Any]:
    db_path = folder / "canlian.db"
    with open_database(db_path) as db:
        with db.transaction() as session:
            rough_roster.register_on_file(session)
        roster = read_roster(rough_roster.write(folder / "花名册.xlsx"))
        seen: dict[str, Any] = {"preview": rough_roster.preview_lines(
            preview_import(db, roster, today=rough_roster.TODAY))}
        seen["tables_before"] = store_digests(db)
        first = import_roster(db, roster, today=rough_roster.TODAY)
        seen["first"] = rough_roster.outcome_lines(first)
        seen["first_line"] = first.line()
        seen["tables_first"] = store_digests(db)
        seen["preview_again"] = rough_roster.preview_lines(preview_import(db, roster, today=rough_roster.TODAY))
        second = import_roster(db, roster, today=rough_roster.TODAY)
        seen["second"] = rough_roster.outcome_lines(second)
        seen["second_line"] = second.line()
        seen["tables_second"] = store_digests(db)
    return json.loads(json.dumps(seen, ensure_ascii=False))  # as the file holds it: lists, not tuples


def test_the_rough_roster_imports_as_before(tmp_path: Path) -> None:
    before = json.loads(BEFORE.read_text(encoding="utf-8"))
    seen = _run(tmp_path)
    assert seen["first_line"] == before["first_line"]
    for key in ("preview", "first", "preview_again", "second"):
        for was, now in zip(before[key], seen[key], strict=True):
            assert now == was, key
    assert seen == before


def test_the_record_has_every_kind_of_row() -> None:
    """The recorded import is worth comparing with: new, updated, unchanged and rejected rows, warnings."""
    before = json.loads(BEFORE.read_text(encoding="utf-8"))
    outcomes = {line[3] for line in before["first"]}
    assert outcomes == {"imported", "updated", "unchanged", "rejected"}
    assert {line[3] for line in before["second"]} == {"unchanged", "still_rejected"}
    assert sum(1 for line in before["first"] if line[5]) >= 10
    assert len({line[4] for line in before["first"]}) >= 15


if __name__ == "__main__" and sys.argv[1:] == ["--record"]:
    with tempfile.TemporaryDirectory() as folder:
        BEFORE.write_text(json.dumps(_run(Path(folder)), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    sys.stderr.write(f"wrote {BEFORE}\n")

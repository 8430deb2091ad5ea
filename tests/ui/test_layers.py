"""The layers of the program, held by its import statements (read with ast, so an import inside a
function counts as much as one at the top):

- under ui/, only ui/road.py imports the database layer (app.db): every other screen takes the road;
- under app/, nothing imports Qt (PySide6, shiboken6) or the window (ui): the core runs without it
  (tests/test_core_without_qt.py also imports every app module with Qt blocked).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ROAD = "ui/road.py"
DATABASE_LAYER = "app.db"
WINDOW_LAYERS = ("PySide6", "shiboken6", "ui")



def imported_modules(source: str) -> Iterator[str]:
    """Every module an import statement of source names: `import a.b` gives a.b, `from a.b import c`
    gives a.b and a.b.c (c may be a module), `from a import b` gives a and a.b."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def reaches(source: str, layer: str) -> list[str]:
    """The modules of `layer` (a package, e.g. app.db) that source imports."""
    return sorted({m for m in imported_modules(source) if m == layer or m.startswith(layer + ".")})


def _files(folder: str) -> Iterator[tuple[str, str]]:
    for path in sorted((ROOT / folder).rglob("*.py")):
        yield path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8")


def test_only_the_road_reaches_the_database() -> None:
    reaching = {name for name, source in _files("ui") if reaches(source, DATABASE_LAYER)}
    assert ROAD in reaching  # the road itself opens the store: the check sees what it should
    assert sorted(reaching - {ROAD}) == []


def test_the_core_never_reaches_the_window() -> None:
    reaching = {name: [m for layer in WINDOW_LAYERS for m in reaches(source, layer)] for name, source in _files("app")}
    assert {name: found for name, found in reaching.items() if found} == {}


def test_the_check_sees_every_way_of_importing() -> None:
    for violation in ("import app.db", "import app.db.engine as engine", "from app.db.engine import Database",
                      "from app.db import models", "from app import db",
                      "def later():\n    from app.db.models import Person\n"):
        assert reaches(violation, DATABASE_LAYER), violation
    for fine in ("import app.dbx", "from app.services.actions import Changes", "from app import paths",
                 "text = 'app.db'", "from .db import engine"):
        assert not reaches(fine, DATABASE_LAYER), fine
    assert reaches("from PySide6.QtWidgets import QWidget", "PySide6")
    assert reaches("import ui.road", "ui") and not reaches("import uikit", "ui")

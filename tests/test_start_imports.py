"""Start loads only what the window needs: opening a register whose schema is current loads no Alembic, and
the window with its register list shows before pypinyin, openpyxl, reportlab or cryptography are imported (each
is loaded when its work first comes: a name written, a workbook read or written, a form printed, a package
signed), nor PostgreSQL's dialect and driver on a file (0.1-0.2 s of SQLAlchemy's postgresql package), and
the other three tabs are built when first shown; nor the services only a person's form or a status change
needs (status_changes with the devices' and overpayments' services it uses, the villages with their groups).
Fresh processes, so that nothing another test imported counts."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

_OPEN = """
import sys
from app.db.engine import open_database
open_database(sys.argv[1]).close()
print(" ".join(m for m in ("alembic", "pypinyin", "openpyxl", "reportlab") if m in sys.modules))
"""

_WINDOW = """
import sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
app = QApplication([])
from ui.main_window import MainWindow
from ui.road import Road
road = Road.open(Path(sys.argv[1]))
window = MainWindow(road, remember=False)
window.show()
app.processEvents()
assert window.register_tab.model.rowCount() > 0
print(" ".join(m for m in ("alembic", "pypinyin", "openpyxl", "reportlab", "python_calamine", "cryptography",
                           "sqlalchemy.dialects.postgresql", "psycopg",
                           "ui.subsidies.tab", "ui.visits.tab", "ui.devices.tab",
                           "app.services.register.status_changes", "app.services.register.villages",
                           "app.services.devices.history", "app.services.subsidies.overpayments") if m in sys.modules))
window.close()
road.close()
"""


def _loaded(program: str, db_path: Path) -> set[str]:
    done = subprocess.run([sys.executable, "-c", program, str(db_path)], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parent.parent)
    assert done.returncode == 0, done.stderr
    return set(done.stdout.split())


def test_alembic_loads_only_to_migrate(db_path: Path) -> None:
    assert "alembic" in _loaded(_OPEN, db_path)  # a new file is made by the migrations
    assert _loaded(_OPEN, db_path) == set()  # the same file again: its schema is current


def test_the_window_shows_without_pinyin_workbooks_or_pdf(demo_town_file: Path, db_path: Path) -> None:
    shutil.copyfile(demo_town_file, db_path)
    assert _loaded(_WINDOW, db_path) == set()


_REPORT = """
import contextlib, io, sys
from app.cli import main
with contextlib.redirect_stdout(io.StringIO()):  # the path it prints
    assert main(["--db", sys.argv[1], "report", "yearly", "--year", "2026", "--out", sys.argv[1] + ".pdf"]) == 0
print(" ".join(m for m in ("openpyxl", "pypinyin", "alembic") if m in sys.modules))
"""


def test_a_pdf_report_loads_no_workbook_library(demo_town_file: Path, db_path: Path) -> None:
    """The yearly summary as a PDF: openpyxl (a third of a second) is loaded only for its workbook."""
    shutil.copyfile(demo_town_file, db_path)
    assert _loaded(_REPORT, db_path) == set()

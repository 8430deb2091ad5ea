"""打印预览: the real pages of the PDF the program wrote, rendered one at a time off the GUI thread, then
the system's print dialog and the same pages onto the printer; 另存为PDF asks where."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from app.db.engine import Database
from tests.ui.printed import previews
from ui import printing
from ui.print_preview import PrintPreview
from ui.road import Road
from ui.tasks import wait_for_tasks

pytestmark = pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils counts the pages")


def pages_of(pdf: Path) -> int:
    """The page count as poppler reads it: a second reader, not the one the preview uses."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    found = re.search(r"^Pages:\s+(\d+)", info, re.M)
    assert found is not None
    return int(found.group(1))


def inked(image: QImage) -> int:
    """How many of a grid of sample points are not white paper (text and table rules)."""
    return sum(1 for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)
               if image.pixelColor(x, y).lightness() < 200)


@pytest.fixture
def register_preview(qtbot: Any, demo_db: Database) -> Iterator[PrintPreview]:
    """打印花名册 of the whole demo town, as the window does it: written in the background, then previewed.
    The parent window and the road are held until the test ends (qtbot keeps only a weak reference)."""
    parent = QWidget()
    parent.resize(1280, 720)
    qtbot.addWidget(parent)
    road = Road(demo_db)
    task = printing.print_register(parent, road)
    qtbot.waitUntil(lambda: task.finished, timeout=60000)
    (dialog,) = previews()
    qtbot.waitUntil(lambda: dialog.shown_image() is not None)
    yield dialog
    del parent, road


def test_the_preview_shows_the_page_count_and_renders_page_one(register_preview: PrintPreview) -> None:
    dialog = register_preview
    pdf = dialog.printout.files[0]
    assert pages_of(pdf) > 10  # 345 persons: a long register, rendered a page at a time
    assert dialog.page_label.text() == f"第 1 页 共 {pages_of(pdf)} 页"
    assert dialog.windowTitle() == "打印预览 - 残疾人花名册"
    image = dialog.shown_image()
    assert image is not None and image.width() > 600
    assert inked(image) > 500  # the title, the table's rules and names: not a blank page
    assert not dialog.previous_button.isEnabled() and dialog.next_button.isEnabled()
    dialog.reject()


def test_pgdown_shows_the_next_page(qtbot: Any, register_preview: PrintPreview) -> None:
    dialog = register_preview
    first = dialog.shown_image()
    qtbot.keyClick(dialog, Qt.Key.Key_PageDown)
    assert dialog.page_label.text().startswith("第 2 页 共 ")
    qtbot.waitUntil(lambda: dialog.shown_image() is not None and dialog.shown_image() != first)
    dialog.page_box.setValue(dialog.printout.page_count)
    assert not dialog.next_button.isEnabled()
    dialog.reject()


def test_the_clerk_zooms_in_to_read_the_small_type_and_back_to_the_page_width(
    qtbot: Any, register_preview: PrintPreview
) -> None:
    dialog = register_preview
    fitted = dialog.shown_image()
    assert fitted is not None and dialog.zoom_label.text() == "100%"
    assert not dialog.zoom_out_button.isEnabled() and not dialog.fit_button.isEnabled()
    qtbot.keyClick(dialog, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)  # Ctrl+= (the + key's own)
    assert dialog.zoom_label.text() == "125%"
    qtbot.waitUntil(lambda: (image := dialog.shown_image()) is not None and image.width() > fitted.width())
    qtbot.mouseClick(dialog.zoom_in_button, Qt.MouseButton.LeftButton)
    assert dialog.zoom_label.text() == "150%"
    qtbot.waitUntil(lambda: (image := dialog.shown_image()) is not None
                    and abs(image.width() - 1.5 * fitted.width()) <= 3)
    assert dialog.scroll.horizontalScrollBar().maximum() > 0  # wider than the window: it scrolls
    for _ in range(3):  # 200%, 250%, 300%: the largest
        qtbot.mouseClick(dialog.zoom_in_button, Qt.MouseButton.LeftButton)
    assert dialog.zoom_label.text() == "300%" and not dialog.zoom_in_button.isEnabled()
    qtbot.keyClick(dialog, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert dialog.zoom_label.text() == "100%"
    qtbot.waitUntil(lambda: (image := dialog.shown_image()) is not None and image.width() == fitted.width())
    dialog.reject()


def test_print_goes_through_the_print_dialog_and_sends_every_page(
    qtbot: Any, register_preview: PrintPreview, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = register_preview
    out = tmp_path / "打印机.pdf"
    asked: list[tuple[int, int]] = []

    def choose_printer(print_dialog: QPrintDialog) -> int:
        printer = print_dialog.printer()
        asked.append((printer.fromPage(), printer.toPage()))
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))  # the "printer": a PDF file, offscreen
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(QPrintDialog, "exec", choose_printer)
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    assert wait_for_tasks(60000)
    count = dialog.printout.page_count
    assert asked == [(1, count)]
    assert pages_of(out) == pages_of(dialog.printout.files[0]) == count
    assert dialog.page_label.text() == f"已送往打印机 {count} 页（共 {count} 页）"
    out.unlink()
    printer = dialog.new_printer()
    printer.setOutputFileName(str(out))
    printer.setFromTo(2, 3)  # 打印范围 第2页到第3页
    dialog.send_to(printer)
    assert wait_for_tasks(60000) and pages_of(out) == 2
    dialog.reject()


def test_a_cancelled_print_dialog_prints_nothing(
    qtbot: Any, register_preview: PrintPreview, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QPrintDialog, "exec", lambda _d: QDialog.DialogCode.Rejected.value)
    assert register_preview.print_pages() is None and register_preview.printed is None
    register_preview.reject()


def test_save_as_pdf_asks_where_remembers_it_and_offers_to_open(
    qtbot: Any, register_preview: PrintPreview, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    saved: list[tuple[str, Path]]
) -> None:
    dialog = register_preview
    asked: list[tuple[str, str]] = []
    answers = [str(tmp_path / "给县里" / "花名册"), ""]

    def where(_parent: object, title: str, suggested: str, _filter: str) -> tuple[str, str]:
        asked.append((title, suggested))
        return answers.pop(0), ""

    (tmp_path / "给县里").mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", where)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    target = tmp_path / "给县里" / "花名册.pdf"
    assert target.read_bytes() == dialog.printout.files[0].read_bytes()
    assert saved == [(f"已保存到 {target}", target)]
    assert asked[0][0] == "另存为PDF" and Path(asked[0][1]).name == dialog.printout.files[0].name
    assert dialog.save_pdf() is None  # refused the second time: nothing more written
    assert Path(asked[1][1]).parent == tmp_path / "给县里"  # started where the last one went
    assert sorted(p.name for p in (tmp_path / "给县里").iterdir()) == ["花名册.pdf"] and len(saved) == 1
    dialog.reject()

"""打印预览: the pages of the PDF the program wrote, rendered by pdfium (pypdfium2) one at a time off the GUI
thread, then 打印… (the system's print dialog, the same rendered pages painted onto the printer in the
background, page by page with progress) or 另存为PDF… (asks where). A long register never freezes the
window: only the page in sight is rendered, and printing runs as a task that can be cancelled."""

from __future__ import annotations

import atexit
import shutil
import threading
import weakref
from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtCore import QObject, QRect, QRunnable, QSize, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent, QImage, QKeySequence, QPageLayout, QPainter, QPixmap, QResizeEvent, QShortcut
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.errors import InputError
from ui.road import Road
from ui.screen import ScreenDialog, free_area
from ui.tasks import Progress, Task, run_task

# pdfium is not thread-safe: every call into it, from any thread of the program, holds this lock.
_PDFIUM = threading.Lock()
_PRINT_DPI = 300  # enough for the 8-point type of a roster; more only makes the printer's job bigger
ZOOMS = (1.0, 1.25, 1.5, 2.0, 2.5, 3.0)  # times the page's width fitted to the window (适合宽度 is 100%)


class Printout:
    """The pages of one or more PDFs, numbered on (a roster per village prints as one job)."""

    def __init__(self, files: list[Path]) -> None:
        self.files = files
        with _PDFIUM:
            self._documents = [pdfium.PdfDocument(str(file)) for file in files]
            self._pages = [(doc, n) for doc in self._documents for n in range(len(doc))]
            self._sizes = [self._size(doc, n) for doc, n in self._pages]
        mine = weakref.ref(self)  # a preview the program ends with still open closes its files quietly
        atexit.register(lambda: (printout := mine()) is not None and printout.close())

    @staticmethod
    def _size(doc: pdfium.PdfDocument, n: int) -> tuple[float, float]:
        page = doc[n]
        try:
            width, height = page.get_size()
            return float(width), float(height)
        finally:
            page.close()

    @property
    def page_count(self) -> int:
        return len(self._pages)

    def size_points(self, index: int) -> tuple[float, float]:
        """The page's width and height in points (1/72 inch)."""
        return self._sizes[index]

    def render(self, index: int, dpi: float) -> QImage:
        """Page index (from 0) as an image at dpi; safe from any thread."""
        doc, n = self._pages[index]
        with _PDFIUM:
            page = doc[n]
            try:
                bitmap = page.render(scale=dpi / 72, prefer_bgrx=True)  # BGRx: Qt's RGB32 on every PC we run on
                image = QImage(bytes(bitmap.buffer), bitmap.width, bitmap.height, bitmap.stride,
                               QImage.Format.Format_RGB32).copy()
            finally:
                page.close()
        return image

    def close(self) -> None:
        with _PDFIUM:
            for doc in self._documents:
                doc.close()
            self._documents = []


class PrinterRefused(InputError):
    """The printer could not start the job."""


def print_printout(printout: Printout, printer: QPrinter, progress: Progress | None = None) -> int:
    """Paint the pages the print dialog chose (all, or 从…到…) onto the printer, each fitted to the printable
    area; returns how many pages were sent. Runs in a worker thread (Qt paints on a QPrinter in any thread)."""
    first, last = printer.fromPage(), printer.toPage()
    indexes = list(range(printout.page_count))
    if first > 0:
        indexes = indexes[first - 1: (last or printout.page_count)]
    dpi = min(printer.resolution(), _PRINT_DPI)
    painter = QPainter()
    if not painter.begin(printer):
        raise PrinterRefused("打印机没有开始打印：请检查打印机已连接并开机，然后再点“打印”。")
    try:
        for count, index in enumerate(indexes, 1):
            if progress is not None:
                progress.check()
                progress(count - 1, len(indexes), f"正在打印第 {index + 1} 页（共 {len(indexes)} 页）……")
            if count > 1:
                printer.newPage()
            image = printout.render(index, dpi)
            area = painter.viewport()
            fitted = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRect(area.x() + (area.width() - fitted.width()) // 2, area.y(), fitted.width(), fitted.height())
            painter.drawImage(target, image)
    finally:
        painter.end()
    return len(indexes)


class _Rendered(QObject):
    done = Signal(int, float, QImage)


class _RenderPage(QRunnable):
    def __init__(self, printout: Printout, index: int, dpi: float, signals: _Rendered) -> None:
        super().__init__()
        self.printout, self.index, self.dpi, self.signals = printout, index, dpi, signals

    def run(self) -> None:
        self.signals.done.emit(self.index, self.dpi, self.printout.render(self.index, self.dpi))


class PrintPreview(ScreenDialog):
    """打印预览 of files the program wrote; save_name is what 另存为PDF suggests (for one file)."""

    def __init__(self, title: str, files: list[Path], parent: QWidget | None = None, *,
                 save_name: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("print_preview")
        self.setWindowTitle(f"打印预览 - {title}")
        self.title = title
        self.save_name = save_name or files[0].name
        self.printout = Printout(files)
        self.printed: Task[int] | None = None
        self._cache: dict[tuple[int, float], QImage] = {}
        self._shown: tuple[int, float] | None = None
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # pages render one after another; pdfium takes one call at a time
        self._signals = _Rendered(self)
        self._signals.done.connect(self._rendered)
        self._resized = QTimer(self, singleShot=True, interval=150)
        self._resized.timeout.connect(self.show_page)

        self.page_label = QLabel()
        self.page_label.setObjectName("page_count")
        self.previous_button = QPushButton("上一页")
        self.previous_button.setObjectName("previous_page")
        self.previous_button.setToolTip("PgUp")
        self.next_button = QPushButton("下一页")
        self.next_button.setObjectName("next_page")
        self.next_button.setToolTip("PgDown")
        self.page_box = QSpinBox()
        self.page_box.setObjectName("page_number")
        self.page_box.setRange(1, max(self.printout.page_count, 1))
        self.page_box.setPrefix("第 ")
        self.page_box.setSuffix(" 页")
        self.page_box.valueChanged.connect(self.show_page)
        self.previous_button.clicked.connect(lambda: self.page_box.stepBy(-1))
        self.next_button.clicked.connect(lambda: self.page_box.stepBy(1))
        QShortcut(QKeySequence(Qt.Key.Key_PageUp), self, activated=lambda: self.page_box.stepBy(-1))
        QShortcut(QKeySequence(Qt.Key.Key_PageDown), self, activated=lambda: self.page_box.stepBy(1))
        self.zoom = ZOOMS[0]
        self.zoom_out_button = QPushButton("缩小")
        self.zoom_out_button.setObjectName("zoom_out")
        self.zoom_out_button.setToolTip("Ctrl+减号")
        self.zoom_label = QLabel()
        self.zoom_label.setObjectName("zoom")
        self.zoom_in_button = QPushButton("放大")
        self.zoom_in_button.setObjectName("zoom_in")
        self.zoom_in_button.setToolTip("Ctrl+加号")
        self.fit_button = QPushButton("适合宽度")
        self.fit_button.setObjectName("fit_width")
        self.fit_button.setToolTip("Ctrl+0")
        self.zoom_out_button.clicked.connect(lambda: self.zoom_by(-1))
        self.zoom_in_button.clicked.connect(lambda: self.zoom_by(1))
        self.fit_button.clicked.connect(lambda: self.set_zoom(ZOOMS[0]))
        for keys, step in ((QKeySequence.StandardKey.ZoomIn, 1), ("Ctrl+=", 1), (QKeySequence.StandardKey.ZoomOut, -1)):
            QShortcut(QKeySequence(keys), self, activated=lambda step=step: self.zoom_by(step))
        QShortcut(QKeySequence("Ctrl+0"), self, activated=lambda: self.set_zoom(ZOOMS[0]))
        top = QHBoxLayout()
        for widget in (self.previous_button, self.page_box, self.next_button):
            top.addWidget(widget)
        top.addSpacing(24)
        for widget in (self.zoom_out_button, self.zoom_label, self.zoom_in_button, self.fit_button):
            top.addWidget(widget)
        top.addStretch(1)
        top.addWidget(self.page_label)

        self.page_view = QLabel("正在显示……")
        self.page_view.setObjectName("page_view")
        self.page_view.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.page_view)
        self.scroll.setStyleSheet("QScrollArea { background: #808080; } QLabel#page_view { background: #808080; }")

        self.print_button = QPushButton("打印(&P)…")
        self.print_button.setObjectName("print")
        self.print_button.setDefault(True)
        self.print_button.clicked.connect(self.print_pages)
        self.save_button = QPushButton("另存为PDF(&S)…")
        self.save_button.setObjectName("save_pdf")
        self.save_button.clicked.connect(self.save_pdf)
        close_button = QPushButton("关闭")
        close_button.setObjectName("close")
        close_button.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        for button in (self.print_button, self.save_button, close_button):
            bottom.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.scroll, 1)
        layout.addLayout(bottom)
        self._fit_to_screen()
        self.set_zoom(ZOOMS[0])

    def _fit_to_screen(self) -> None:
        screen = free_area(self.parentWidget() or self)
        self.resize(min(1100, int(screen.width() * 0.9)), min(820, int(screen.height() * 0.9)))

    # --- the page in sight ------------------------------------------------------------------------
    @property
    def current(self) -> int:
        return self.page_box.value() - 1

    def page_dpi(self) -> float:
        """The page's width fitted to the view, times the zoom (on a high-DPI screen, at its real pixel
        density). The fit is taken from the scroll area less a scroll bar's room, so that it does not change
        when a zoomed page brings the scroll bar."""
        width_points, _ = self.printout.size_points(self.current)
        bar = self.scroll.verticalScrollBar().sizeHint().width()
        room = max(self.scroll.width() - bar - 24, 200) * self.devicePixelRatioF()
        return round(room / width_points * 72 * self.zoom, 1)

    def set_zoom(self, zoom: float) -> None:
        """Show the page at zoom times its fitted width (放大 to read the small type of a roster)."""
        self.zoom = zoom
        self.zoom_label.setText(f"{round(zoom * 100)}%")
        self.zoom_out_button.setEnabled(zoom > ZOOMS[0])
        self.zoom_in_button.setEnabled(zoom < ZOOMS[-1])
        self.fit_button.setEnabled(zoom != ZOOMS[0])
        self.show_page()

    def zoom_by(self, steps: int) -> None:
        """One step larger (1) or smaller (-1) among ZOOMS."""
        at = ZOOMS.index(self.zoom) if self.zoom in ZOOMS else 0
        self.set_zoom(ZOOMS[min(max(at + steps, 0), len(ZOOMS) - 1)])

    @Slot()
    def show_page(self) -> None:
        count = self.printout.page_count
        self.page_label.setText(f"第 {self.current + 1} 页 共 {count} 页")
        self.previous_button.setEnabled(self.current > 0)
        self.next_button.setEnabled(self.current < count - 1)
        key = (self.current, self.page_dpi())
        if key in self._cache:
            self._put(self._cache[key], key)
            return
        self._pool.start(_RenderPage(self.printout, key[0], key[1], self._signals))

    @Slot(int, float, QImage)
    def _rendered(self, index: int, dpi: float, image: QImage) -> None:
        if len(self._cache) > 8:  # a long register: keep only the last few pages in memory
            self._cache.clear()
        self._cache[(index, dpi)] = image
        if (index, dpi) == (self.current, self.page_dpi()):
            self._put(image, (index, dpi))

    def _put(self, image: QImage, key: tuple[int, float]) -> None:
        self._shown = key
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(self.devicePixelRatioF())
        self.page_view.setPixmap(pixmap)

    def page_is_shown(self) -> bool:
        """Whether the page in sight is shown at the zoom asked (not an earlier page or zoom)."""
        return self._shown == (self.current, self.page_dpi())

    def shown_image(self) -> QImage | None:
        """The page as it is shown now (None while it is being rendered)."""
        pixmap = self.page_view.pixmap()
        return None if pixmap.isNull() else pixmap.toImage()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._resized.start()

    # --- 打印 and 另存为PDF -------------------------------------------------------------------------
    def new_printer(self) -> QPrinter:
        """A printer set up as the pages are: landscape for a landscape form, 第1页 to the last offered."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.title)
        width, height = self.printout.size_points(0)
        printer.setPageOrientation(QPageLayout.Orientation.Landscape if width > height
                                   else QPageLayout.Orientation.Portrait)
        printer.setFromTo(1, self.printout.page_count)
        return printer

    @Slot()
    def print_pages(self) -> Task[int] | None:
        """The system's print dialog, then the pages onto the chosen printer in the background."""
        printer = self.new_printer()
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(f"打印 - {self.title}")
        dialog.setMinMax(1, self.printout.page_count)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return self.send_to(printer)

    def send_to(self, printer: QPrinter) -> Task[int]:
        def done(pages: int) -> None:
            self.page_label.setText(f"已送往打印机 {pages} 页（共 {self.printout.page_count} 页）")

        self._printer = printer  # kept alive until the job ends
        self.printed = run_task(self, "打印", lambda progress: print_printout(self.printout, printer, progress),
                                done, cancellable=True)
        return self.printed

    @Slot()
    def save_pdf(self) -> list[Path] | None:
        """另存为PDF…: one file where the clerk says; several (one per village) into a chosen folder."""
        from ui.printing import PRINT_FOLDER_KEY, ask_folder, ask_save_path, offer_to_open

        files = self.printout.files
        if len(files) == 1:
            target = ask_save_path(self, "另存为PDF", PRINT_FOLDER_KEY, self.save_name, "pdf")
            if target is None:
                return None
            shutil.copyfile(files[0], target)
            offer_to_open(self, "另存为PDF", f"已保存到 {target}", target)
            return [target]
        folder = ask_folder(self, "另存为PDF：选择保存的文件夹", PRINT_FOLDER_KEY)
        if folder is None:
            return None
        saved = [Path(shutil.copyfile(file, folder / file.name)) for file in files]
        offer_to_open(self, "另存为PDF", f"已把{len(saved)}个文件保存到 {folder}", folder)
        return saved

    # --- closing --------------------------------------------------------------------------------
    def done(self, result: int) -> None:
        if self.printed is not None and not self.printed.finished:
            return  # the pages are still going to the printer: the progress box offers 取消
        self._pool.waitForDone()
        self.printout.close()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.printed is not None and not self.printed.finished:
            event.ignore()
            return
        super().closeEvent(event)

    def sizeHint(self) -> QSize:
        return QSize(1000, 760)


def preview(parent: QWidget | None, title: str, files: list[Path], *, save_name: str | None = None) -> PrintPreview:
    """Open the preview window-modal (the window stays drawn behind it) and return it."""
    dialog = PrintPreview(title, files, parent, save_name=save_name)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def sample_preview(parent: QWidget, road: Road, *, zoom: float = ZOOMS[0]) -> PrintPreview:
    """打印预览 of the first page of the register at zoom, for `--screenshots` (the manual shows it)."""
    from app.reports import ReportRequest, print_report
    from ui.printing import printout_path
    from ui.tasks import wait_for_tasks

    out = printout_path("残疾人花名册-示例")
    task = road.run(parent, "打印花名册", print_report, ReportRequest(kind="registry", out=out),
                    on_done=lambda _written: None)
    wait_for_tasks()
    if task.error is not None:
        raise task.error
    dialog = PrintPreview("残疾人花名册", [out], parent)
    dialog.show()  # fitted into the screen as it shows: the page is then rendered for the size it has there
    QApplication.processEvents()
    dialog.set_zoom(zoom)
    while not dialog.page_is_shown():
        QThreadPool.globalInstance().waitForDone(20)
        dialog._pool.waitForDone(20)
        QApplication.processEvents()
    return dialog

"""导入花名册: the clerk picks a workbook, checks which column is which, sees what each row will do, and
only then imports. Everything is worked out by app.io.roster_import; these pages only show it and ask. The
preview and the import run off the GUI thread through the road (road.run), with progress; the import tells
every screen through road.changed.

Open it with ImportWizard(road, parent).exec(); `imported` fires after the register changed.
Tests (and the screenshot code) skip the file dialog with set_file(path).
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.domain.idnumber import mask
from app.domain.register_rules import text_of
from app.errors import CanlianError
from app.io.import_report import write_report
from app.io.roster_import import (
    FIELD_HEADERS,
    ImportResult,
    PreviewRow,
    Roster,
    import_roster,
    preview_import,
    read_roster,
)
from ui import screen, style
from ui.register.import_preview import PreviewTable, counts_text, result_lines
from ui.road import Road
from ui.style import settings
from ui.tasks import Task

IMPORT_FOLDER_KEY = "folders/import"
NOT_IMPORTED = "不导入"
OPEN_FILTER = "Excel 工作簿 (*.xlsx)"  # only .xlsx is read; an old .xls is refused with how to convert it
_ERROR_STYLE = "color: #b00020;"
_OK_STYLE = "color: #1b5e20;"


def _column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: the column names Excel shows."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _sample_text(value: object) -> str:
    """A cell of the first data row as a hint; long digit strings (IDs, accounts) are masked."""
    if value is None:
        return ""
    text = text_of(value)
    return mask(text) if len(text) >= 15 and text[:14].isdigit() else text


class _FilePage(QWizardPage):
    """第一步: choose the workbook; a file that cannot be read keeps the clerk here with the reason."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle("第一步：选择花名册文件")
        self.setSubTitle("选择要导入的Excel花名册（.xlsx）；旧版 .xls 请先在Excel中另存为 .xlsx。"
                         "表格上方的标题行不必删除，程序会自动找到含“姓名”“身份证号”的表头行。")
        self.path_edit = QLineEdit()
        self.path_edit.setReadOnly(True)
        self.path_edit.setPlaceholderText("尚未选择文件")
        choose = QPushButton("选择文件…")
        choose.setObjectName("choose_file")
        choose.setAutoDefault(False)  # Enter goes on to 下一步, it does not open the file chooser again
        choose.clicked.connect(self.choose_file)
        self.status = QLabel()
        self.status.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(choose)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addStretch(1)

    def choose_file(self) -> None:
        folder = str(settings().value(IMPORT_FOLDER_KEY, str(Path.home())))
        path, _ = QFileDialog.getOpenFileName(self, "选择花名册", folder, OPEN_FILTER)
        if path:
            settings().setValue(IMPORT_FOLDER_KEY, str(Path(path).parent))
            if self._wizard.set_file(Path(path)):
                self._wizard.button(QWizard.WizardButton.NextButton).setFocus()  # the next key goes on

    def show_read(self, path: Path, roster: Roster | None, error: str) -> None:
        self.path_edit.setText(str(path))
        if roster is None:
            self.status.setStyleSheet(_ERROR_STYLE)
            self.status.setText(error)
        else:
            self.status.setStyleSheet(_OK_STYLE)
            others = (f"（工作表“{'”“'.join(roster.other_sheets)}”也像花名册，这次不导入，可以另存后单独导入。）"
                      if roster.other_sheets else "")
            self.status.setText(f"已找到表头：工作表“{roster.sheet_name}”第{roster.header_row}行，"
                                f"下面有{len(roster.rows)}行数据。{others}请点“下一步”核对各列。")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self._wizard.roster is not None

    def validatePage(self) -> bool:
        return self.isComplete()


class _MappingPage(QWizardPage):
    """第二步: one line per column of the sheet, with the item it goes into; the clerk may change it."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle("第二步：核对各列对应的项目")
        self.setSubTitle(f"请逐列核对“对应项目”，选错的可以改；不需要的列选“{NOT_IMPORTED}”。"
                         "“姓名”和“身份证号”必须指定。")
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["列", "列标题", "第一行内容", "对应项目"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Fixed)
        style.size_columns(self.table, {3: "残疾证号 等等"}, padding=40)  # room for the choice's arrow
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(_ERROR_STYLE)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        self.combos: list[QComboBox] = []

    def initializePage(self) -> None:
        roster = self._wizard.roster
        assert roster is not None
        self.error.clear()
        self.intro.setText(f"表头在工作表“{roster.sheet_name}”第{roster.header_row}行，"
                           f"下面{len(roster.rows)}行是要导入的数据。")
        field_of_column = {col: key for key, col in roster.mapping.items()}
        first = roster.rows[0].cells if roster.rows else ()
        self.table.setRowCount(len(roster.headers))
        self.combos = []
        for col, name in enumerate(roster.headers):
            sample = _sample_text(first[col]) if col < len(first) else ""
            for pos, text in enumerate((_column_letter(col), name or "（空白）", sample)):
                self.table.setItem(col, pos, QTableWidgetItem(text))
            combo = QComboBox()
            combo.setObjectName(f"column_{_column_letter(col)}")
            combo.addItem(NOT_IMPORTED, "")
            for key, label in FIELD_HEADERS.items():
                combo.addItem(label, key)
            combo.setCurrentIndex(max(combo.findData(field_of_column.get(col, "")), 0))
            combo.currentIndexChanged.connect(lambda _i, c=combo: self._taken(c))
            self.table.setCellWidget(col, 3, combo)
            self.combos.append(combo)

    def _taken(self, chosen: QComboBox) -> None:
        """A column given an item another column had: that other column becomes 不导入 (one column each)."""
        key = chosen.currentData()
        for combo in self.combos:
            if combo is not chosen and key and combo.currentData() == key:
                combo.setCurrentIndex(0)
        self.error.clear()

    def mapping(self) -> dict[str, int]:
        return {combo.currentData(): col for col, combo in enumerate(self.combos) if combo.currentData()}

    def validatePage(self) -> bool:
        roster = self._wizard.roster
        assert roster is not None
        try:
            self._wizard.mapped = roster.with_mapping(self.mapping())
        except CanlianError as exc:
            self.error.setText(str(exc))
            return False
        return True


class _PreviewPage(QWizardPage):
    """第三步: what importing would do to each row, worked out in the background; nothing is saved yet."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle("第三步：预览导入结果")
        self.setSubTitle("下面是导入后每一行的结果，此时还没有保存任何内容。被拒绝的行标为红色，不会导入。")
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "开始导入")
        self.counts = QLabel()
        self.counts.setStyleSheet("font-weight: bold;")
        self.table = PreviewTable()
        layout = QVBoxLayout(self)
        layout.addWidget(self.counts)
        layout.addWidget(self.table, 1)
        self.rows: list[PreviewRow] | None = None

    def initializePage(self) -> None:
        self.rows = None
        self.table.set_rows([])
        self.counts.setText("正在核对每一行，请稍候……")
        wizard = self._wizard
        assert wizard.mapped is not None
        wizard.task = wizard.road.run(wizard, "核对花名册", preview_import, wizard.mapped, on_done=self._show,
                                      on_error=self._failed)

    def _show(self, rows: list[PreviewRow]) -> None:
        self.rows = rows
        self.table.set_rows(rows)
        self.counts.setText("导入后将" + counts_text([r.outcome for r in rows]) + "。")
        self.completeChanged.emit()

    def _failed(self, _exc: BaseException) -> None:
        self.counts.setText("核对没有完成：请点“上一步”检查后重试。")

    def isComplete(self) -> bool:
        return self.rows is not None


class _ResultPage(QWizardPage):
    """第四步: the import itself (one transaction, in the background), then what it did."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle("第四步：导入")
        self.setSubTitle("全部行一次导入：中途出错时登记册不作任何改动。")
        self.summary = QLabel()
        style.heading(self.summary)
        self.summary.setWordWrap(True)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.save_button = QPushButton("保存拒绝清单…")
        self.save_button.setObjectName("save_rejections")
        self.save_button.setAutoDefault(False)  # once saved, Enter means 完成, not 保存 again
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self.choose_report)
        self.saved = QLabel()
        self.saved.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.save_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.details)
        layout.addLayout(row)
        layout.addWidget(self.saved)
        layout.addStretch(1)
        self.done = False

    def initializePage(self) -> None:
        wizard = self._wizard
        assert wizard.mapped is not None
        self.summary.setText("正在导入，请稍候……")
        wizard.task = wizard.road.run(wizard, "导入花名册", import_roster, wizard.mapped, on_done=self._show,
                                      on_error=self._failed)

    def _show(self, result: ImportResult) -> None:
        wizard = self._wizard
        wizard.result = result
        self.summary.setText("导入完成：" + result_lines(result)[0])
        self.details.setText("\n".join(result_lines(result)[1:]))
        self.save_button.setEnabled(bool(result.rejected or result.warnings))
        self._finish()
        wizard.imported.emit(result)

    def _failed(self, _exc: BaseException) -> None:
        self.summary.setText("导入没有完成，登记册未作任何改动。")
        self._finish()

    def _finish(self) -> None:
        self.done = True
        self.completeChanged.emit()

    def choose_report(self) -> None:
        wizard = self._wizard
        assert wizard.mapped is not None
        folder = Path(str(settings().value(IMPORT_FOLDER_KEY, str(Path.home()))))
        suggested = folder / f"{wizard.mapped.path.stem}-拒绝清单.xlsx"
        path, _ = QFileDialog.getSaveFileName(self, "保存拒绝清单", str(suggested), "Excel 工作簿 (*.xlsx)")
        if path:
            wizard.save_rejections(Path(path) if path.lower().endswith(".xlsx") else Path(path + ".xlsx"))
            wizard.button(QWizard.WizardButton.FinishButton).setFocus()

    def isComplete(self) -> bool:
        return self.done


class ImportWizard(QWizard):
    """The four steps of 导入花名册. `roster` is the workbook as read, `mapped` with the clerk's columns,
    `result` what the import did; `task` is the background job running now (tests wait on it)."""

    imported = Signal(object)  # ImportResult: the register changed, lists should refresh

    def __init__(self, road: Road, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.road = road
        self.roster: Roster | None = None
        self.mapped: Roster | None = None
        self.result: ImportResult | None = None
        self.task: Task[object] | None = None
        self.setWindowTitle("导入花名册")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)  # once imported, only 完成
        screen.fitted(self)  # inside the screen's free area whenever shown
        for which, text in ((QWizard.WizardButton.BackButton, "< 上一步(&B)"),
                            (QWizard.WizardButton.NextButton, "下一步(&N) >"),
                            (QWizard.WizardButton.CommitButton, "开始导入"),
                            (QWizard.WizardButton.FinishButton, "完成"),
                            (QWizard.WizardButton.CancelButton, "取消")):
            self.setButtonText(which, text)
        self.file_page = _FilePage(self)
        self.mapping_page = _MappingPage(self)
        self.preview_page = _PreviewPage(self)
        self.result_page = _ResultPage(self)
        for page in (self.file_page, self.mapping_page, self.preview_page, self.result_page):
            self.addPage(page)
        wide = self.fontMetrics().horizontalAdvance("中") * 66  # the reasons of a rejected row, in 大字体 too
        self.resize(max(900, wide), 620)  # kept within the screen when shown (ui.screen)

    def set_file(self, path: Path) -> bool:
        """Read the workbook at path and show what was found; False (and the reason on the page) if it
        cannot be imported, in which case the wizard stays on the first step."""
        path = Path(path)
        try:
            self.roster = read_roster(path)
        except CanlianError as exc:
            self.roster = None
            self.file_page.show_read(path, None, str(exc))
            return False
        self.mapped = None
        self.file_page.show_read(path, self.roster, "")
        return True

    def save_rejections(self, path: Path) -> Path | None:
        """Write the rejected rows (with row numbers and reasons) and the warnings to a workbook."""
        if self.result is None or self.mapped is None:
            return None
        try:
            written = write_report(path, self.mapped, self.result)
        except CanlianError as exc:
            self.result_page.saved.setStyleSheet(_ERROR_STYLE)
            self.result_page.saved.setText(str(exc))
            return None
        self.result_page.saved.setStyleSheet(_OK_STYLE)
        self.result_page.saved.setText(f"拒绝清单已保存到 {written}")
        return cast(Path, written)

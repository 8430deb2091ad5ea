"""Chinese in Qt's own words: the standard buttons (是/否/确定/取消), the file dialogs (查找范围, 文件名称,
目录未找到), the wizard's and the text boxes' menus. Qt's translation of its own texts (qtbase_zh_CN.qm,
shipped inside PySide6 and collected by build.spec into the frozen folder) is loaded when the application
is made, with the Chinese locale for dates and the calendar; the few texts that file lacks for this Qt
(strings that gained a shortcut letter after it was translated) are supplied here.

english_in_standard_dialogs() is what `canlian --selfcheck` asks (through app.paths): every standard button
and the file dialog's labels, read back after loading, must be Chinese."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

QT_CATALOGUE = "qtbase_zh_CN"

# (context, source) -> Chinese, for the texts Qt shows but qtbase_zh_CN.qm does not translate.
_MISSING: dict[tuple[str, str], str] = {
    ("QFileDialog", "&Look in:"): "查找范围(&L)：",
    ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
    ("QFileSystemModel", "%1 bytes"): "%1 字节",
}

_installed: list[QTranslator] = []  # kept alive while installed: Qt holds only a pointer


class _MissingTexts(QTranslator):
    """The texts of _MISSING; None (not found) for every other, so Qt asks its own catalogue."""

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str | None:
        return _MISSING.get((context, source))

    def isEmpty(self) -> bool:
        return False


def translations_folders() -> list[Path]:
    """Where Qt's .qm files may be: Qt's own idea, PySide6's folder, and the frozen build's."""
    folders = [Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))]
    import PySide6

    folders.append(Path(PySide6.__file__).resolve().parent / "Qt" / "translations")
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        folders.append(Path(frozen) / "PySide6" / "Qt" / "translations")
    return folders


def install_chinese(app: QCoreApplication) -> bool:
    """Load Qt's Chinese texts into app (once) and make Chinese the locale; False if the catalogue was
    not found (the window then still works, with Qt's own buttons in English)."""
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    if _installed:
        return True
    catalogue = QTranslator(app)
    if not any(catalogue.load(QT_CATALOGUE, str(folder)) for folder in translations_folders()):
        return False
    missing = _MissingTexts(app)
    for translator in (catalogue, missing):  # the last installed is asked first
        app.installTranslator(translator)
        _installed.append(translator)
    return True


def uninstall_chinese(app: QCoreApplication) -> None:
    """Take the translations out again (for a test that starts the way the program does)."""
    while _installed:
        app.removeTranslator(_installed.pop())


STANDARD_BUTTONS = ("Ok", "Save", "SaveAll", "Open", "Yes", "YesToAll", "No", "NoToAll", "Abort", "Retry", "Ignore",
                    "Close", "Cancel", "Discard", "Help", "Apply", "Reset", "RestoreDefaults")
_ENGLISH = re.compile(r"[A-Za-z]{2,}")


def english_in_standard_dialogs() -> list[str]:
    """The texts of Qt's standard buttons, the file dialog, the wizard's buttons and a text box's
    right-click menu that still read in English after the application was made as the program makes it;
    [] when all are Chinese."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import (
        QAbstractButton,
        QDialogButtonBox,
        QFileDialog,
        QLabel,
        QLineEdit,
        QMessageBox,
        QWizard,
    )

    from ui.app import _application

    _application()
    box = QMessageBox()
    buttons = QDialogButtonBox()
    for name in STANDARD_BUTTONS:
        box.addButton(getattr(QMessageBox.StandardButton, name))
        buttons.addButton(getattr(QDialogButtonBox.StandardButton, name))
    texts = [b.text() for b in box.buttons()] + [b.text() for b in buttons.buttons()]
    for mode in (QFileDialog.AcceptMode.AcceptOpen, QFileDialog.AcceptMode.AcceptSave):
        dialog = QFileDialog(None, "选择")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        dialog.setAcceptMode(mode)
        texts += [label.text() for label in dialog.findChildren(QLabel)]
        texts += [button.text() for button in dialog.findChildren(QAbstractButton)]
        dialog.deleteLater()
    wizard = QWizard()
    wizard_buttons = (QWizard.WizardButton.BackButton, QWizard.WizardButton.NextButton,
                      QWizard.WizardButton.FinishButton, QWizard.WizardButton.HelpButton)
    texts += [wizard.buttonText(which) for which in wizard_buttons]
    line = QLineEdit()
    menu = line.createStandardContextMenu()  # 撤消, 复制, 粘贴 … on a right click in any box
    texts += [action.text().split("\t")[0] for action in menu.actions()]
    for widget in (box, buttons, wizard, line, menu):
        widget.deleteLater()
    return sorted({text for text in texts if _ENGLISH.search(text.replace("&", ""))})

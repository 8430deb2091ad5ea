"""Qt's own words in Chinese from the start: the standard buttons say 是/否, the file dialog says 查找范围
and 文件名称, and the self-check's question finds English when Qt's translation is missing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import cast

import pytest
from PySide6.QtCore import QLocale, Qt, QTimer
from PySide6.QtWidgets import QAbstractButton, QApplication, QFileDialog, QLabel, QMessageBox, QWidget

from app.db.engine import Database
from tests.factories import add_person, make_id
from tests.ui.clerk import click, type_into
from ui import language
from ui.register.import_wizard import ImportWizard
from ui.register.person_form import PersonForm
from ui.road import Road

ID = make_id("19750312", "242")


@pytest.fixture
def started_as_the_program(qapp: QApplication) -> Iterator[None]:
    """Qt as it is before the program starts (no translation, the C locale), then started as ui.app does."""
    language.uninstall_chinese(qapp)
    QLocale.setDefault(QLocale.c())
    assert QMessageBox().addButton(QMessageBox.StandardButton.Yes).text() == "&Yes"  # English until loaded
    from ui.app import _application

    _application()
    yield
    language.install_chinese(qapp)


def _when_modal(kind: type[QWidget], answer: Callable[[QWidget], None]) -> list[QWidget]:
    """answer(dialog) once a modal dialog of this kind is up (a standard box or file dialog has no name)."""
    seen: list[QWidget] = []
    waited = [0]

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, kind) and dialog.isVisible():
            seen.append(dialog)
            answer(dialog)
        elif waited[0] < 10000:
            waited[0] += 20
            QTimer.singleShot(20, look)

    QTimer.singleShot(0, look)
    return seen


def test_the_question_of_a_person_already_registered_says_yes_and_no_in_chinese(
    started_as_the_program: None, db: Database, qtbot
) -> None:
    with db.transaction() as session:
        add_person(session, "王秀兰", id_number=ID)
    form = PersonForm(Road(db))
    qtbot.addWidget(form, before_close_func=lambda f: f.done(0))  # closed unasked, whatever the test found
    form.show()
    buttons: list[str] = []

    def read_and_say_no(box: QWidget) -> None:
        message = cast(QMessageBox, box)
        buttons.extend(b.text() for b in message.buttons())
        qtbot.mouseClick(message.button(QMessageBox.StandardButton.No), Qt.MouseButton.LeftButton)

    shown = _when_modal(QMessageBox, read_and_say_no)
    type_into(qtbot, form, "id_number", ID)  # someone already on the register
    type_into(qtbot, form, "name", "王秀兰")
    type_into(qtbot, form, "certificate_number", ID + "41")
    type_into(qtbot, form, "village", "红光村")
    type_into(qtbot, form, "group", "3组")
    click(qtbot, form, "save")
    assert shown
    assert sorted(buttons) == ["否(&N)", "是(&Y)"]
    assert form.isVisible()  # 否: the form stays as it was


def test_the_file_chooser_of_the_import_wizard_is_in_chinese(
    started_as_the_program: None, db: Database, qtbot
) -> None:
    wizard = ImportWizard(Road(db))
    qtbot.addWidget(wizard)
    wizard.show()
    seen: list[str] = []

    def read_and_cancel(dialog: QWidget) -> None:
        seen.extend(label.text() for label in dialog.findChildren(QLabel) if label.text())
        seen.extend(button.text() for button in dialog.findChildren(QAbstractButton) if button.text())
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    shown = _when_modal(QFileDialog, read_and_cancel)
    click(qtbot, wizard.file_page, "choose_file")
    assert shown
    assert {"查找范围(&L)：", "文件名称(&N)：", "文件类型(&T)：", "打开(&O)", "取消"} <= set(seen), seen
    assert wizard.buttonText(wizard.WizardButton.HelpButton) == "帮助(&H)"


def test_the_self_check_finds_english_when_qt_has_no_chinese(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    language.uninstall_chinese(qapp)
    monkeypatch.setattr(language, "translations_folders", lambda: [tmp_path])  # a build that lost the file
    try:
        english = language.english_in_standard_dialogs()
        assert "&Yes" in english and "Cancel" in english and "&Look in:" in english
    finally:
        monkeypatch.undo()
        language.install_chinese(qapp)
    assert language.english_in_standard_dialogs() == []

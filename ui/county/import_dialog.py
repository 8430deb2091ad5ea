"""导入上报包's second step: what the package is and what it would change, one line per kind with the
changed fields listed; for a town's first package, its fingerprint to confirm by telephone before 导入."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.services.county.importing import PackagePreview
from ui.screen import ScreenDialog


class ImportPreviewDialog(ScreenDialog):
    """导入 is offered once the package is understood; a first package needs the fingerprint confirmed."""

    def __init__(self, preview: PackagePreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("导入上报包")
        self.setObjectName("import_preview")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        summary = QLabel("\n".join(preview.lines()))
        summary.setObjectName("lines")
        layout.addWidget(summary)
        if preview.field_changes:
            details = QPlainTextEdit("\n".join(f"{c.person}：{c.field} {c.old or '（空）'} → {c.new or '（空）'}"
                                               for c in preview.field_changes))
            details.setObjectName("field_changes")
            details.setReadOnly(True)
            details.setMaximumHeight(160)
            layout.addWidget(QLabel("变更明细："))
            layout.addWidget(details)
        self.confirmed = QCheckBox(f"已电话向{preview.town}核对，核对码一致")
        self.confirmed.setObjectName("confirmed")
        buttons = QDialogButtonBox()
        self.accept_button = buttons.addButton("导入", QDialogButtonBox.ButtonRole.AcceptRole)
        self.accept_button.setObjectName("accept")
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole).setObjectName("cancel")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        if preview.first_package:
            note = QLabel(f"这是{preview.town}（区划代码 {preview.code}）的第一个上报包。请先打电话给乡镇残联，"
                          "请对方在“设置 → 单位信息”中念出核对码，与下面的一致才导入。")
            note.setWordWrap(True)
            layout.addWidget(note)
            fingerprint = QLabel(f"<b>核对码：{preview.fingerprint}</b>")
            fingerprint.setObjectName("fingerprint")
            layout.addWidget(fingerprint)
            layout.addWidget(self.confirmed)
            self.accept_button.setEnabled(False)
            self.confirmed.toggled.connect(self.accept_button.setEnabled)
        layout.addWidget(buttons)
        self.adjustSize()  # the height the wrapped lines need at the clerk's text size

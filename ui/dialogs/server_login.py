"""The password for the county's server, asked once when the window opens on it (`canlian --db
postgresql://登录名@服务器/数据库名 gui`, or the server remembered from 连接单位数据库) and the server asks for a
password that neither the credential store (`canlian sign-in`) nor libpq's own ways gave it.

The clerk sees the login and where it connects, types the password (shown as dots), may tick 在本机记住密码
(kept by the same credential store as `canlian sign-in`, never in a file of the program), and presses Enter.
A wrong password is said in one sentence, the field is emptied for another try; 取消 gives up (the window
does not open: exit 2, as any refused open)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtWidgets import (
    QCheckBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from app.errors import CanlianError
from ui.road import PasswordRefused, Road, keep_server_password, server_login, server_parts
from ui.screen import ScreenDialog

log = logging.getLogger("canlian.ui")

TITLE = "登录单位数据库"
REMEMBER = "在本机记住密码(&R)"
REMEMBER_WHY = "密码存入本机的凭据管理器，不以明文保存；以后在这台电脑上连接不再询问"
REFUSAL_STYLE = "color: #b00020;"


class PasswordDialog(ScreenDialog):
    """Asks the password and tries it with connect(password) (which opens the store, raising PasswordRefused
    for a wrong one); opened is what connect returned once it succeeded."""

    def __init__(self, url: str, connect: Callable[[str], object], parent: QWidget | None = None,
                 *, refused: PasswordRefused | None = None) -> None:
        super().__init__(parent)
        self.url = url
        self.connect = connect
        self.opened: object | None = None
        self.setObjectName("server_password")
        self.setWindowTitle(TITLE)
        self.setMinimumWidth(480)

        host, _port, database, _login = server_parts(url)
        where = QLabel(f"连接服务器 {host} 上的单位数据库 {database}，请输入您的密码。")
        where.setWordWrap(True)
        form = QFormLayout()
        login = QLabel(server_login(url) or "（地址中没有写登录名）")
        login.setObjectName("login")
        form.addRow("登录名：", login)
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("密码(&P)：", self.password)
        self.remember = QCheckBox(REMEMBER)
        self.remember.setObjectName("remember_password")
        self.remember.setToolTip(REMEMBER_WHY)
        self.refusal = QLabel(str(refused) if refused is not None and refused.given else "")
        self.refusal.setObjectName("refusal")
        self.refusal.setWordWrap(True)
        self.refusal.setStyleSheet(REFUSAL_STYLE)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("登录")
        ok.setObjectName("sign_in")
        ok.setDefault(True)  # Enter in the password field signs in
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.sign_in)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(where)
        layout.addLayout(form)
        layout.addWidget(self.remember)
        layout.addWidget(self.refusal)
        layout.addWidget(buttons)
        self.password.setFocus()

    def sign_in(self) -> None:
        """Try the typed password: opened and closed when the server takes it; else the refusal said under the
        field, which is emptied for the next try."""
        typed = self.password.text()
        if not typed:
            self.refuse("请输入密码。")
            return
        try:
            self.opened = self.connect(typed)
        except CanlianError as exc:  # a wrong password, or the server not reached: said, the clerk tries again
            self.refuse(str(exc))
            return
        if self.remember.isChecked():
            keep_or_tell(self, self.url, typed)
        self.accept()

    def refuse(self, sentence: str) -> None:
        self.refusal.setText(sentence)
        self.password.clear()
        self.password.setFocus()


def keep_or_tell(parent: QWidget | None, url: str, password: str) -> None:
    """在本机记住密码: kept in the credential store; a PC without one is told (the connection itself stands)."""
    try:
        keep_server_password(url, password)
    except CanlianError as exc:
        QMessageBox.information(parent, TITLE, str(exc))


def ask_password(url: str, refused: PasswordRefused, parent: QWidget | None = None) -> Road | None:
    """The road over the server at url, once the clerk typed a password the server takes; None when the
    clerk cancelled."""
    dialog = PasswordDialog(url, lambda password: Road.open(url, password=password), parent, refused=refused)
    if not dialog.exec():
        return None
    assert isinstance(dialog.opened, Road)
    return dialog.opened

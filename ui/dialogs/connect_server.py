"""文件 → 连接单位数据库…: the window goes over to the county's server (a PostgreSQL database that several
clerks share), or back to the database file on this PC.

The clerk fills 服务器地址, 端口, 数据库名, 登录名 and 密码 (or leaves 密码 empty when `canlian sign-in` kept it),
may press 测试连接 (one sentence: how many persons are 在册 there, or why not; nothing is changed), and 确定
switches the window to that store (Road.replace_store: the old one is closed, every screen reads the new
one). The choice is remembered (QSettings, the URL without its password), so the next start without --db
opens the same server; choosing 本机数据文件 switches back and forgets the server."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.errors import CanlianError
from ui.dialogs.server_login import REFUSAL_STYLE, REMEMBER, REMEMBER_WHY, keep_or_tell
from ui.road import PasswordRefused, Road, open_store, server_address, server_options, server_parts, try_server
from ui.screen import ScreenDialog
from ui.style import settings

log = logging.getLogger("canlian.ui")

TITLE = "连接单位数据库"
WHERE_KEY = "store/server"  # the server the window connected to last (absent: the file on this PC)
DEFAULT_DATABASE = "canlian"
ENCRYPTED = ("require", "verify-ca", "verify-full")  # libpq's sslmode values that refuse a plain connection


def remembered_server() -> str | None:
    """The server (a URL without password) the clerk connected the window to last, for a start without --db."""
    value = settings().value(WHERE_KEY, "")
    return value if isinstance(value, str) and value else None


def remember_server(url: str | None) -> None:
    """The next start without --db opens this server; None: the file on this PC again."""
    if url:
        settings().setValue(WHERE_KEY, url)
    else:
        settings().remove(WHERE_KEY)


class ConnectDialog(ScreenDialog):
    """The two stores the window can work on, the server's fields, 测试连接, and 确定 to switch."""

    def __init__(self, road: Road, home_file: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.road = road
        self.home_file = home_file
        self.setObjectName("connect_server")
        self.setWindowTitle(TITLE)
        self.setMinimumWidth(560)

        intro = QLabel("县残联或几位经办人共用一个登记册时，数据保存在单位的服务器上。"
                       "服务器地址、数据库名和登录名由管理员提供。")
        intro.setWordWrap(True)
        self.use_file = QRadioButton(f"本机数据文件(&L)：{home_file}")
        self.use_file.setObjectName("use_file")
        self.use_server = QRadioButton("单位数据库（服务器）(&S)")
        self.use_server.setObjectName("use_server")
        choice = QButtonGroup(self)
        choice.addButton(self.use_file)
        choice.addButton(self.use_server)

        self.host = self._line("host", "如：192.168.1.10")
        self.port = QSpinBox()
        self.port.setObjectName("port")
        self.port.setRange(1, 65535)
        self.port.setValue(5432)
        self.database = self._line("database", DEFAULT_DATABASE)
        self.login = self._line("login", "管理员为您建立的登录名，如 lihong")
        self.password = self._line("password", "已在本机记住密码时可不填")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember = QCheckBox(REMEMBER)
        self.remember.setObjectName("remember_password")
        self.remember.setToolTip(REMEMBER_WHY)
        self.encrypted = QCheckBox("加密连接(&E)")
        self.encrypted.setObjectName("encrypted")
        self.encrypted.setToolTip("服务器要求加密连接时勾选；是否需要请问管理员")
        self._options: dict[str, str] = {}  # libpq's parameters of the address the fields were filled from
        form = QFormLayout()
        form.addRow("服务器地址(&H)：", self.host)
        form.addRow("端口：", self.port)
        form.addRow("数据库名(&N)：", self.database)
        form.addRow("登录名(&U)：", self.login)
        form.addRow("密码(&P)：", self.password)
        form.addRow("", self.remember)
        form.addRow("", self.encrypted)
        self.server_fields = QWidget()
        self.server_fields.setLayout(form)

        self.test_button = QPushButton("测试连接(&T)")
        self.test_button.setObjectName("test_connection")
        self.test_button.clicked.connect(self.test_connection)
        self.outcome = QLabel("")
        self.outcome.setObjectName("outcome")
        self.outcome.setWordWrap(True)
        self.outcome.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        testing = QHBoxLayout()
        testing.addWidget(self.test_button)
        testing.addWidget(self.outcome, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("确定")
        ok.setObjectName("switch")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.switch)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.use_file)
        layout.addWidget(self.use_server)
        layout.addWidget(self.server_fields)
        layout.addLayout(testing)
        layout.addWidget(buttons)

        self.use_server.toggled.connect(self._follow_choice)
        self._fill_from(road.where if road.on_server else remembered_server())
        (self.use_server if road.on_server else self.use_file).setChecked(True)
        self._follow_choice(road.on_server)

    def _line(self, name: str, hint: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setPlaceholderText(hint)
        return edit

    def _fill_from(self, url: str | None) -> None:
        """The fields of the server the window is on, or was on last; else empty but for the usual port."""
        self.database.setText(DEFAULT_DATABASE)
        if not url:
            return
        try:
            host, port, database, login = server_parts(url)
        except CanlianError:
            return  # a remembered address this version cannot read: the clerk fills it anew
        self._options = server_options(url)
        self.encrypted.setChecked(self._options.get("sslmode", "") in ENCRYPTED)
        self.host.setText(host)
        self.port.setValue(port)
        self.database.setText(database)
        self.login.setText(login)

    def _follow_choice(self, on_server: bool) -> None:
        self.server_fields.setEnabled(on_server)
        self.test_button.setEnabled(on_server)
        self.outcome.clear()
        if on_server and not self.host.text():
            self.host.setFocus()

    def url(self) -> str | None:
        """The server's URL from the fields (no password); None and the missing field said when one is empty."""
        for edit, name in ((self.host, "服务器地址"), (self.database, "数据库名"), (self.login, "登录名")):
            if not edit.text().strip():
                self.tell(f"请填写{name}。", refused=True)
                edit.setFocus()
                return None
        options = dict(self._options)
        if self.encrypted.isChecked() and options.get("sslmode", "") not in ENCRYPTED:
            options["sslmode"] = "require"
        elif not self.encrypted.isChecked() and options.get("sslmode", "") in ENCRYPTED:
            del options["sslmode"]
        return server_address(self.host.text().strip(), self.port.value(), self.database.text().strip(),
                              self.login.text().strip(), options)

    def tell(self, sentence: str, *, refused: bool = False) -> None:
        self.outcome.setStyleSheet(REFUSAL_STYLE if refused else "")
        self.outcome.setText(sentence)

    def refused(self, exc: CanlianError) -> None:
        """A refusal said under the fields; one about the password puts the clerk back in 密码."""
        if isinstance(exc, PasswordRefused):
            self.tell(str(exc) if exc.given else f"请填写密码：服务器要求 {self.login.text().strip()} 输入密码。",
                      refused=True)
            self.password.selectAll()
            self.password.setFocus()
            return
        self.tell(str(exc), refused=True)

    def test_connection(self) -> None:
        """测试连接: what is on the server, in one sentence; nothing is changed there or in the window."""
        url = self.url()
        if url is None:
            return
        try:
            self.tell(try_server(url, self.password.text() or None))
        except CanlianError as exc:
            self.refused(exc)

    def switch(self) -> None:
        """确定: the window goes on over the chosen store and remembers it; a refusal is said here and the
        window stays on the store it was on."""
        from ui.tasks import running_tasks

        if running_tasks():
            self.tell("还有工作在进行（见进度窗口），请等它完成后再切换。", refused=True)
            return
        if self.use_file.isChecked():
            self._switch_to_file()
        else:
            self._switch_to_server()

    def _switch_to_file(self) -> None:
        if not self.road.on_server and Path(self.road.where) == self.home_file.resolve():
            remember_server(None)
            self.accept()  # already there
            return
        try:
            store = open_store(self.home_file)
        except CanlianError as exc:
            self.tell(str(exc), refused=True)
            return
        self.road.replace_store(store)
        remember_server(None)
        log.info("the window switched to the file on this PC")
        self.accept()

    def _switch_to_server(self) -> None:
        url = self.url()
        if url is None:
            return
        typed = self.password.text()
        try:
            store = open_store(url, password=typed or None)
        except CanlianError as exc:
            self.refused(exc)
            return
        if typed and self.remember.isChecked():
            keep_or_tell(self, url, typed)
        self.road.replace_store(store)
        remember_server(url)
        log.info("the window switched to a server's register")
        self.accept()

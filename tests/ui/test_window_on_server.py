"""The window on the county's PostgreSQL server (issue 16): it opens on a postgresql:// URL and lists the persons
there, asks a password the credential store does not hold (a wrong one said in one sentence), switches between
the server and the file on this PC in 文件 → 连接单位数据库 (测试连接 and 确定 typed and clicked as the clerk does),
remembers the server for the next start, and never shows a password."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import keyring
import psycopg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QLabel, QLineEdit, QPushButton, QSpinBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy.engine import make_url

from app.db.engine import open_database
from app.services.actions import Changes
from app.services.clerks import add_clerk
from tests.conftest import pg_copy
from tests.db.test_clerk_logins import MemoryKeyring
from tests.factories import add_person, make_id
from tests.pg_cluster import Cluster
from tests.ui.modal import when_shown
from ui.app import open_road
from ui.dialogs.connect_server import ConnectDialog, remember_server, remembered_server
from ui.main_window import MainWindow
from ui.road import Road
from ui.tasks import wait_for_tasks

PASSWORD = "jinta-2026"


@dataclass(frozen=True)
class Server:
    admin_url: str  # postgres, trusted: no password asked
    clerk_url: str  # a county clerk whose login the server asks a password for
    login: str
    dbname: str
    port: int

    def registered(self) -> int:
        """在册 counted by the server itself, apart from the program."""
        with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname=self.dbname) as conn:
            row = conn.execute("select count(*) from person where status = '在册'").fetchone()
        return int(row[0]) if row else -1


def _reload(cluster: Cluster) -> None:
    with psycopg.connect(host="127.0.0.1", port=cluster.port, user="postgres", dbname="postgres") as conn:
        conn.execute("select pg_reload_conf()")


@pytest.fixture
def server(pg_cluster: Cluster, pg_demo_template: str) -> Iterator[Server]:
    """The demo town on a server; a county clerk's login there needs its password (scram), postgres does not."""
    with pg_copy(pg_cluster, pg_demo_template) as url:
        login = pg_cluster.new_name("zhangsan")
        with open_database(url) as db:
            add_clerk(db, login, None, PASSWORD)
        name = str(make_url(url).database)
        hba = pg_cluster.data / "pg_hba.conf"
        before = hba.read_text()
        hba.write_text(f"host {name} postgres 127.0.0.1/32 trust\nhost {name} all 127.0.0.1/32 scram-sha-256\n"
                       + before)
        _reload(pg_cluster)
        try:
            yield Server(url.replace("postgresql+psycopg://", "postgresql://"),
                         f"postgresql://{login}@127.0.0.1:{pg_cluster.port}/{name}", login, name, pg_cluster.port)
        finally:
            hba.write_text(before)
            _reload(pg_cluster)


@pytest.fixture
def credentials() -> Iterator[MemoryKeyring]:
    """The PC's credential store, in memory for the test (as `canlian sign-in`'s tests have it)."""
    before = keyring.get_keyring()
    kept = MemoryKeyring()
    keyring.set_keyring(kept)
    yield kept
    keyring.set_keyring(before)


def _window(qtbot: QtBot, road: Road, home_file: Path | None = None) -> MainWindow:
    window = MainWindow(road, remember=False, backups=True, home_file=home_file)
    qtbot.addWidget(window)
    window.show()
    return window


def _close(window: MainWindow, road: Road) -> None:
    """The window closed, once the work it started is done: the list's count, read when idle (a read after the
    store closed would open a connection that nothing closes)."""
    assert wait_for_tasks()
    for _ in range(3):
        QApplication.processEvents()
    window.close()
    road.close()


def _status_bar_text(window: MainWindow) -> str:
    return " ".join(label.text() for label in window.statusBar().findChildren(QLabel))


def _child(dialog: QWidget, kind: type, name: str) -> QWidget:
    found = dialog.findChild(kind, name)
    assert found is not None, name
    return found


def test_the_window_opens_on_a_server_and_lists_its_persons(server: Server, qtbot: QtBot, tmp_path: Path,
                                                            told: list[str]) -> None:
    road = open_road(server.admin_url)
    assert road is not None and road.on_server and road.is_watching()  # other clerks' writes are looked for
    assert road.check_whole_later() is None  # no SQLite check of a server
    window = _window(qtbot, road, tmp_path / "本机" / "canlian.db")
    try:
        registered = server.registered()
        assert registered > 0
        assert f"在册 {registered} 人" in window.counts_label.text()
        assert window.register_tab.model.rowCount() > 0
        assert window.db_label.text() == f"单位数据库：服务器 127.0.0.1（端口 {server.port}） 数据库 {server.dbname}" \
                                          " · 登录名 postgres"
        # what only a file has is disabled there, saying why; 备份 is the server's pg_dump
        assert not window.restore_action.isEnabled() and "服务器管理员" in window.restore_action.toolTip()
        assert not window.backups_action.isEnabled() and "服务器" in window.backups_action.toolTip()
        assert window.backup_action.isEnabled() and "服务器" in window.backup_action.toolTip()
        assert not window.backup_label.isVisibleTo(window)
        assert window.auto_backup_if_due() is None

        with open_database(server.admin_url) as other, other.transaction("另一位经办人") as session:
            add_person(session, "钱七", id_number=make_id("19700707", "777"))  # another clerk's program
        assert window.road.look_for_others() & Changes.REGISTER  # what the 5-second poll does
        assert f"在册 {registered + 1} 人" in window.counts_label.text()
    finally:
        _close(window, road)  # no automatic file backup at close (it would fail there: no file to copy)
    assert told == [] and not (tmp_path / "本机").exists()


def test_the_status_bar_never_shows_a_password(server: Server, qtbot: QtBot) -> None:
    with_password = server.admin_url.replace("postgres@", "postgres:secret-words@")  # trusted: not asked
    road = open_road(with_password)
    assert road is not None
    window = _window(qtbot, road)
    try:
        shown = _status_bar_text(window) + window.windowTitle()
        assert "数据库 " + server.dbname in shown
        assert "secret" not in shown and "***" not in shown
        assert "secret" not in road.where and road.where.startswith("postgresql://postgres@127.0.0.1")
    finally:
        _close(window, road)


def _answer_password(password: str, *, remember: bool = False, then: list[str] | None = None):  # type: ignore[no-untyped-def]
    def answer(dialog: QWidget) -> None:
        field = _child(dialog, QLineEdit, "password")
        assert isinstance(field, QLineEdit) and field.echoMode() == QLineEdit.EchoMode.Password
        field.setFocus()
        from PySide6.QtTest import QTest

        QTest.keyClicks(field, password)
        if remember:
            box = _child(dialog, QCheckBox, "remember_password")
            box.setFocus()
            QTest.keyClick(box, Qt.Key.Key_Space)
        QTest.mouseClick(_child(dialog, QPushButton, "sign_in"), Qt.MouseButton.LeftButton)
        if then is not None:  # still open after a refusal: what it said, then the dialog is cancelled
            then.append(_child(dialog, QLabel, "refusal").text())  # type: ignore[attr-defined]
            then.append("open" if dialog.isVisible() else "closed")
            then.append(field.text())
            dialog.reject()  # type: ignore[attr-defined]
    return answer


def test_a_wrong_password_is_refused_in_one_sentence_and_cancel_opens_nothing(
        server: Server, credentials: MemoryKeyring, qtbot: QtBot) -> None:
    said: list[str] = []
    seen = when_shown("server_password", _answer_password("not-the-password", then=said))
    assert open_road(server.clerk_url) is None  # 取消: the window does not open (run_gui returns 2)
    assert seen, "the password was not asked"
    login_shown = _child(seen[0], QLabel, "login")
    assert login_shown.text() == server.login  # type: ignore[attr-defined]
    assert said == [f"服务器拒绝了 {server.login} 的密码：请核对后重新输入（注意大小写和输入法）。", "open", ""]
    assert credentials.kept == {}


def test_the_password_asked_once_opens_the_server_and_is_remembered_when_ticked(
        server: Server, credentials: MemoryKeyring, qtbot: QtBot) -> None:
    seen = when_shown("server_password", _answer_password(PASSWORD, remember=True))
    road = open_road(server.clerk_url)
    assert seen and road is not None
    try:
        assert road.on_server and road.where == server.clerk_url
        assert [password for password in credentials.kept.values()] == [PASSWORD]
    finally:
        road.close()
    again = open_road(server.clerk_url)  # kept in the credential store: not asked again
    assert again is not None
    again.close()


def test_run_gui_returns_2_when_the_password_is_not_given(server: Server, credentials: MemoryKeyring,
                                                          qtbot: QtBot) -> None:
    from ui.app import run_gui

    seen = when_shown("server_password", lambda dialog: dialog.reject())  # type: ignore[attr-defined]
    assert run_gui(server.clerk_url) == 2 and seen


def _fill(qtbot: QtBot, dialog: ConnectDialog, server: Server, password: str) -> None:
    choice = _child(dialog, type(dialog.use_server), "use_server")
    choice.setFocus()
    qtbot.keyClick(choice, Qt.Key.Key_Space)  # from the keyboard, as the clerk may
    assert dialog.server_fields.isEnabled() and dialog.test_button.isEnabled()
    for name, text in (("host", "127.0.0.1"), ("database", server.dbname), ("login", server.login),
                       ("password", password)):
        field = _child(dialog, QLineEdit, name)
        assert isinstance(field, QLineEdit)
        field.selectAll()
        qtbot.keyClicks(field, text)
    port = _child(dialog, QSpinBox, "port")
    assert isinstance(port, QSpinBox) and port.value() == 5432  # the usual port is already there
    port.lineEdit().selectAll()
    qtbot.keyClicks(port, str(server.port))


def test_the_connect_dialog_tests_switches_to_the_server_and_back(
        server: Server, credentials: MemoryKeyring, qtbot: QtBot, demo_db: object, db_path: Path) -> None:
    demo_db.close()  # type: ignore[attr-defined] - the window opens the file itself
    road = Road.open(db_path)
    window = _window(qtbot, road)
    try:
        on_file = window.register_tab.model.rowCount()
        assert window.db_label.text() == f"数据文件：{db_path.resolve()}" and window.restore_action.isEnabled()

        dialog = ConnectDialog(window.road, window.home_file, window)
        qtbot.addWidget(dialog)
        dialog.show()
        assert dialog.use_file.isChecked() and not dialog.server_fields.isEnabled()
        _fill(qtbot, dialog, server, "")
        qtbot.mouseClick(_child(dialog, QPushButton, "test_connection"), Qt.MouseButton.LeftButton)
        assert dialog.outcome.text() == f"请填写密码：服务器要求 {server.login} 输入密码。"
        assert dialog.focusWidget() is dialog.password  # the clerk is put back in 密码
        qtbot.keyClicks(dialog.password, "wrong-password")
        qtbot.mouseClick(_child(dialog, QPushButton, "test_connection"), Qt.MouseButton.LeftButton)
        assert dialog.outcome.text() == f"服务器拒绝了 {server.login} 的密码：请核对后重新输入（注意大小写和输入法）。"
        qtbot.mouseClick(_child(dialog, QPushButton, "switch"), Qt.MouseButton.LeftButton)
        assert dialog.isVisible() and not window.road.on_server  # refused: the window stays on its file

        dialog.password.selectAll()
        qtbot.keyClicks(dialog.password, PASSWORD)
        qtbot.mouseClick(_child(dialog, QPushButton, "test_connection"), Qt.MouseButton.LeftButton)
        assert dialog.outcome.text() == f"连接成功：共 {server.registered()} 人在册。"
        assert not window.road.on_server  # a test changes nothing
        dialog.remember.setFocus()
        qtbot.keyClick(dialog.remember, Qt.Key.Key_Space)
        qtbot.mouseClick(_child(dialog, QPushButton, "switch"), Qt.MouseButton.LeftButton)
        assert not dialog.isVisible()

        assert window.road is road and road.on_server and road.is_watching()
        assert window.db_label.text().startswith(f"单位数据库：服务器 127.0.0.1（端口 {server.port}） "
                                                 f"数据库 {server.dbname} · 登录名 {server.login}")
        assert f"在册 {server.registered()} 人" in window.counts_label.text()
        assert not window.restore_action.isEnabled() and PASSWORD not in _status_bar_text(window)
        assert remembered_server() == server.clerk_url  # the next start opens it (no password in the settings)
        assert list(credentials.kept.values()) == [PASSWORD]

        back = ConnectDialog(window.road, window.home_file, window)
        qtbot.addWidget(back)
        back.show()
        assert back.use_server.isChecked() and back.host.text() == "127.0.0.1" and back.login.text() == server.login
        back.use_file.setFocus()
        qtbot.keyClick(back.use_file, Qt.Key.Key_Space)
        qtbot.mouseClick(_child(back, QPushButton, "switch"), Qt.MouseButton.LeftButton)
        assert not road.on_server and window.db_label.text() == f"数据文件：{db_path.resolve()}"
        assert window.register_tab.model.rowCount() == on_file and window.restore_action.isEnabled()
        assert remembered_server() is None
    finally:
        _close(window, road)


def test_the_next_start_opens_the_server_chosen_last(server: Server, credentials: MemoryKeyring, qtbot: QtBot,
                                                    tmp_path: Path) -> None:
    credentials.kept[("残联工作台", f"{server.login}@127.0.0.1:{server.port}/{server.dbname}")] = PASSWORD
    remember_server(server.clerk_url)
    road = open_road(tmp_path / "canlian.db", remembered=True)  # no --db, no $CANLIAN_DB
    assert road is not None
    try:
        assert road.on_server and road.where == server.clerk_url
    finally:
        road.close()
    named = open_road(tmp_path / "canlian.db")  # --db names a file: that file, whatever was chosen last
    assert named is not None
    try:
        assert not named.on_server
    finally:
        named.close()


def test_a_remembered_server_that_is_down_offers_the_file(pg_cluster: Cluster, qtbot: QtBot, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QMessageBox

    remember_server(f"postgresql://postgres@127.0.0.1:{pg_cluster.port}/no_such_register")

    def take_the_file(box: QWidget) -> None:
        assert isinstance(box, QMessageBox) and "无法连接单位数据库" in box.text()
        local = next(b for b in box.buttons() if b.text() == "打开本机数据文件")
        local.click()

    seen = when_shown("server_unreachable", take_the_file)
    road = open_road(tmp_path / "canlian.db", remembered=True)
    assert seen and road is not None
    try:
        assert not road.on_server and road.path == (tmp_path / "canlian.db").resolve()
    finally:
        road.close()


def test_backup_on_a_server_writes_a_checked_pg_dump_into_the_folder_chosen(server: Server, qtbot: QtBot,
                                                                             tmp_path: Path, told: list[str]) -> None:
    from ui.dialogs.backup import backup_to

    road = open_road(server.admin_url)
    assert road is not None
    window = _window(qtbot, road)
    try:
        task = backup_to(window, road, tmp_path / "U盘")
        assert wait_for_tasks() and task.error is None
        dumps = list((tmp_path / "U盘").glob("canlian-备份-*.dump"))
        assert len(dumps) == 1 and dumps[0].stat().st_size > 0
        assert told == [f"备份已完成，文件保存在：\n{dumps[0]}\n\n如果备份到U盘，请先在电脑上“安全弹出”再拔下U盘。"]
    finally:
        _close(window, road)


def test_the_command_line_names_the_password_it_needs(server: Server, credentials: MemoryKeyring,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    from app.cli import main

    assert main(["--db", server.clerk_url, "find", "张"]) == 2
    out, err = capsys.readouterr()
    where = server.clerk_url
    assert (out, err) == ("", f"连接 {where} 需要 {server.login} 的密码：请先运行 canlian --db {where} sign-in "
                              "把密码存入本机，或在窗口中输入。\n")


def test_encrypted_connection_is_asked_of_the_driver_and_kept_as_written(
        server: Server, qtbot: QtBot, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    import logging

    road = Road.open(tmp_path / "canlian.db")
    window = _window(qtbot, road)
    try:
        dialog = ConnectDialog(window.road, window.home_file, window)
        qtbot.addWidget(dialog)
        dialog.show()
        _fill(qtbot, dialog, server, PASSWORD)
        dialog.encrypted.setFocus()
        qtbot.keyClick(dialog.encrypted, Qt.Key.Key_Space)
        with caplog.at_level(logging.WARNING, logger="canlian.db"):
            qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
        # the test server speaks no TLS: refused for that very reason, so sslmode=require reached libpq
        assert dialog.outcome.text().startswith(f"无法连接单位数据库 {server.clerk_url}?sslmode=require：")
        assert "SSL" in caplog.text
        qtbot.keyClick(dialog.encrypted, Qt.Key.Key_Space)
        qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
        assert dialog.outcome.text() == f"连接成功：共 {server.registered()} 人在册。"

        written = f"{server.clerk_url}?sslmode=verify-full&sslrootcert=/etc/canlian/ca.pem"
        remember_server(written)  # as the administrator wrote it once: the dialog keeps it all
        again = ConnectDialog(window.road, window.home_file, window)
        qtbot.addWidget(again)
        from ui.road import server_options

        kept = again.url()
        assert again.encrypted.isChecked() and kept is not None and kept.startswith(server.clerk_url + "?")
        assert server_options(kept) == {"sslmode": "verify-full", "sslrootcert": "/etc/canlian/ca.pem"}
    finally:
        _close(window, road)


def test_a_remembered_server_whose_password_is_cancelled_offers_the_file(
        server: Server, credentials: MemoryKeyring, qtbot: QtBot, tmp_path: Path) -> None:
    """No password at hand at the next start: 取消 does not lock the clerk out of the window, the file on
    this PC is offered as when the server is down."""
    from PySide6.QtWidgets import QMessageBox

    remember_server(server.clerk_url)
    said: list[str] = []

    def take_the_file(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        said.append(box.text())
        next(b for b in box.buttons() if b.text() == "打开本机数据文件").click()

    asked = when_shown("server_password", lambda dialog: dialog.reject())  # type: ignore[attr-defined]
    offered = when_shown("server_unreachable", take_the_file)
    road = open_road(tmp_path / "canlian.db", remembered=True)
    assert asked and offered and road is not None
    try:
        assert not road.on_server and said[0].startswith("没有输入密码，未连接单位数据库。")
    finally:
        road.close()

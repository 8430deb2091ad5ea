"""The clerks' own logins on a county's server: `canlian admin add-clerk` makes a login that connects with its
password (the test database asks passwords, scram-sha-256, as an office's server does), in the right group;
`canlian sign-in` keeps the password in the OS credential store, from which the program then connects;
sslmode in the URL reaches libpq."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import keyring
import psycopg
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError
from sqlalchemy import update
from sqlalchemy.engine import make_url

from app.cli import main
from app.db.credentials import SERVICE
from app.db.engine import open_database
from app.db.models import Village
from app.errors import DatabaseError
from tests.conftest import pg_copy
from tests.pg_cluster import Cluster

TOWN = "金塔镇"
PASSWORD = "jinta-2026"


@dataclass(frozen=True)
class Server:
    url: str  # the administrator's, as typed on the command line
    dbname: str
    port: int

    def clerk_url(self, login: str, query: str = "") -> str:
        return f"postgresql://{login}@127.0.0.1:{self.port}/{self.dbname}{query}"


class MemoryKeyring(KeyringBackend):
    """The OS credential store, as keyring's interface sees it, kept in memory for the test."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.kept: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.kept.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.kept[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.kept.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


@pytest.fixture
def store() -> Iterator[MemoryKeyring]:
    before = keyring.get_keyring()
    kept = MemoryKeyring()
    keyring.set_keyring(kept)
    yield kept
    keyring.set_keyring(before)


def _hba(cluster: Cluster) -> Path:
    return cluster.data / "pg_hba.conf"


def _reload(cluster: Cluster) -> None:
    with psycopg.connect(host="127.0.0.1", port=cluster.port, user="postgres", dbname="postgres") as conn:
        conn.execute("select pg_reload_conf()")


@pytest.fixture
def server(pg_cluster: Cluster, pg_demo_template: str) -> Iterator[Server]:
    """The demo town on a server whose database asks every login but the administrator for its password."""
    with pg_copy(pg_cluster, pg_demo_template) as url:
        with open_database(url) as db, db.transaction("管理员") as session:
            session.execute(update(Village).values(town=TOWN))
        name = str(make_url(url).database)
        before = _hba(pg_cluster).read_text()
        _hba(pg_cluster).write_text(f"host {name} postgres 127.0.0.1/32 trust\n"
                                    f"host {name} all 127.0.0.1/32 scram-sha-256\n" + before)
        _reload(pg_cluster)
        try:
            yield Server(url.replace("postgresql+psycopg://", "postgresql://"), name, pg_cluster.port)
        finally:
            _hba(pg_cluster).write_text(before)
            _reload(pg_cluster)


def _run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, stdin: str,
         *args: str) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _connect(server: Server, login: str, password: str) -> psycopg.Connection[tuple[object, ...]]:
    return psycopg.connect(host="127.0.0.1", port=server.port, user=login, password=password, dbname=server.dbname)


def test_add_clerk_makes_a_town_login_that_connects_with_its_password(
        server: Server, pg_cluster: Cluster, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    login = pg_cluster.new_name("lihong")
    code, out, err = _run(capsys, monkeypatch, PASSWORD + "\n", "--db", server.url, "admin", "add-clerk", login,
                          "--town", TOWN, "--password-stdin")
    assert (code, err) == (0, "")
    assert out == f"已添加{TOWN}经办人 {login}：只能查看和修改{TOWN}的人员、家庭和记录\n"
    with _connect(server, login, PASSWORD) as conn:
        row = conn.execute("select current_user, pg_has_role(current_user, 'canlian_town', 'MEMBER'), "
                           "pg_has_role(current_user, 'canlian_county', 'MEMBER'), "
                           "(select town from clerk where login = current_user), (select count(*) from person)"
                           ).fetchone()
    with psycopg.connect(host="127.0.0.1", port=server.port, user="postgres", dbname=server.dbname) as conn:
        every = conn.execute("select count(*) from person").fetchone()
    assert row == (login, True, False, TOWN, every[0] if every else -1)  # every village is 金塔镇's here
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        _connect(server, login, "wrong-password")


def test_add_clerk_for_county_staff(server: Server, pg_cluster: Cluster, capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    login = pg_cluster.new_name("wangqiang")
    code, out, _ = _run(capsys, monkeypatch, PASSWORD + "\n", "--db", server.url, "admin", "add-clerk", login,
                        "--county", "--password-stdin")
    assert (code, out) == (0, f"已添加县残联经办人 {login}：可查看和修改全部乡镇\n")
    with _connect(server, login, PASSWORD) as conn:
        assert conn.execute("select pg_has_role(current_user, 'canlian_county', 'MEMBER'), "
                            "(select town from clerk where login = current_user)").fetchone() == (True, None)


def test_add_clerk_refuses_an_unknown_town_a_taken_login_and_a_short_password(
        server: Server, pg_cluster: Cluster, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    login = pg_cluster.new_name("zhaomin")
    code, out, err = _run(capsys, monkeypatch, PASSWORD + "\n", "--db", server.url, "admin", "add-clerk", login,
                          "--town", "金塔", "--password-stdin")
    assert (code, out) == (2, "") and err.startswith("服务器上没有属于“金塔”的村（社区）：请核对镇名")
    code, _, err = _run(capsys, monkeypatch, "short\n", "--db", server.url, "admin", "add-clerk", login,
                        "--town", TOWN, "--password-stdin")
    assert code == 2 and err.startswith("密码太短")
    with psycopg.connect(host="127.0.0.1", port=server.port, user="postgres", dbname=server.dbname) as conn:
        assert conn.execute("select count(*) from pg_roles where rolname = %s", (login,)).fetchone() == (0,)
    assert _run(capsys, monkeypatch, PASSWORD + "\n", "--db", server.url, "admin", "add-clerk", login,
                "--town", TOWN, "--password-stdin")[0] == 0
    code, _, err = _run(capsys, monkeypatch, PASSWORD + "\n", "--db", server.url, "admin", "add-clerk", login,
                        "--town", TOWN, "--password-stdin")
    assert (code, err) == (2, f"服务器上已有登录名“{login}”：请换一个登录名。\n")


def test_add_clerk_is_refused_on_a_file_before_asking_a_password(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = _run(capsys, monkeypatch, "", "--db", str(tmp_path / "town.db"), "admin", "add-clerk",
                          "lihong", "--town", TOWN)  # no --password-stdin: a prompt would fail on this stdin
    assert (code, out) == (2, "")
    assert err == "添加经办人只用于县里服务器上的数据库（--db postgresql://…）：本机数据文件只有一位经办人，不需要添加。\n"
    assert not (tmp_path / "town.db").exists()


def test_sign_in_keeps_the_password_in_the_credential_store_and_the_program_connects_with_it(
        server: Server, pg_cluster: Cluster, store: MemoryKeyring, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    login = pg_cluster.new_name("sunli")
    _run(capsys, monkeypatch, PASSWORD + "\n", "--db", server.url, "admin", "add-clerk", login, "--town", TOWN,
         "--password-stdin")
    url = server.clerk_url(login)
    assert _run(capsys, monkeypatch, "", "--db", url, "find", "张")[0] == 2  # no password anywhere yet
    code, _, err = _run(capsys, monkeypatch, "wrong-password\n", "--db", url, "sign-in", "--password-stdin")
    assert code == 2 and err.startswith(f"无法以 {login} 登录") and store.kept == {}
    code, out, _ = _run(capsys, monkeypatch, PASSWORD + "\n", "--db", url, "sign-in", "--password-stdin")
    assert code == 0 and out.startswith(f"已把 {login} 的密码存入本机的凭据管理器")
    assert list(store.kept.values()) == [PASSWORD] and PASSWORD not in out
    assert [service for service, _ in store.kept] == [SERVICE]
    code, out, _ = _run(capsys, monkeypatch, "", "--db", url, "find", "张", "--limit", "3")
    assert code == 0 and len(out.splitlines()) == 3  # connected as the clerk with the kept password
    assert _run(capsys, monkeypatch, "", "--db", url, "sign-in", "--forget")[0] == 0
    assert store.kept == {}


def test_sslmode_in_the_url_reaches_the_driver(server: Server, caplog: pytest.LogCaptureFixture) -> None:
    """The test server speaks no TLS: sslmode=require is refused for that very reason (libpq's own words in
    the log), so it was passed through; sslmode=disable connects."""
    admin = server.url.replace("postgresql://", "postgresql+psycopg://")
    refused = pytest.raises(DatabaseError, match="无法连接单位数据库")
    with caplog.at_level(logging.WARNING, logger="canlian.db"), refused:
        open_database(admin + "?sslmode=require")
    assert "SSL" in caplog.text
    open_database(admin + "?sslmode=disable").close()

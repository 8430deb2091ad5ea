"""The command line on a PostgreSQL server (issue 16): --db and $CANLIAN_DB take a postgresql:// URL; what
works on a file refuses a server in one sentence (exit 2); an unreachable server is told, not a traceback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.cli import main
from tests.conftest import pg_copy
from tests.pg_cluster import Cluster


@pytest.fixture
def server(pg_cluster: Cluster, pg_template: str) -> Iterator[str]:
    with pg_copy(pg_cluster, pg_template) as url:
        yield url.replace("postgresql+psycopg://", "postgresql://")


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_init_names_the_server_without_a_password(server: str, capsys: pytest.CaptureFixture[str]) -> None:
    with_password = server.replace("postgres@", "postgres:secret@")  # trust login: the password is not asked
    shown = server.replace("postgres@", "postgres:***@")
    assert _run(capsys, "--db", with_password, "init") == (0, shown + "\n", "")


def test_the_variable_names_a_server_too(server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CANLIAN_DB", server)
    code, out, _ = _run(capsys, "demo", "--persons", "20")
    assert code == 0 and out.startswith("演示乡镇")
    code, out, _ = _run(capsys, "export", "persons", str(tmp_path / "在册.xlsx"))
    assert code == 0 and (tmp_path / "在册.xlsx").stat().st_size > 0


@pytest.mark.parametrize("command", [["export", "bundle", "--to", "{tmp}", "--year", "2026", "--with-database"]])
def test_what_works_on_a_file_refuses_a_server_in_one_sentence(server: str, tmp_path: Path, command: list[str],
                                                                capsys: pytest.CaptureFixture[str],
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CANLIAN_BUNDLE_PASSWORD", "a long enough password")
    code, out, err = _run(capsys, "--db", server, *(part.format(tmp=tmp_path) for part in command))
    assert (code, out) == (2, "") and err.count("\n") == 1 and "服务器" in err and "secret" not in err


def test_the_window_opens_on_a_server_named_by_db_or_the_variable(monkeypatch: pytest.MonkeyPatch,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """`canlian --db postgresql://… gui` (or $CANLIAN_DB) hands the URL to the window, which opens the server
    (tests/ui/test_window_on_server.py); without either the window may open the server chosen last."""
    from app import paths

    asked: list[tuple[object, bool]] = []

    def window(where: object, screenshots: object = None, *, remembered: bool = False) -> int:
        asked.append((where, remembered))
        return 0

    monkeypatch.setattr(paths, "window_entry", lambda: window)
    url = "postgresql://lihong@county-server:5432/canlian"
    assert _run(capsys, "--db", url, "gui") == (0, "", "")
    monkeypatch.setenv("CANLIAN_DB", url)
    assert _run(capsys, "gui") == (0, "", "")
    monkeypatch.delenv("CANLIAN_DB")
    assert _run(capsys) == (0, "", "")
    assert asked == [(url, False), (url, False), (paths.default_db_path(), True)]
    code, out, err = _run(capsys, "--db", "postgresql://lihong@county-server:5432", "gui")  # no database named
    assert (code, out) == (2, "") and err.startswith("服务器地址“postgresql://lihong@county-server:5432”没有写数据库名")
    assert len(asked) == 3  # refused before the window starts


def test_an_unreachable_server_is_told_in_one_sentence(pg_cluster: Cluster, capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    url = f"postgresql://postgres:secret@127.0.0.1:{pg_cluster.port}/no_such_register"
    code, out, err = _run(capsys, "--db", url, "init")
    assert (code, out) == (2, "") and err.startswith("无法连接单位数据库 postgresql://postgres:***@127.0.0.1")
    assert err.count("\n") == 1 and "secret" not in err and "请检查网络、服务器地址、用户名和密码" in err

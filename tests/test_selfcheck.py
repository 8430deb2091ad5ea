from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from app.selfcheck import pdf_has_embedded_chinese

if TYPE_CHECKING:
    from tests.pg_cluster import Cluster

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_selfcheck_passes_from_source(tmp_path: Path) -> None:
    env = {"QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "d"),
           "XDG_CONFIG_HOME": str(tmp_path / "c"), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-m", "app", "--selfcheck"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "通过  报表" in result.stdout and result.stdout.rstrip().endswith("自检通过")
    assert "通过  中文按钮" in result.stdout  # Qt's standard buttons and file dialog read in Chinese


def test_pdf_check_tells_a_pdf_without_embedded_font() -> None:
    assert pdf_has_embedded_chinese(b"%PDF-1.4 /Type /Font /BaseFont /STSong-Light") == "没有嵌入TrueType字体"


def test_the_selfcheck_reaches_a_server_given_with_db(pg_cluster: Cluster, pg_demo_template: str,
                                                       tmp_path: Path) -> None:
    """`canlian --selfcheck --db postgresql://…` (run by ./dev.sh build on the frozen folder): connected,
    counted, the 花名册 printed from the server's register."""
    from app.selfcheck import check_server
    from tests.conftest import pg_copy

    with pg_copy(pg_cluster, pg_demo_template) as url:
        said = check_server(url, tmp_path, 2026)
    assert "在册345人" in said and "花名册已生成并读回" in said and "postgres@" in said
    assert (tmp_path / "server-registry.pdf").read_bytes().startswith(b"%PDF")

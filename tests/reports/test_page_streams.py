"""Each page is compressed on a thread of its own while the next is drawn (app.reports.page_streams): the file
must be the very bytes reportlab writes when it compresses every page itself at the end."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest
from reportlab import rl_config

from app.reports import page_streams
from app.reports.engine import render_pdf
from tests.reports.test_engine import _report


def _print(path: Path) -> bytes:
    render_pdf(_report(1500, mark="草表（未确认发放）"), path)  # 40-odd pages: a whole batch and a part one
    return path.read_bytes()


@pytest.fixture
def invariant(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rl_config, "invariant", 1)  # no date or random ID in the file: bytes compare


@pytest.mark.usefixtures("invariant")
@pytest.mark.parametrize("a85", [1, 0])
def test_pages_compressed_meanwhile_are_the_bytes_reportlab_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   a85: int) -> None:
    monkeypatch.setattr(rl_config, "useA85", a85)
    ours = _print(tmp_path / "ours.pdf")
    monkeypatch.setattr(page_streams.PageStreams, "shown", lambda self: None)  # reportlab compresses at save
    theirs = _print(tmp_path / "theirs.pdf")
    assert ours.count(b"/Type /Page\n") > page_streams.BATCH
    assert ours == theirs


@pytest.mark.usefixtures("invariant")
def test_a_page_compressed_otherwise_would_show(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparison above sees a page whose stream differs (it would not pass if the thread's work were lost)."""
    monkeypatch.setattr(rl_config, "useA85", 0)
    theirs = _print(tmp_path / "theirs.pdf")
    monkeypatch.setattr(page_streams, "_apply", lambda texts, filters: [zlib.compress(t.encode(), 1) for t in texts])
    ours = _print(tmp_path / "ours.pdf")
    assert ours != theirs


class _Same:
    pdfname = "Same"

    def encode(self, content: str | bytes) -> str | bytes:
        return content


def test_ascii_text_is_written_as_the_document_would_encode_it() -> None:
    """A page's ASCII85 text is made bytes on the thread as reportlab's PDFDocEncoding makes them at save; the
    few ASCII characters that encoding has not are left to it (and to its error)."""
    from reportlab.pdfbase.pdfdoc import pdfdocEnc

    ascii85 = "".join(chr(c) for c in range(33, 118)) + "z~>\n"
    assert page_streams._apply([ascii85, "a\x18b", "金"], [_Same()]) == [pdfdocEnc(ascii85), "a\x18b", "金"]

"""Each finished page's content compressed on a thread of its own while the next pages are drawn.

reportlab keeps every page's operators as text until the document is saved, then compresses them all (zlib,
then ASCII85, as rl_config says) on the one thread: for a county register that is 4,000 pages of text held in
memory and a second or two of compressing at the end. zlib lets go of Python's lock while it works, so here the
pages are handed to a compressing thread as they are shown (a batch at a time: each hand-over makes the threads
take turns at the lock, and on a busy machine the waiting thread may be slow to get there), through the very
filters reportlab would have applied, and each page keeps its finished stream: the same bytes in the file, less
memory, and the compressing done on the machine's other core meanwhile."""

from __future__ import annotations

import re
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from types import TracebackType
from typing import Any, NamedTuple, Protocol

from reportlab import rl_config
from reportlab.pdfbase.pdfdoc import PDFBase85Encode, PDFStream, PDFZCompress
from reportlab.pdfgen.canvas import Canvas


class _Filter(Protocol):
    pdfname: str

    def encode(self, content: str | bytes) -> str | bytes: ...


# PDFDocEncoding (reportlab's 'extpdfdoc', which the document writes a text stream in) is ASCII but for these
_NOT_AS_ASCII = re.compile(rb"[\x18-\x1f]")
BATCH = 32  # pages handed over at a time: each hand-over makes the two threads take turns at Python's lock


class _Share(NamedTuple):
    """One page's place in a batch being compressed."""

    batch: Future[list[str | bytes]]
    place: int


class _Applied:
    """A stream filter already applied on the compressing thread: it names itself in the PDF as reportlab's
    own does, and hands on the bytes the thread made."""

    def __init__(self, pdfname: str) -> None:
        self.pdfname = pdfname

    def encode(self, content: _Share | str | bytes) -> str | bytes:
        return content.batch.result()[content.place] if isinstance(content, _Share) else content


def _apply(texts: list[str], filters: Sequence[_Filter]) -> list[str | bytes]:
    """What reportlab's PDFStream.format does with each page's text: the filters applied last to first. ASCII85
    hands back text, which the document would encode at save through its PDFDocEncoding codec (Python's
    charmap, half of the save's time for a county register); it is ASCII, where that encoding is ASCII's, so
    it is made the same bytes here meanwhile."""
    done: list[str | bytes] = []
    for text in texts:
        content: str | bytes = text
        for f in reversed(filters):
            content = f.encode(content)
        if isinstance(content, str) and content.isascii():
            encoded = content.encode("ascii")
            if not _NOT_AS_ASCII.search(encoded):
                content = encoded
        done.append(content)
    return done


class PageStreams:
    """Compresses the pages the canvas has shown, meanwhile, BATCH at a time; use as a context manager around
    the pages (it hands over the last ones and waits for the thread as it ends)."""

    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self.filters: list[_Filter] = [PDFBase85Encode, PDFZCompress] if rl_config.useA85 else [PDFZCompress]
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="page-streams")
        self.waiting: list[Any] = []  # pages shown, not yet handed over

    def __enter__(self) -> PageStreams:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if kind is None:
            self._hand_over()
        self.pool.shutdown(wait=True, cancel_futures=kind is not None)

    def shown(self) -> None:
        """The page just shown waits for its batch; a full batch goes to the compressing thread."""
        page = self.canvas._doc.Pages.pages[-1]  # type: ignore[attr-defined]  # the page showPage just added
        if not page.compression or page.stream is None or page.Contents is not None:
            return  # left to reportlab, which would not compress it either or has its own contents
        self.waiting.append(page)
        if len(self.waiting) >= BATCH:
            self._hand_over()

    def _hand_over(self) -> None:
        """The waiting pages' text goes to the thread; each page keeps the stream to be."""
        if not self.waiting:
            return
        batch = self.pool.submit(_apply, [page.stream for page in self.waiting], self.filters)
        for index, page in enumerate(self.waiting):
            stream = PDFStream(content=_Share(batch, index), filters=[_Applied(f.pdfname) for f in self.filters])
            stream.__Comment__ = "page stream"  # type: ignore[attr-defined]  # as PDFPage.check_format names it
            page.Contents = stream
            page.stream = None  # the text is the thread's now, and freed once compressed
        self.waiting = []

"""Each finished page's content compressed on a thread of its own while the next pages are drawn.

reportlab keeps every page's operators as text until the document is saved, then compresses them all (zlib,
then ASCII85, as rl_config says) on the one thread: for a county register that is 4,000 pages of text held in
memory and a second or two of compressing at the end. zlib lets go of Python's lock while it works, so here each
page is handed to a compressing thread as soon as it is shown, through the very filters reportlab would have
applied, and the page keeps the finished stream: the same bytes in the file, less memory, and the compressing
done on the machine's other core meanwhile."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from types import TracebackType
from typing import Protocol

from reportlab import rl_config
from reportlab.pdfbase.pdfdoc import PDFBase85Encode, PDFStream, PDFZCompress
from reportlab.pdfgen.canvas import Canvas


class _Filter(Protocol):
    pdfname: str

    def encode(self, content: str | bytes) -> str | bytes: ...


class _Applied:
    """A stream filter already applied on the compressing thread: it names itself in the PDF as reportlab's
    own does, and hands on the bytes the thread made."""

    def __init__(self, pdfname: str) -> None:
        self.pdfname = pdfname

    def encode(self, content: Future[str | bytes] | str | bytes) -> str | bytes:
        return content.result() if isinstance(content, Future) else content


def _apply(text: str, filters: Sequence[_Filter]) -> str | bytes:
    """What reportlab's PDFStream.format does with a page's text: the filters applied last to first (ASCII85
    hands back text, which the document writes as it would have)."""
    content: str | bytes = text
    for f in reversed(filters):
        content = f.encode(content)
    return content


class PageStreams:
    """Compresses each page the canvas has just shown, meanwhile; use as a context manager around the pages."""

    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self.filters: list[_Filter] = [PDFBase85Encode, PDFZCompress] if rl_config.useA85 else [PDFZCompress]
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="page-streams")

    def __enter__(self) -> PageStreams:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.pool.shutdown(wait=True, cancel_futures=kind is not None)

    def shown(self) -> None:
        """The page just shown: its text goes to the compressing thread, and the page keeps the stream to be."""
        page = self.canvas._doc.Pages.pages[-1]  # type: ignore[attr-defined]  # the page showPage just added
        if not page.compression or page.stream is None or page.Contents is not None:
            return  # left to reportlab, which would not compress it either or has its own contents
        stream = PDFStream(content=self.pool.submit(_apply, page.stream, self.filters),
                           filters=[_Applied(f.pdfname) for f in self.filters])
        stream.__Comment__ = "page stream"  # type: ignore[attr-defined]  # as PDFPage.check_format names it
        page.Contents = stream
        page.stream = None  # the text is the thread's now, and freed once compressed

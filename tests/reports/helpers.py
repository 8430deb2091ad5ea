"""Reading back what a report printed: page count, page text (poppler when installed), workbook rows."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

_PAGE = re.compile(rb"/Type /Page\b(?!s)")


def page_count(pdf: Path) -> int:
    return len(_PAGE.findall(pdf.read_bytes()))


def pages_text(pdf: Path) -> list[str]:
    """The text of each page as poppler extracts it; skips the test where poppler is not installed."""
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.skip("pdftotext (poppler-utils) is not installed here")
    out = subprocess.run([tool, "-layout", str(pdf), "-"], capture_output=True, check=True, text=True).stdout
    return out.split("\f")[: page_count(pdf)]


def squeeze(text: str) -> str:
    """Text without spaces: pdftotext spaces CJK text by position, not as it was written."""
    return re.sub(r"\s+", "", text)

"""Reading back what a report printed: page count, page text (poppler when installed), workbook rows."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

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


def pdf_fonts(pdf: Path) -> list[tuple[str, str, str, str]]:
    """(name, type, embedded, unicode map) of each font the PDF references, as poppler's pdffonts lists
    them; skips the test where poppler is not installed."""
    tool = shutil.which("pdffonts")
    if tool is None:
        pytest.skip("pdffonts (poppler-utils) is not installed here")
    out = subprocess.run([tool, str(pdf)], capture_output=True, check=True, text=True).stdout
    rows = []
    for line in out.splitlines()[2:]:
        *name, kind, _encoding, emb, _sub, uni, _obj, _gen = line.split()
        rows.append((" ".join(name[:-1]) if len(name) > 1 else name[0], kind, emb, uni))
    return rows


def words(pdf: Path, page: int = 1) -> list[tuple[str, float, float, float, float]]:
    """(word, x0, y0, x1, y1) in points from the top left of the page, as pdftotext -bbox finds them."""
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.skip("pdftotext (poppler-utils) is not installed here")
    out = subprocess.run([tool, "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
                         capture_output=True, check=True, text=True).stdout
    found = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', out)
    return [(w, float(a), float(b), float(c), float(d)) for a, b, c, d, w in found]


def ruled_boxes(pdf: Path, page: int = 1, min_width: float = 0, min_height: float = 0
                ) -> list[tuple[int, int, int, int]]:
    """Rectangles drawn with dark lines on the page (x0, y0, x1, y1 in points from the top left, the page
    rendered at 72 dpi), at least min_width by min_height points: what a printed box to sign in looks like."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed here")
    png = subprocess.run([tool, "-png", "-gray", "-r", "72", "-f", str(page), "-l", str(page), str(pdf)],
                         capture_output=True, check=True).stdout
    image = Image.open(io.BytesIO(png)).convert("L")
    width, height = image.size
    values = image.tobytes()  # one byte a pixel, row after row
    dark = [[v < 160 for v in values[y * width:(y + 1) * width]] for y in range(height)]
    runs = []  # vertical lines: (x, top, bottom)
    for x in range(width):
        y = 0
        while y < height:
            if dark[y][x]:
                top = y
                while y < height and dark[y][x]:
                    y += 1
                if y - top >= min_height:
                    runs.append((x, top, y - 1))
            y += 1

    def across(y: int, x0: int, x1: int) -> bool:
        return any(sum(dark[yy][x0:x1 + 1]) >= 0.95 * (x1 - x0 + 1) for yy in (y - 1, y, y + 1) if 0 <= yy < height)

    boxes = []
    for i, (xa, ta, ba) in enumerate(runs):
        for xb, tb, bb in runs[i + 1:]:
            if xb - xa >= min_width and abs(ta - tb) <= 2 and abs(ba - bb) <= 2 and across(ta, xa, xb) \
                    and across(ba, xa, xb):
                boxes.append((xa, ta, xb, ba))
    return boxes

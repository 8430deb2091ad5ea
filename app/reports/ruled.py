"""A page's ruled table drawn straight on the canvas: shaded header and village rows, the text of each
cell, then the grid, the box and the rule above the 合计 — where reportlab's platypus Table would put them
(the engine drew each page as a Table until issue 15; tests/reports/platypus_engine.py keeps that copy and a
test compares the two page by page), at a fraction of the cost: a county register is 4,000 pages.

Text is written as PDF operators in one text object per page. The embedded font is a dynamic TrueType font
whose characters reportlab numbers into subsets of 256 as they are first used; PageText keeps each
character's (subset, code) in a table that str.translate reads, so a cell is encoded in C, not character by
character in Python, and reportlab still learns every character it must embed."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple, cast

from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from app.reports.fonts import FONT
from app.reports.table import Align

_KEEP_RUNS = 20_000  # cells whose encoding is kept for the next time they are shown
_SAME_SUBSET = re.compile(r"(.)\1*", re.DOTALL)  # a stretch of one subset's character
_KEEP_NUMBERS = 50_000  # x and y positions whose text is kept
_KEEP_PLACED = 2_000  # values of a column whose placed operators are kept for the next row
_ACROSS: dict[float, dict[float, str]] = {}  # per table width, the rule across it at each height met
_FUZZ = 1e-6  # reportlab's rl_config._FUZZ: a span's edge this close to a line's end blocks nothing


class Cell(NamedTuple):  # a tuple, not a dataclass: a county register makes half a million of them
    """What one cell shows: its text in one size, lines parted by a newline (a cell too wide for one line is shrunk
    or broken by the layout before it comes here; lines counts the lines the layout made room for)."""

    text: str
    size: float
    lines: int = 1
    width: float | None = None  # the text's width in size when it is one line, measured once by the layout


class Row(NamedTuple):
    """One row of a page's table: its cells, its height, and how it is ruled and shaded."""

    cells: Sequence[Cell]
    height: float
    aligns: Sequence[Align]  # per cell
    span: int = 1  # the first cell spans this many columns (a village's heading, a 小计's label)
    shade: float | None = None  # grey level of the row's background, None: none
    rule_above: bool = False  # the heavier rule above a 合计


class _Codes(dict[int, int]):
    """ord(character) -> subset * 256 + code in the font's subsets, for str.translate; a character not yet
    used in this document is given its code by reportlab on first sight."""

    def __init__(self, font: TTFont, doc: object) -> None:
        super().__init__()
        self.font, self.doc = font, doc

    def __missing__(self, key: int) -> int:
        ((subset, code),) = self.font.splitString(chr(key), self.doc)
        value: int = subset << 8 | code[0]
        self[key] = value
        return value


class _Subsets(dict[int, int]):
    """ord(character) -> its subset in the font, for str.translate: a text as its characters' subsets."""

    def __init__(self, codes: _Codes) -> None:
        super().__init__()
        self.codes = codes

    def __missing__(self, key: int) -> int:
        value = self[key] = self.codes[key] >> 8
        return value


class _Shown(dict[int, str]):
    """ord(character) -> its code in its subset as a PDF string shows it (escapePDF of the one byte: it escapes
    byte by byte), for str.translate: a stretch of one subset's characters as the codes it shows, in C."""

    def __init__(self, codes: _Codes) -> None:
        super().__init__()
        self.codes = codes

    def __missing__(self, key: int) -> str:
        value = self[key] = escapePDF(bytes((self.codes[key] & 0xFF,)))
        return value


class PageText:
    """Text in the embedded font for one PDF document, as text-showing operators."""

    def __init__(self, canvas: Canvas) -> None:
        self.font = cast(TTFont, pdfmetrics.getFont(FONT))  # the embedded TrueType font (fonts.py)
        self.doc = canvas._doc  # type: ignore[attr-defined]  # the canvas's document, where subsets are kept
        self.codes = _Codes(self.font, self.doc)
        self.subsets = _Subsets(self.codes)
        self.shown = _Shown(self.codes)
        self.names: dict[int, str] = {}
        self.fonts: dict[tuple[int, float], str] = {}
        self.current: tuple[int, float] | None = None  # the subset and size last set in this text object
        self.runs: dict[str, list[tuple[int, str]]] = {}
        self.numbers: dict[float, str] = {}
        self.widths: dict[tuple[str, float], float] = {}
        self.stretches: dict[str, list[tuple[int, int, int]]] = {}  # per sequence of subsets: (subset, start, end)
        # reportlab numbers printable ASCII as itself in subset 0 (rl_config.ttfAsciiReadable, its default)
        self.ascii_as_is = all(self.codes[c] == c for c in range(32, 127))
        # per table geometry, per column: each one-line value as placed there (_Placed), for the rows it comes back on
        self.placed: dict[tuple[float, ...], list[dict[str, _Placed]]] = {}

    def width(self, text: str, size: float) -> float:
        """The text's width in size, kept: the lines of a cell over two lines (多重（视力、 above 精神）) come back
        on every page."""
        known = self.widths.get((text, size))
        if known is None:
            known = float(self.font.stringWidth(text, size))
            if len(self.widths) < _KEEP_RUNS:
                self.widths[(text, size)] = known
        return known

    def _name(self, subset: int) -> str:
        name = self.names.get(subset)
        if name is None:
            name = self.names[subset] = self.font.getSubsetInternalName(subset, self.doc)
        return name

    def set_font(self, font: tuple[int, float]) -> str:
        """The operator that sets (subset, size): the same few strings over and over, made once."""
        operator = self.fonts.get(font)
        if operator is None:
            operator = self.fonts[font] = f"{self._name(font[0])} {font[1]:.4f} Tf"
        return operator

    def runs_of(self, text: str) -> list[tuple[int, str]]:
        """The text's (subset, "(codes) Tj") runs, kept for the next time it is shown (男, 肢体, 三级 on every
        page: encoded once)."""
        runs = self.runs.get(text)
        if runs is None:
            runs = self._runs(text)
            if len(self.runs) < _KEEP_RUNS:
                self.runs[text] = runs
        return runs

    def show(self, out: list[str], text: str, x: float, y: float, size: float) -> None:
        """Append the operators that put text at (x, y) in size to out (inside BT ... ET)."""
        out.append(f"1 0 0 1 {fp_str(x, y)} Tm")
        for subset, shown in self.runs_of(text):
            if self.current != (subset, size):
                out.append(f"{self._name(subset)} {size:.4f} Tf")
                self.current = (subset, size)
            out.append(shown)

    def _runs(self, text: str) -> list[tuple[int, str]]:
        """The text as (subset, "(codes) Tj") runs, one per stretch of characters in the same subset."""
        if text.isascii() and text.isprintable() and self.ascii_as_is:  # digits (IDs, phones, 序号): subset 0
            return [(0, f"({escapePDF(text.encode('ascii'))}) Tj")]
        # each character's subset (which numbers a character new to the document, in the text's order), then
        # each stretch of one subset as its codes shown, both by str.translate in C
        subsets = text.translate(self.subsets)
        first = subsets[0]
        if subsets.count(first) == len(subsets):  # most cells: one subset
            return [(ord(first), f"({text.translate(self.shown)}) Tj")]
        # an address: 金塔村 | 128 | 号, a name over two subsets. Its stretches are found once per sequence of
        # subsets: a village's addresses come in a few (its name, group and house numbers of one to three digits)
        stretches = self.stretches.get(subsets)
        if stretches is None:
            stretches = [(ord(subsets[m.start()]), m.start(), m.end()) for m in _SAME_SUBSET.finditer(subsets)]
            if len(self.stretches) < _KEEP_RUNS:
                self.stretches[subsets] = stretches
        shown = self.shown
        return [(subset, f"({text[start:end].translate(shown)}) Tj") for subset, start, end in stretches]

    def number(self, value: float) -> str:
        """fp_str(value), kept: the rows' heights and the cells' widths come back page after page."""
        shown = self.numbers.get(value)
        if shown is None:
            shown = fp_str(value)
            if len(self.numbers) < _KEEP_NUMBERS:
                self.numbers[value] = shown
        return shown


def row_positions(heights: Sequence[float]) -> list[float]:
    """The y of each row's top edge and of the table's bottom, measured up from the bottom, summed as platypus
    sums them (compensated, from the bottom row up) so every line falls where it fell before."""
    positions: list[float] = []
    height = carry = 0.0
    for h in reversed(heights):
        positions.append(height)
        y = h - carry
        total = height + y
        carry = (total - height) - y
        height = total
    positions.append(height)
    positions.reverse()
    return positions


def draw_table(canvas: Canvas, text: PageText, x: float, top: float, widths: Sequence[float], rows: Sequence[Row],
               *, leading: float, side_pad: float) -> float:
    """Draw the rows as a ruled table whose top left corner is (x, top); returns its height."""
    ys = row_positions([r.height for r in rows])
    xs = [0.0]
    for w in widths:
        xs.append(xs[-1] + w)
    height, width = ys[0], xs[-1]
    out: list[str] = ["q", f"1 0 0 1 {x:.4f} {top - height:.4f} cm"]
    for r, row in enumerate(rows):
        if row.shade is not None:
            grey, low = row.shade, ys[r + 1]
            out.append(f"{grey} {grey} {grey} rg 0 {low:.4f} {width:.4f} {ys[r] - low:.4f} re f")
    out.append("0 0 0 rg BT")
    _draw_text(out, text, xs, ys, rows, leading, side_pad)
    out.append("ET")
    out.extend(_rules(xs, ys, rows, width))
    out.append("Q")
    canvas._code.extend(out)  # type: ignore[attr-defined]  # the page's operators, as canvas.drawString adds them
    return height


class _Placed(NamedTuple):
    """A one-line value placed in its column (the same x on every row it comes back on): the cell and alignment
    it was placed for, its operators up to the row's y, the font of its first run, the rest of its first run
    when that font is already set, the first run's codes, and any further runs (a text over two subsets) as the
    operators that show them, each setting its own font (two runs next to each other are never in one subset),
    with the font the last leaves set."""

    cell: Cell
    align: Align
    head: str
    font: tuple[int, float]
    same: str
    codes: str
    rest: str
    last: tuple[int, float]


def _draw_text(out: list[str], text: PageText, xs: list[float], ys: list[float], rows: Sequence[Row], leading: float,
               side_pad: float) -> None:
    """Each cell's text, a line at a time, where platypus put it: a county register shows a million cells, so
    the loop works from each column's edges and middle worked out once, writes a cell's position and text as
    one piece, and sets the font only when the subset or the size changes. A one-line value sits at the same x
    on every row it comes back on (男, 肢体, 三级): its operators up to the y, and from the y on, are kept per
    column (_Placed), so such a cell costs a lookup and the row's y, written once per row."""
    lefts = [x + side_pad for x in xs[:-1]]
    middles = [xs[c] + (xs[c + 1] - xs[c]) * 0.5 for c in range(len(xs) - 1)]
    rights = [x - side_pad for x in xs[1:]]
    placed = text.placed.setdefault(tuple(xs), [{} for _ in lefts])
    number, set_font = text.number, text.set_font
    current: tuple[int, float] | None = None
    for r, row in enumerate(rows):
        bottom, row_height = ys[r + 1], ys[r] - ys[r + 1]
        aligns, span = row.aligns, row.span
        last_size, y_text = -1.0, ""
        if span == 1 and row.shade is None:  # a data row: each cell in its own column, most of them kept
            for column, cell in enumerate(row.cells):
                shown = cell.text
                if not shown:
                    continue
                kept_here = placed[column]
                kept = kept_here.get(shown)
                # the layout hands the same cell back for a value it has fitted before: most often the very one
                if kept is None or (kept.cell is not cell and kept.cell != cell) or kept.align != aligns[column]:
                    if "\n" in shown:
                        break  # drawn below, as any row with lines in a cell
                    if cell.size != last_size:
                        last_size = size = cell.size
                        y_text = number(bottom + (row_height + size * leading) / 2.0 - size)
                    if kept is None and len(kept_here) >= _KEEP_PLACED:  # a value met once (an ID, an address)
                        current = _show_once(out, text, cell, aligns[column], lefts, middles, rights, column,
                                             y_text, current)
                        continue
                    kept = _place(text, cell, aligns[column], lefts, middles, rights, column)
                    if len(kept_here) < _KEEP_PLACED or shown in kept_here:
                        kept_here[shown] = kept
                elif cell.size != last_size:
                    last_size = size = cell.size
                    y_text = number(bottom + (row_height + size * leading) / 2.0 - size)
                if kept.font == current:  # the font as it is: place and show
                    out.append(kept.head + y_text + kept.same)
                else:  # place, set the font, show
                    current = kept.font
                    out.append(f"{kept.head}{y_text} Tm\n{set_font(current)}\n{kept.codes}")
                if kept.rest:
                    out.append(kept.rest)
                    current = kept.last
            else:
                continue
            skip = column  # the cells before the one with lines are drawn; the general loop goes on from it
        else:
            skip = 0
        c = 0
        for i, cell in enumerate(row.cells):
            step = span if i == 0 else 1
            column, c = c, c + step
            shown = cell.text
            if not shown or i < skip:
                continue
            size = cell.size
            align = aligns[i]
            if step == 1:
                kept = placed[column].get(shown)
                if kept is None or kept.cell != cell or kept.align != align:
                    kept = None if "\n" in shown else _place(text, cell, align, lefts, middles, rights, column)
                    if kept is not None and (len(placed[column]) < _KEEP_PLACED or shown in placed[column]):
                        placed[column][shown] = kept
                if kept is not None:
                    if size != last_size:
                        last_size = size
                        y_text = number(bottom + (row_height + size * leading) / 2.0 - size)
                    if kept.font == current:  # the font as it is: place and show
                        out.append(kept.head + y_text + kept.same)
                    else:  # place, set the font, show
                        current = kept.font
                        out.append(f"{kept.head}{y_text} Tm\n{set_font(current)}\n{kept.codes}")
                    if kept.rest:
                        out.append(kept.rest)
                        current = kept.last
                    continue
            if "\n" not in shown:  # a one-line label spanning columns (a village's heading, 小计)
                if size != last_size:
                    last_size = size
                    y_text = number(bottom + (row_height + size * leading) / 2.0 - size)
                wide = cell.width if cell.width is not None else text.width(shown, size)
                if align == "LEFT":
                    at = lefts[column]
                elif align == "RIGHT":
                    at = rights[c - 1] - wide
                else:
                    left, right = xs[column], xs[c]
                    at = left + (right - left) * 0.5 - 0.5 * wide
                out.append(f"1 0 0 1 {fp_str(at)} {y_text} Tm")
                for subset, codes in text.runs_of(shown):
                    if current != (subset, size):
                        current = (subset, size)
                        out.append(set_font(current))
                    out.append(codes)
                continue
            # every "\n" starts a line, also in a value that came with one (a household's two names)
            left, right = xs[column], xs[c]
            cell_leading = size * leading
            parts = shown.split("\n")
            y_line = bottom + (row_height + len(parts) * cell_leading) / 2.0 - size
            text.current = current
            for part in parts:
                if align == "LEFT":
                    at = left + side_pad
                elif align == "RIGHT":
                    at = right - side_pad - text.width(part, size)
                else:
                    at = left + (right - left) * 0.5 - 0.5 * text.width(part, size)
                if part:
                    text.show(out, part, at, y_line, size)
                y_line -= cell_leading
            current = text.current
    text.current = current


def _x_of(text: PageText, cell: Cell, align: Align, left: float, middle: float, right: float) -> float:
    """Where a one-line cell's text starts in its column: at the left edge, or by its width from the right
    edge or about the middle."""
    if align == "LEFT":
        return left
    wide = cell.width if cell.width is not None else text.width(cell.text, cell.size)
    return right - wide if align == "RIGHT" else middle - 0.5 * wide


def _show_once(out: list[str], text: PageText, cell: Cell, align: Align, lefts: list[float], middles: list[float],
               rights: list[float], column: int, y_text: str, current: tuple[int, float] | None) -> tuple[int, float]:
    """A one-line value that is not kept (its column keeps _KEEP_PLACED already) shown straight away: the very
    operators its _Placed would give, without making one; returns the font it leaves set."""
    shown, size = cell.text, cell.size
    at = _x_of(text, cell, align, lefts[column], middles[column], rights[column])
    runs = text.runs.get(shown) or text._runs(shown)
    subset, codes = runs[0]
    font = (subset, size)
    if font == current:
        out.append(f"1 0 0 1 {text.number(at)} {y_text} Tm\n{codes}")
    else:
        out.append(f"1 0 0 1 {text.number(at)} {y_text} Tm\n{text.set_font(font)}\n{codes}")
    for subset, codes in runs[1:]:  # two runs next to each other are never in one subset: each sets its font
        font = (subset, size)
        out.append(f"{text.set_font(font)}\n{codes}")
    return font


def _place(text: PageText, cell: Cell, align: Align, lefts: list[float], middles: list[float], rights: list[float],
           column: int) -> _Placed:
    """A one-line cell placed in its column: its x from its alignment and width, its text as runs."""
    shown, size = cell.text, cell.size
    at = _x_of(text, cell, align, lefts[column], middles[column], rights[column])
    runs = text.runs.get(shown) or text._runs(shown)  # kept here, per column: not in the runs kept for show()
    subset, codes = runs[0]
    font = (subset, size)
    if len(runs) == 1:
        rest, last = "", font
    else:
        set_font = text.set_font
        rest = "\n".join([f"{set_font((s, size))}\n{c}" for s, c in runs[1:]])
        last = (runs[-1][0], size)
    return _Placed(cell, align, f"1 0 0 1 {text.number(at)} ", font, f" Tm\n{codes}", codes, rest, last)


def _rules(xs: list[float], ys: list[float], rows: Sequence[Row], width: float) -> list[str]:
    """The grid (0.5 pt, broken where a row's first cell spans columns), the box (1 pt) and the rule above the
    合计 (1 pt), in platypus' order."""
    line = "{:.4f} {:.4f} m {:.4f} {:.4f} l S".format
    out = ["0 0 0 RG 0.5 w"]
    bottom = ys[-1]
    for y in (ys[0], bottom):
        out.append(line(0, y, width, y))
    for x in (xs[0], xs[-1]):
        out.append(line(x, bottom, x, ys[0]))
    across = _ACROSS.get(width)
    if across is None or len(across) > _KEEP_NUMBERS:
        across = _ACROSS[width] = {}
    for y in ys[1:-1]:  # the rows' edges fall at the same heights page after page: each line written once
        rule = across.get(y)
        if rule is None:
            rule = across[y] = line(0, y, width, y)
        out.append(rule)
    # the rows whose first cell spans columns, once per page rather than once per column (a few in 25 rows)
    spans = [(ys[r + 1], ys[r], row.span) for r, row in enumerate(rows) if row.span > 1]
    for c in range(1, len(xs) - 1):
        x = xs[c]
        blocks = sorted((low, high) for low, high, span in spans if span > c)
        start = bottom
        for low, high in blocks:  # a vertical line from the bottom up, skipping the spanned rows
            if high <= start + _FUZZ:
                continue
            if low > start:
                out.append(line(x, start, x, low))
            start = high
        if start < ys[0] - _FUZZ:
            out.append(line(x, start, x, ys[0]))
    out.append("1 w")
    for y in (ys[0], bottom):
        out.append(line(0, y, width, y))
    for x in (xs[0], xs[-1]):
        out.append(line(x, bottom, x, ys[0]))
    for r, row in enumerate(rows):
        if row.rule_above:
            out.append(line(0, ys[r], width, ys[r]))
    return out

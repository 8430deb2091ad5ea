"""The quick look at a workbook's big parts (a roster's sheet, its shared strings) before the exact scan
(app.io.workbook_scan): the XML still goes through the same parser, which finds it well formed or not,
but with no handler of ours, and what the limits bound is counted from the bytes by a few regular
expressions instead of an event per element (the exact scan's Python handlers were nearly all of the
reading time of a 10,000-row roster).

It only ever says "within the limits, for certain" or gives up (Unsure): every figure here is one the
exact scan's figure cannot exceed (a character takes at least one byte; a cell without a value counts as
one with; text between cells counts as text), and any part written otherwise than the plain way Excel,
WPS and openpyxl write it (cells without their r="A1" first, a namespace prefix on the elements counted,
single-quoted or entity-bearing attributes, comments or CDATA, shared-string cells other than
<v>digits</v>) gives up at once. When it gives up, the exact scan reads the whole workbook again from
the start, so every refusal and its sentence are the exact scan's."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.io.workbook_limits import Limits
    from app.io.workbook_scan import WorkbookScan


ROUGH_FROM = 1 << 20  # smaller parts go through the exact handlers at once (a few milliseconds)
_SLICE = 4 << 20  # looked at in slices of this size, so that no list of matches grows with the part


class Unsure(Exception):
    """The quick look cannot vouch for this part: the exact scan decides."""


_PREFIXED = re.compile(rb"</?[A-Za-z_][\w.\-]*:(?:c|row|v|t|si|is|r|mergeCell|sheet|Relationship)[\s/>]")
_REFERENCE_IN_PLACE = re.compile(rb'\s[rt]="[^"&]*&')
_PLACED_CELL = re.compile(rb'<c r="([A-Z]{1,2}[1-9]\d{0,5})"[\s/>]')
_LETTERS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ROW = re.compile(rb"()<row[\s/>]")
_PLACED_ROW = re.compile(rb'()<row r="[1-9]\d{0,8}"[\s/>]')
_SHARED_CELL = re.compile(
    rb'<c r="[A-Z]{1,2}[1-9]\d{0,5}"(?: s="\d{1,9}")? t="s"(?: s="\d{1,9}")?><v>(\d{1,12})</v></c>')
_TEXT = re.compile(rb">([^<]+)")
_MERGE = re.compile(rb"()<mergeCell[\s/>]")
_SHEET = re.compile(rb"()<sheet[\s/>]")
_SHARED_STRING = re.compile(rb"()<si[\s/>]")
_TAGS_BUT_STRINGS = re.compile(rb"<(?!/?si[\s/>])[^>]*>")
_STRING_TEXT = re.compile(rb"<si(?:\s[^>]*)?>([^<]*)</si\s*>")
# a cell's start tag written <c>, <c/ or <c followed by a tab or a line break: one search of a 4 MB slice for
# its literal start instead of five (5 against 28 ms on a 10,000-row roster's sheet)
_ODD_CELL = re.compile(rb"<c[>/\t\n\r]")


def _count(pattern: re.Pattern[bytes], data: bytes) -> int:
    """How often the pattern occurs (its one empty group makes findall's list hold only b"")."""
    return len(pattern.findall(data))


def _column(letters: bytes) -> int:
    """b"A" -> 0, b"IV" -> 255 (one or two capital letters)."""
    value = 0
    for code in letters:
        value = value * 26 + code - 64
    return value - 1


def _plain(data: bytes) -> bool:
    """Attributes written name="value" (no space around =, no single quotes, no reference in r or t),
    no comment, CDATA or DTD, and no namespace prefix on the elements counted."""
    if b"<!" in data or data.count(b"=") != data.count(b'="'):
        return False
    if any(space + b'="' in data for space in (b" ", b"\t", b"\n", b"\r")):
        return False
    if b"&" in data and _REFERENCE_IN_PLACE.search(data):
        return False
    if data.count(b":") > 64:  # a name with a prefix, times in the text: let the expression look
        return not _PREFIXED.search(data)
    at = data.find(b":")
    while at >= 0:  # the root's namespace declarations, mostly: is any of them in an element's name?
        if _PREFIXED.match(data, data.rfind(b"<", 0, at)):
            return False
        at = data.find(b":", at + 1)
    return True


def _count_cells(piece: bytes) -> int:
    """How many <c …> start tags (0 when one is written otherwise than <c followed by a space)."""
    if _ODD_CELL.search(piece):
        return -1
    return piece.count(b"<c ")


def _cut(data: bytes, key: str) -> int:
    """Where to end a slice of about _SLICE bytes: just after a cell's end, else a shared string's end,
    else a tag's end, so that no pattern counted here spans a cut."""
    for mark in (b"</c>", b"</si>", b">"):
        cut = data.rfind(mark, 0, _SLICE)
        if cut >= 0:
            return cut + len(mark)
    raise Unsure(key)


class _Part:
    """One part's figures, gathered slice by slice."""

    def __init__(self) -> None:
        self.cells = self.shared_cells = self.strings = 0
        self.last_row = self.last_col = 0
        self.text = self.longest_cell = 0
        self.open_cell = -1  # bytes since the last cell's end (-1 before the first cell)
        self.texts: list[int] = []  # bytes of each shared string's text


def _cells(part: _Part, piece: bytes, lengths: Sequence[int], key: str) -> None:
    cells = _count_cells(piece)
    if cells < 0 or (b"<row" in piece and _count(_ROW, piece) != _count(_PLACED_ROW, piece)):
        raise Unsure(key)
    if not cells:
        if part.open_cell >= 0:
            part.open_cell += len(piece)
        part.text += sum(map(len, _TEXT.findall(b">" + piece)))
        return
    refs = _PLACED_CELL.findall(piece)
    if cells != len(refs):
        raise Unsure(key)
    shared_cells = piece.count(b't="s"')
    indexes = _SHARED_CELL.findall(piece) if shared_cells else []
    if shared_cells != len(indexes):
        raise Unsure(key)
    part.cells += cells
    part.shared_cells += len(indexes)
    rows = [ref.lstrip(_LETTERS) for ref in refs]
    part.last_row = max(part.last_row, *map(int, rows))
    letters = {ref[:len(ref) - len(row)] for ref, row in zip(refs, rows, strict=True)}
    part.last_col = max(part.last_col, *map(_column, letters))
    # a cell's text lies between the end of the cell before and its own end
    if part.open_cell < 0:
        piece_from = piece[piece.find(b"<c "):]
        part.open_cell = 0
    else:
        piece_from = piece
    ends = piece_from.split(b"</c>")
    if len(ends) > 1:
        part.longest_cell = max(part.longest_cell, part.open_cell + len(ends[0]), *map(len, ends[1:-1]))
        part.open_cell = len(ends[-1])
    else:
        part.open_cell += len(piece_from)
    within = len(lengths)
    part.text += sum(map(len, _TEXT.findall(b">" + piece))) + sum(
        lengths[i] for i in map(int, indexes) if i < within)


def _strings(part: _Part, piece: bytes, limits: Limits, key: str) -> None:
    strings = _count(_SHARED_STRING, piece) if b"<si" in piece else 0
    if not strings:
        return
    texts = _STRING_TEXT.findall(_TAGS_BUT_STRINGS.sub(b"", piece))  # the text of each <si>, tags and all out
    if len(texts) != strings or max(map(len, texts)) > limits.cell_chars:
        raise Unsure(key)  # (strings inside each other the exact scan counts otherwise)
    part.strings += strings
    part.texts.extend(map(len, texts))


class Look:
    """The quick look at one part, fed the part's bytes as the parser reads them (never held whole)."""

    def __init__(self, scan: WorkbookScan, key: str, shared_part: bool) -> None:
        self.scan, self.key, self.shared_part = scan, key, shared_part
        self.part = _Part()
        self.merged = self.sheets = 0
        self.buffer = b""

    def feed(self, chunk: bytes) -> None:
        self.buffer += chunk
        while len(self.buffer) >= _SLICE:
            end = _cut(self.buffer, self.key)
            self._slice(self.buffer[:end])
            self.buffer = self.buffer[end:]

    def _slice(self, piece: bytes) -> None:
        scan, limits, key, part = self.scan, self.scan.limits, self.key, self.part
        if not _plain(piece):
            raise Unsure(key)
        _cells(part, piece, scan.shared_lengths, key)
        _strings(part, piece, limits, key)
        if part.cells and part.strings:
            raise Unsure(key)  # strings inside cells: the exact scan counts them otherwise
        self.merged += _count(_MERGE, piece) if b"<mergeCell" in piece else 0
        self.sheets += _count(_SHEET, piece) if b"<sheet" in piece else 0
        if (part.last_row > limits.rows or part.last_col >= limits.columns or part.longest_cell > limits.cell_chars
                or scan.text + part.text > limits.text_chars or scan.shared_count + part.strings > limits.shared_strings
                or scan.merged + self.merged > limits.merged or scan.sheets + self.sheets > limits.sheets):
            raise Unsure(key)

    def end(self) -> None:
        """Add this part's bounds to the scan's totals, or raise Unsure."""
        if self.buffer:
            self._slice(self.buffer)
            self.buffer = b""
        scan, part = self.scan, self.part
        if part.cells:
            scan.area += part.last_row * (part.last_col + 1)
        scan.text += part.text
        scan.shared_count += part.strings
        scan.merged += self.merged
        scan.sheets += self.sheets
        if scan.area > scan.limits.cells:
            raise Unsure(self.key)
        if self.shared_part:  # as the exact scan keeps them, the longest where parts repeat (bytes: no fewer)
            lengths = scan.shared_lengths
            for index, length in enumerate(part.texts):
                if index < len(lengths):
                    lengths[index] = max(lengths[index], length)
                else:
                    lengths.append(length)

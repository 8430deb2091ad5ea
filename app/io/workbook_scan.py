"""A bounded scan of a workbook's XML parts: what python-calamine would build from them, counted as
calamine counts it, without building it (app.io.workbook_limits says why).

Cells are placed as calamine places them: by their r attribute, else one column right of the last cell
and one row below the last row. Only cells with a value make the dense range, so only they count. Text
is counted as it would be held: a shared string once for each cell that uses it. Where calamine's way
and the scan's could differ, the scan counts more, never less. Control characters, which calamine
reads and the XML standard forbids, are turned into spaces for the scanning parser."""

from __future__ import annotations

import functools
import re
from array import array
from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import TYPE_CHECKING
from xml.parsers import expat

if TYPE_CHECKING:
    from app.io.workbook_limits import Limits, Refused

_CONTROL = bytes.maketrans(bytes([*range(0, 9), 11, 12, *range(14, 32)]), b" " * 29)
_CHAR_REF = re.compile(rb"&#(x[0-9a-fA-F]{1,8}|[0-9]{1,10});")
_NONCHARACTER = re.compile(b"\xef\xbf[\xbe\xbf]")
_DIGITS = "0123456789"
_WORKBOOK = "xl/workbook.xml"
_WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
SHARED_STRINGS = "xl/sharedstrings.xml"


def _xml_char(match: re.Match[bytes]) -> bytes:
    """A character reference the XML parser accepts: one that XML forbids becomes a space."""
    digits = match.group(1)
    code = int(digits[1:], 16) if digits[:1] == b"x" else int(digits)
    allowed = code in (9, 10, 13) or 32 <= code < 0xD800 or 0xE000 <= code < 0xFFFE or 0x10000 <= code < 0x110000
    return match.group(0) if allowed else b" "


def column_name(index: int) -> str:
    """0 -> A, 255 -> IV."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@functools.cache
def _column(letters: str) -> int:
    """A -> 0, IV -> 255; -1 for anything that is not a column's letters."""
    if not (letters.isascii() and letters.isalpha() and len(letters) <= 4):
        return -1
    value = 0
    for ch in letters.upper():
        value = value * 26 + ord(ch) - 64
    return value - 1


def part_key(name: str) -> str:
    """A part's name as compared here: forward slashes, lower case (the reader may not care either way)."""
    return name.replace("\\", "/").lower()


class WorkbookScan:
    """The counts of a whole package, part by part; raises Refused at the first limit passed."""

    def __init__(self, file_name: str, limits: Limits, refused: type[Refused]) -> None:
        self.file_name = file_name
        self.limits = limits
        self.refused = refused
        self.shared_lengths = array("Q")  # characters of each shared string, the longest where parts repeat
        self.shared_count = 0
        self.area = 0
        self.text = 0
        self.merged = 0
        self.sheets = 0
        self.sheet_ids: dict[str, str] = {}  # r:id -> sheet name, from the workbook part
        self.targets: dict[str, str] = {}  # Id -> target, from the workbook's relationships

    def order(self, name: str) -> int:
        """The workbook and its relationships first (sheet names), then the shared strings, then the rest."""
        key = part_key(name)
        return 0 if key in (_WORKBOOK, _WORKBOOK_RELS) else 1 if key == SHARED_STRINGS else 2

    def is_xml(self, name: str) -> bool:
        """XML parts, and any part the workbook names as a sheet, whatever its name ends with."""
        key = part_key(name)
        return key.endswith((".xml", ".rels")) or PurePosixPath(key).name in {
            PurePosixPath(part_key(t)).name for t in self.targets.values()}

    def sheet_name(self, part: str) -> str:
        """The name the clerk sees for the sheet kept in this part ("" if it is not one)."""
        key = PurePosixPath(part_key(part)).name
        for rel_id, target in self.targets.items():
            if PurePosixPath(part_key(target)).name == key and rel_id in self.sheet_ids:
                return self.sheet_ids[rel_id]
        return ""

    def part(self, name: str, chunks: Iterable[bytes]) -> None:
        _Part(self, name).feed(chunks)

    def fail(self, text: str, advice: str = "这不是正常的花名册，请在Excel中打开检查，另存为新的.xlsx再导入。") -> Refused:
        return self.refused(f"文件 {self.file_name} 中{text}，已拒绝导入：{advice}")

    def damaged(self) -> Refused:
        return self.refused(f"文件 {self.file_name} 已损坏或不是Excel工作簿：请在Excel中打开并另存为.xlsx后再导入。")


class _Part:
    """One part through expat. Inside a cell, as in calamine, everything up to the first </c> belongs
    to the cell, whatever it is; any element there counts as a value (more, never less). Text is
    counted inside <v> and <t>."""

    def __init__(self, scan: WorkbookScan, name: str) -> None:
        self.scan = scan
        self.limits = scan.limits
        self.key = part_key(name)
        self.sheet = scan.sheet_name(name)
        self.shared = self.key == SHARED_STRINGS
        self.shared_index = 0
        self.row = 0  # 0-based, as calamine keeps it
        self.col = 0
        self.cell: tuple[int, int] | None = None  # the cell being read, until its </c>
        self.cell_type = ""
        self.valued = False
        self.in_shared = False
        self.capturing = False
        self.chars = 0  # of the cell or shared string being read
        self.index_text = ""
        self.last_row = -1
        self.last_col = -1
        parser = expat.ParserCreate()
        parser.buffer_text = True
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._text
        parser.StartDoctypeDeclHandler = self._doctype  # entities could expand to gigabytes
        parser.EntityDeclHandler = self._doctype
        self.parser = parser

    def where(self) -> str:
        return f"工作表“{self.sheet}”" if self.sheet else "表格"

    def feed(self, chunks: Iterable[bytes]) -> None:
        carry = b""
        utf16: bool | None = None
        try:
            for chunk in chunks:
                if utf16 is None:
                    utf16 = chunk[:2] in (b"\xff\xfe", b"\xfe\xff")
                if not utf16:
                    chunk = self._lawful(carry + chunk)
                    cut = max(0, len(chunk) - 12)  # a reference or a character cut in two waits for the rest
                    if b"&" in chunk[cut:] or b"\xef" in chunk[cut:]:
                        chunk, carry = chunk[:cut], chunk[cut:]
                    else:
                        carry = b""
                self.parser.Parse(chunk, False)
            self.parser.Parse(self._lawful(carry), True)
        except expat.ExpatError:
            raise self.scan.damaged() from None
        if self.last_row >= 0:
            self.scan.area += (self.last_row + 1) * (self.last_col + 1)
            if self.scan.area > self.limits.cells:
                raise self.scan.fail(f"表格的范围超过{self.limits.cells // 10_000}万个单元格（行数乘列数）")

    @staticmethod
    def _lawful(chunk: bytes) -> bytes:
        chunk = chunk.translate(_CONTROL)
        if b"&#" in chunk:
            chunk = _CHAR_REF.sub(_xml_char, chunk)
        if b"\xef\xbf" in chunk:
            chunk = _NONCHARACTER.sub(b"   ", chunk)
        return chunk

    def _doctype(self, *_args: object) -> None:
        raise self.scan.fail("含有实体定义（DTD）")

    def _text(self, data: str) -> None:
        if not self.capturing:
            return
        self.chars += len(data)
        if self.chars > self.limits.cell_chars:
            raise self.scan.fail(f"{self.where()}有一个单元格超过{self.limits.cell_chars}个字（Excel本身的上限）")
        if self.cell_type == "s" and self.cell is not None:
            self.index_text += data
            if len(self.index_text) > 12:
                raise self.scan.damaged()

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        local = name.rpartition(":")[2] if ":" in name else name
        if self.cell is not None:
            if not self.valued:
                self._valued()
            if local in ("v", "t"):
                self.capturing = True
        elif local == "c":
            self._cell(attrs)
        elif local == "row":
            ref = attrs.get("r")
            if ref is not None:
                if not (ref.isdigit() and 0 < int(ref) < 1 << 31):
                    raise self.scan.damaged()
                self.row = int(ref) - 1
        elif self.in_shared:
            if local == "t":
                self.capturing = True
        elif local == "si":
            self.in_shared = True
            self.chars = 0
        else:
            self._other(local, attrs)

    def _end(self, name: str) -> None:
        local = name.rpartition(":")[2] if ":" in name else name
        self.capturing = False
        if self.cell is not None:
            if local == "c":
                self._cell_done()
        elif local == "row":
            self.row += 1
            self.col = 0
        elif local == "si" and self.in_shared:
            self._shared_done()

    def _other(self, local: str, attrs: dict[str, str]) -> None:
        if local == "mergeCell":
            self.scan.merged += 1
            if self.scan.merged > self.limits.merged:
                raise self.scan.fail(f"合并单元格多达{self.limits.merged}个以上")
        elif local == "sheet":
            self.scan.sheets += 1
            if self.scan.sheets > self.limits.sheets:
                raise self.scan.fail(f"工作表多达{self.limits.sheets}个以上")
            if self.key == _WORKBOOK:
                rel_id = next((v for k, v in attrs.items() if k.rpartition(":")[2] == "id"), "")
                self.scan.sheet_ids[rel_id] = attrs.get("name", "")
        elif local == "Relationship" and self.key == _WORKBOOK_RELS:
            if len(self.scan.targets) >= self.limits.parts:
                raise self.scan.damaged()
            self.scan.targets[attrs.get("Id", "")] = attrs.get("Target", "")

    def _cell(self, attrs: dict[str, str]) -> None:
        ref = attrs.get("r")
        if ref is None:
            self.cell = (self.row, self.col)
        else:
            letters = ref.rstrip(_DIGITS)
            digits = ref[len(letters):]
            col = _column(letters)
            if col < 0 or not digits.isdigit() or len(digits) > 9 or int(digits) == 0:
                raise self.scan.damaged()
            self.col = col
            self.cell = (int(digits) - 1, col)
        self.cell_type = attrs.get("t", "")
        self.valued = False
        self.chars = 0
        self.index_text = ""

    def _valued(self) -> None:
        """The cell has a value: it takes its place in the dense range."""
        assert self.cell is not None
        self.valued = True
        row, col = self.cell
        if row >= self.limits.rows:
            raise self.scan.fail(f"{self.where()}的内容一直到第{row + 1}行，超过了{self.limits.rows}行的上限",
                                 "请在Excel中删去表格下方多余的行（也许只是远处误输入的一格），另存为新的.xlsx再导入。")
        if col >= self.limits.columns:
            raise self.scan.fail(f"{self.where()}的内容一直到第{col + 1}列（{column_name(col)}列），"
                                 f"超过了{self.limits.columns}列的上限",
                                 "请在Excel中删去右侧多余的列（也许只是远处误输入的一格），另存为新的.xlsx再导入。")
        if row > self.last_row:
            self.last_row = row
        if col > self.last_col:
            self.last_col = col

    def _cell_done(self) -> None:
        chars = self.chars
        if self.cell_type == "s" and self.valued:
            text = self.index_text.strip()
            if not text.isdigit():
                raise self.scan.damaged()
            index = int(text)
            lengths = self.scan.shared_lengths
            chars = lengths[index] if index < len(lengths) else 0
        self.scan.text += chars
        if self.scan.text > self.limits.text_chars:
            raise self.scan.fail(f"单元格的文字合计超过{self.limits.text_chars // 10_000}万字")
        self.cell = None
        self.col += 1

    def _shared_done(self) -> None:
        self.in_shared = False
        self.scan.shared_count += 1
        if self.scan.shared_count > self.limits.shared_strings:
            raise self.scan.fail(f"不同的文字多达{self.limits.shared_strings // 10_000}万条以上")
        if self.shared:
            lengths = self.scan.shared_lengths
            if self.shared_index < len(lengths):
                lengths[self.shared_index] = max(lengths[self.shared_index], self.chars)
            else:
                lengths.append(self.chars)
            self.shared_index += 1
        self.chars = 0

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
from collections.abc import Callable, Iterable
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
        self.rough = False  # big parts looked at quickly (app.io.workbook_rough), raising Unsure when unsure

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

    def part(self, name: str, chunks: Iterable[bytes], size: int = 0) -> None:
        """Scan one part (size: what its entry declares): each element through the handlers, or, for a
        big part in a rough scan, through the parser alone and then a quick look at its bytes."""
        from app.io import workbook_rough

        parser = expat.ParserCreate()
        parser.buffer_text = True
        parser.StartDoctypeDeclHandler = parser.EntityDeclHandler = self._doctype  # entities: gigabytes
        key = part_key(name)
        look = workbook_rough.Look(self, key, key == SHARED_STRINGS) if (
            self.rough and size >= workbook_rough.ROUGH_FROM and key not in (_WORKBOOK, _WORKBOOK_RELS)) else None
        rough = look is not None
        end_of_part = _nothing if rough else _handlers(self, name, parser)
        carry = b""
        utf16: bool | None = None
        try:
            for chunk in chunks:
                if utf16 is None:
                    utf16 = chunk[:2] in (b"\xff\xfe", b"\xfe\xff")
                    if utf16 and rough:
                        raise workbook_rough.Unsure(key)
                if not utf16:
                    chunk = _lawful(carry + chunk)
                    cut = max(0, len(chunk) - 12)  # a reference or a character cut in two waits for the rest
                    if b"&" in chunk[cut:] or b"\xef" in chunk[cut:]:
                        chunk, carry = chunk[:cut], chunk[cut:]
                    else:
                        carry = b""
                parser.Parse(chunk, False)
                if look is not None:
                    look.feed(chunk)
            last = _lawful(carry)
            parser.Parse(last, True)
        except expat.ExpatError:
            raise self.damaged() from None
        if look is not None:
            look.feed(last)
            look.end()
        end_of_part()  # the part's own totals

    def _doctype(self, *_args: object) -> None:
        raise self.fail("含有实体定义（DTD）")

    def fail(self, text: str,
             advice: str = "这不是正常的花名册，请在Excel中打开检查，另存为新的.xlsx再导入。") -> Refused:
        return self.refused(f"文件 {self.file_name} 中{text}，已拒绝导入：{advice}")

    def damaged(self) -> Refused:
        return self.refused(f"文件 {self.file_name} 已损坏或不是Excel工作簿：请在Excel中打开并另存为.xlsx后再导入。")


def _nothing() -> None:
    """The end of a part looked at quickly: its totals are the quick look's."""


def _lawful(chunk: bytes) -> bytes:
    """Bytes the XML parser accepts: control characters and references to them as spaces."""
    chunk = chunk.translate(_CONTROL)
    if b"&#" in chunk:
        chunk = _CHAR_REF.sub(_xml_char, chunk)
    if b"\xef\xbf" in chunk:
        chunk = _NONCHARACTER.sub(b"   ", chunk)
    return chunk


def _handlers(scan: WorkbookScan, part: str, parser: expat.XMLParserType) -> Callable[[], None]:
    """Set the parser's handlers for one part, and return what ends it (the part's totals). Inside a cell,
    as in calamine, everything up to the first </c> belongs to the cell, whatever it is, and any element
    there counts as a value (more, never less). Text is counted inside <v> and <t>. Closures over local
    state: on a 100,000-row sheet the handlers run millions of times, and this is three times faster than
    methods."""
    limits = scan.limits
    key = part_key(part)
    sheet = scan.sheet_name(part)
    where = f"工作表“{sheet}”" if sheet else "表格"
    shared_part = key == SHARED_STRINGS
    lengths = scan.shared_lengths
    row = col = 0  # 0-based, as calamine keeps them
    cell_row = cell_col = -1  # the cell being read, until its </c>; -1 outside a cell
    cell_shared = valued = in_shared = capturing = False
    chars = 0  # of the cell or shared string being read
    index_text = ""
    last_row = last_col = -1
    shared_index = 0

    def valued_cell() -> None:
        nonlocal valued, last_row, last_col
        valued = True
        if cell_row >= limits.rows:
            raise scan.fail(f"{where}的内容一直到第{cell_row + 1}行，超过了{limits.rows}行的上限",
                            "请在Excel中删去表格下方多余的行（也许只是远处误输入的一格），另存为新的.xlsx再导入。")
        if cell_col >= limits.columns:
            raise scan.fail(f"{where}的内容一直到第{cell_col + 1}列（{column_name(cell_col)}列），"
                            f"超过了{limits.columns}列的上限",
                            "请在Excel中删去右侧多余的列（也许只是远处误输入的一格），另存为新的.xlsx再导入。")
        if cell_row > last_row:
            last_row = cell_row
        if cell_col > last_col:
            last_col = cell_col

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal row, col, cell_row, cell_col, cell_shared, valued, in_shared, capturing, chars, index_text
        if cell_row >= 0:
            if not valued:
                valued_cell()
            if name == "v" or name == "t" or (":" in name and name.endswith((":v", ":t"))):
                capturing = True
            return
        if ":" in name:
            name = name.rpartition(":")[2]
        if name == "c":
            ref = attrs.get("r")
            if ref is None:
                cell_row, cell_col = row, col
            else:
                letters = ref.rstrip(_DIGITS)
                digits = ref[len(letters):]
                cell_col = _column(letters)
                if cell_col < 0 or not digits.isdigit() or len(digits) > 9:
                    raise scan.damaged()
                col = cell_col
                cell_row = int(digits) - 1
                if cell_row < 0:
                    raise scan.damaged()
            cell_shared = attrs.get("t") == "s"
            valued = False
            chars = 0
            index_text = ""
        elif name == "row":
            ref = attrs.get("r")
            if ref is not None:
                if not (ref.isdigit() and 0 < int(ref) < 1 << 31):
                    raise scan.damaged()
                row = int(ref) - 1
        elif in_shared:
            capturing = name == "t"
        elif name == "si":
            in_shared = True
            chars = 0
        else:
            _other(scan, key, name, attrs)

    def end(name: str | None) -> None:
        nonlocal row, col, cell_row, in_shared, capturing, shared_index
        capturing = False
        if cell_row >= 0:
            if name == "c" or (name is not None and ":" in name and name.endswith(":c")):
                total = chars
                if cell_shared and valued:
                    text = index_text.strip()
                    if not text.isdigit():
                        raise scan.damaged()
                    index = int(text)
                    total = lengths[index] if index < len(lengths) else 0
                scan.text += total
                if scan.text > limits.text_chars:
                    raise scan.fail(f"单元格的文字合计超过{limits.text_chars // 10_000}万字")
                cell_row = -1
                col += 1
        elif name is None:  # the end of the part
            if last_row >= 0:
                scan.area += (last_row + 1) * (last_col + 1)
                if scan.area > limits.cells:
                    raise scan.fail(f"表格的范围超过{limits.cells // 10_000}万个单元格（行数乘列数）")
        elif name == "row" or name.endswith(":row"):
            row += 1
            col = 0
        elif in_shared and (name == "si" or name.endswith(":si")):
            in_shared = False
            scan.shared_count += 1
            if scan.shared_count > limits.shared_strings:
                raise scan.fail(f"不同的文字多达{limits.shared_strings // 10_000}万条以上")
            if shared_part:
                if shared_index < len(lengths):
                    lengths[shared_index] = max(lengths[shared_index], chars)
                else:
                    lengths.append(chars)
                shared_index += 1

    def text(data: str) -> None:
        nonlocal chars, index_text
        if not capturing:
            return
        chars += len(data)
        if chars > limits.cell_chars:
            raise scan.fail(f"{where}有一个单元格超过{limits.cell_chars}个字（Excel本身的上限）")
        if cell_shared and cell_row >= 0:
            index_text += data
            if len(index_text) > 12:
                raise scan.damaged()

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    return lambda: end(None)


def _other(scan: WorkbookScan, key: str, name: str, attrs: dict[str, str]) -> None:
    """Elements outside cells that are counted, or that name the sheets."""
    limits = scan.limits
    if name == "mergeCell":
        scan.merged += 1
        if scan.merged > limits.merged:
            raise scan.fail(f"合并单元格多达{limits.merged}个以上")
    elif name == "sheet":
        scan.sheets += 1
        if scan.sheets > limits.sheets:
            raise scan.fail(f"工作表多达{limits.sheets}个以上")
        if key == _WORKBOOK:
            rel_id = next((v for k, v in attrs.items() if k.rpartition(":")[2] == "id"), "")
            scan.sheet_ids[rel_id] = attrs.get("name", "")
    elif name == "Relationship" and key == _WORKBOOK_RELS:
        if len(scan.targets) >= limits.parts:
            raise scan.damaged()
        scan.targets[attrs.get("Id", "")] = attrs.get("Target", "")

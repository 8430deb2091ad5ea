"""Hostile workbooks, made by the tests themselves, one builder per class of trouble a workbook from
elsewhere can bring: cells far out, rows without end, giant or endlessly repeated strings, padding,
packages that lie about their sizes, XML entities, control characters. Written as raw XML with
zipfile, because openpyxl refuses to write most of them; small on disk, some huge once unpacked."""

from __future__ import annotations

import math
import struct
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
    '"/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.'
    'main+xml"/></Types>'
)
_PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
    f'2006/relationships"><Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
HEADER = ("姓名", "身份证号", "残疾类别", "残疾等级", "村")
Chunks = Iterable[str]


def column(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA, 16383 -> XFD."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def value_xml(ref: str, value: object) -> str:
    """One <c> element; text goes in as it is (control characters included: calamine reads them)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        text = "NaN" if isinstance(value, float) and math.isnan(value) else repr(value).replace("inf", "INF")
        return f'<c r="{ref}"><v>{text}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(str(value))}</t></is></c>'


def rows_xml(rows: Sequence[Sequence[object]], first: int = 1) -> Iterator[str]:
    for number, row in enumerate(rows, start=first):
        yield f'<row r="{number}">'
        yield "".join(value_xml(f"{column(i)}{number}", v) for i, v in enumerate(row))
        yield "</row>"


def sheet_xml(body: Chunks, *, dimension: str = "", tail: str = "") -> Iterator[str]:
    yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">'
    if dimension:
        yield f'<dimension ref="{dimension}"/>'
    yield "<sheetData>"
    yield from body
    yield "</sheetData>"
    yield tail
    yield "</worksheet>"


def package(path: Path, sheets: Sequence[tuple[str, str, Chunks]], *, shared: Chunks | None = None,
            extra: Sequence[tuple[str, Chunks]] = (), level: int = 9, zip64: bool = False) -> Path:
    """A workbook of these sheets, each (name, part path under xl/, XML chunks), with an optional
    sharedStrings part and extra parts, deflated at `level`. Chunks are streamed: a part may unpack to
    gigabytes without the test holding it."""
    book = "".join(f'<sheet name="{escape(name)}" sheetId="{i}" r:id="rId{i}"/>'
                   for i, (name, _, _) in enumerate(sheets, start=1))
    rels = "".join(f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="{target}"/>'
                   for i, (_, target, _) in enumerate(sheets, start=1))
    parts: list[tuple[str, Chunks]] = [
        ("[Content_Types].xml", [_CONTENT_TYPES]), ("_rels/.rels", [_PACKAGE_RELS]),
        ("xl/workbook.xml", [f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" '
                             f'xmlns:r="{_REL}"><sheets>{book}</sheets></workbook>']),
        ("xl/_rels/workbook.xml.rels", ['<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://'
                                        f'schemas.openxmlformats.org/package/2006/relationships">{rels}'
                                        "</Relationships>"]),
    ]
    parts += [(f"xl/{target}", chunks) for _, target, chunks in sheets]
    if shared is not None:
        parts.append(("xl/sharedStrings.xml", shared))
    parts += list(extra)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, chunks in parts:
            with archive.open(name, "w", force_zip64=zip64) as out:
                buffered: list[str] = []
                size = 0
                for chunk in chunks:
                    buffered.append(chunk)
                    size += len(chunk)
                    if size > 1 << 20:
                        out.write("".join(buffered).encode("utf-8"))
                        buffered, size = [], 0
                out.write("".join(buffered).encode("utf-8"))
    return path


def roster(path: Path, rows: Sequence[Sequence[object]], header: Sequence[str] = HEADER) -> Path:
    """A plain roster: the header, then these rows, any cell values at all."""
    return package(path, [("花名册", "worksheets/sheet1.xml", sheet_xml(rows_xml([header, *rows])))])


def _with_header(body: Chunks) -> Iterator[str]:
    yield from rows_xml([HEADER])
    yield from body


# ---- the classes of bomb -------------------------------------------------------------------------

def far_cell(path: Path, ref: str = "XFD1048576") -> Path:
    """One stray cell at the sheet's far corner: a reader that fills the dense range allocates it all."""
    body = _with_header([f'<row r="{ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")}">{value_xml(ref, "x")}</row>'])
    return package(path, [("花名册", "worksheets/sheet1.xml", sheet_xml(body))])


def endless_rows(path: Path, rows: int = 1_048_576) -> Path:
    """A sheet declaring and holding a million rows, each with a name: a few MB on disk."""
    def body() -> Iterator[str]:
        for number in range(2, rows + 1):
            yield f'<row r="{number}"><c r="A{number}" t="inlineStr"><is><t>张三</t></is></c></row>'
    return package(path, [("花名册", "worksheets/sheet1.xml",
                           sheet_xml(_with_header(body()), dimension=f"A1:E{rows}"))])


def giant_string(path: Path, chars: int = 300_000_000) -> Path:
    """One shared string of `chars` characters that every cell of the roster refers to."""
    def strings() -> Iterator[str]:
        yield f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="1" uniqueCount="1"><si><t>'
        block = "a" * (1 << 20)
        for _ in range(chars // len(block)):
            yield block
        yield "a" * (chars % len(block))
        yield "</t></si></sst>"
    body = _with_header(['<row r="2"><c r="A2" t="s"><v>0</v></c></row>'])
    return package(path, [("花名册", "worksheets/sheet1.xml", sheet_xml(body))], shared=strings(),
                   zip64=chars > 500_000_000)


def repeated_string(path: Path, chars: int = 32_000, cells: int = 150_000) -> Path:
    """One long but lawful shared string, referred to by every cell: each reference is a copy."""
    strings = [f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}"><si><t>{"好" * chars}</t></si></sst>']
    def body() -> Iterator[str]:
        for first in range(0, cells, 5):
            number = first // 5 + 2
            yield f'<row r="{number}">' + "".join(
                f'<c r="{c}{number}" t="s"><v>0</v></c>' for c in "ABCDE"[:cells - first]) + "</row>"
    return package(path, [("花名册", "worksheets/sheet1.xml", sheet_xml(_with_header(body())))], shared=strings)


def countless_strings(path: Path, count: int = 3_000_000) -> Path:
    """Millions of short shared strings, each one an allocation (numbered, so they pack as text does)."""
    def strings() -> Iterator[str]:
        yield f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">'
        for start in range(0, count, 10_000):
            yield "".join(f"<si><t>{n}</t></si>" for n in range(start, start + 10_000))
        yield "</sst>"
    return package(path, [("花名册", "worksheets/sheet1.xml", sheet_xml(_with_header([])))], shared=strings())


def padding(path: Path, megabytes: int = 400) -> Path:
    """A sheet padded with whitespace between its cells: nothing to see, gigabytes to read."""
    def body() -> Iterator[str]:
        yield from _with_header([])
        block = " " * (1 << 20)
        for _ in range(megabytes):
            yield block
    return package(path, [("花名册", "worksheets/sheet1.xml", sheet_xml(body()))])


def padding_under_size(path: Path, megabytes: int = 200) -> Path:
    """Padding below the size limit, caught by its ratio (nothing real packs 1,000 to 1)."""
    return padding(path, megabytes)


def wide_row(path: Path, cells: int = 20_000) -> Path:
    """One row of cells without positions: each goes one column further right."""
    body = _with_header(["<row>" + "<c><v>1</v></c>" * cells + "</row>"])
    return package(path, [("花名册", "worksheets/sheet1.xml", sheet_xml(body))])


def countless_merges(path: Path, count: int = 300_000) -> Path:
    merges = "".join(f'<mergeCell ref="A{n}:B{n}"/>' for n in range(2, count + 2))
    tail = f'<mergeCells count="{count}">{merges}</mergeCells>'
    return package(path, [("花名册", "worksheets/sheet1.xml", sheet_xml(_with_header([]), tail=tail))])


def countless_parts(path: Path, count: int = 20_000) -> Path:
    extra = [(f"xl/media/blank{n}.xml", ["<a/>"]) for n in range(count)]
    return package(path, [("花名册", "worksheets/sheet1.xml", sheet_xml(_with_header([])))], extra=extra)


def entities(path: Path) -> Path:
    """The 'billion laughs': a DTD whose entities expand to gigabytes."""
    dtd = '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)) + "]>"
    text = "&j;"
    chunks = [f'<?xml version="1.0" encoding="UTF-8"?>{dtd}<worksheet xmlns="{MAIN}"><sheetData>',
              *rows_xml([HEADER]), f'<row r="2"><c r="A2" t="inlineStr"><is><t>{text}</t></is></c></row>',
              "</sheetData></worksheet>"]
    return package(path, [("花名册", "worksheets/sheet1.xml", chunks)])


def hidden_part(path: Path) -> Path:
    """The sheet kept where no sheet is looked for (a .bin name), with the far-corner cell."""
    body = _with_header([f'<row r="1048576">{value_xml("XFD1048576", "x")}</row>'])
    return package(path, [("花名册", "media/image1.bin", sheet_xml(body))])


def twin_parts(path: Path) -> Path:
    """Two parts of the same name: a harmless sheet, and the far-corner cell under the same name."""
    package(path, [("花名册", "worksheets/sheet1.xml", sheet_xml(_with_header([])))])
    body = _with_header([f'<row r="1048576">{value_xml("XFD1048576", "x")}</row>'])
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate name: that is the point
        archive.writestr("xl/worksheets/sheet1.xml", "".join(sheet_xml(body)))
    return path


def lying_sizes(path: Path) -> Path:
    """A sheet whose directory entry claims 1 kB while it unpacks to 100 MB of rows."""
    def body() -> Iterator[str]:
        for number in range(2, 1_000_000):
            yield f'<row r="{number}"><c r="A{number}"><v>1</v></c></row>'
    package(path, [("花名册", "worksheets/sheet1.xml", sheet_xml(_with_header(body())))])
    data = bytearray(path.read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    for signature, size_at in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            name_length = struct.unpack_from("<H", data, start + size_at + 4)[0]
            offset = start + (46 if signature == b"PK\x01\x02" else 30)
            if bytes(data[offset:offset + name_length]) == name:
                struct.pack_into("<I", data, start + size_at, 1024)
            start += 4
    path.write_bytes(bytes(data))
    return path


BOMBS = {
    "far_cell": far_cell, "endless_rows": endless_rows, "giant_string": giant_string,
    "repeated_string": repeated_string, "countless_strings": countless_strings, "padding": padding,
    "padding_under_size": padding_under_size, "wide_row": wide_row, "countless_merges": countless_merges,
    "countless_parts": countless_parts, "entities": entities, "hidden_part": hidden_part,
    "twin_parts": twin_parts, "lying_sizes": lying_sizes,
}

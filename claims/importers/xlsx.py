"""A fast, streaming reader of an XLSX file's first worksheet (values only).

Why not openpyxl's read-only mode for the rows: with defusedxml installed openpyxl parses
through a pure-Python XML parser, and for files without a <dimension> element (common from
streaming writers) it parses the whole sheet once more just to size it. 100,000 claim rows
took about 33 s to iterate; this reader takes a few seconds with the C parser.

Safety: an XLSX is untrusted. Every XML part read here is refused if it declares a DTD
(<!DOCTYPE / <!ENTITY), which is what entity-expansion and external-entity attacks need;
a DTD can only appear before the root element, so the check reads the part's head.
Values follow openpyxl's data_only rules: cached formula results, shared strings,
inline strings, booleans, and numbers shown with a date format become datetimes.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from typing import IO
from xml.etree.ElementTree import ParseError, iterparse

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
BUILTIN_DATE_FORMATS = {14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 30, 36, 45, 46, 47, 50, 57}
_CELL_COLUMN = re.compile(r"[A-Z]+")
_DATE_CODE = re.compile(r"[dmyhs]", re.IGNORECASE)
_NOT_DATE = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')


class XlsxError(ValueError):
    """The workbook cannot be read; the message is for the user."""


def _column_index(ref: str) -> int:
    letters = _CELL_COLUMN.match(ref)
    index = 0
    for ch in letters.group(0) if letters else "":
        index = index * 26 + (ord(ch) - 64)
    return index - 1


PROLOG_LIMIT = 1 << 20


def _check_prolog(data: bytes) -> None:
    """Refuse a part whose prolog (before the root element) declares a DTD, or is not UTF-8.

    The prolog may hold only whitespace, processing instructions, comments and a DOCTYPE;
    the first start tag ends it. Entity attacks need a DOCTYPE, so none is accepted.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or data[:4] in (b"<\x00?\x00", b"\x00<\x00?"):
        raise XlsxError(
            "The XLSX file is not encoded as Excel writes it; save it again from Excel."
        )
    pos = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    while True:
        while pos < len(data) and data[pos : pos + 1] in b" \t\r\n":
            pos += 1
        if data.startswith(b"<?", pos):
            end = data.find(b"?>", pos)
            pos = end + 2 if end >= 0 else len(data) + 1
        elif data.startswith(b"<!--", pos):
            end = data.find(b"-->", pos)
            pos = end + 3 if end >= 0 else len(data) + 1
        elif data.startswith(b"<", pos) and re.match(rb"<[A-Za-z_]", data[pos : pos + 2]):
            return
        else:
            raise XlsxError("The XLSX file declares a DTD or is damaged; save it again from Excel.")
        if pos > len(data):
            raise XlsxError("The XLSX file is damaged; save it again from Excel.")


def _is_date_code(code: str) -> bool:
    cleaned = _NOT_DATE.sub("", code)
    return cleaned.lower() != "general" and bool(_DATE_CODE.search(cleaned))


class XlsxRows:
    """Iterate (row number, values) of the first worksheet without loading it."""

    def __init__(self, fileobj: IO[bytes]):
        try:
            self.archive = zipfile.ZipFile(fileobj)
            self.sheet_path = self._first_sheet_path()
            self.date1904 = False
            self.shared = self._shared_strings()
            self.date_styles = self._date_styles()
        except (zipfile.BadZipFile, KeyError, ParseError) as exc:
            raise XlsxError("The XLSX file cannot be opened; save it again from Excel.") from exc

    def _open(self, name: str):
        """A part of the archive, after checking its prolog declares no DTD."""
        with self.archive.open(name) as handle:
            _check_prolog(handle.read(PROLOG_LIMIT))
        return self.archive.open(name)

    def _iterparse(self, src, events=("end",)):
        # The C parser, on a part whose prolog was checked by _open: no DTD, so no entities.
        return iterparse(src, events=events)  # noqa: S314

    def _first_sheet_path(self) -> str:
        names = set(self.archive.namelist())
        if "xl/workbook.xml" not in names:
            raise KeyError("xl/workbook.xml")
        rid = None
        with self._open("xl/workbook.xml") as src:
            for _, element in self._iterparse(src):
                if element.tag == f"{MAIN}workbookPr":
                    self.date1904 = element.get("date1904") in ("1", "true")
                if element.tag == f"{MAIN}sheet" and rid is None:
                    rid = element.get(f"{REL}id")
        if rid and "xl/_rels/workbook.xml.rels" in names:
            with self._open("xl/_rels/workbook.xml.rels") as src:
                for _, element in self._iterparse(src):
                    if element.tag == f"{PKG_REL}Relationship" and element.get("Id") == rid:
                        target = element.get("Target", "").lstrip("/")
                        path = target if target.startswith("xl/") else f"xl/{target}"
                        if path in names:
                            return path
        fallback = sorted(n for n in names if n.startswith("xl/worksheets/sheet"))
        if not fallback:
            raise KeyError("worksheet")
        return fallback[0]

    def _shared_strings(self) -> list[str]:
        if "xl/sharedStrings.xml" not in self.archive.namelist():
            return []
        strings: list[str] = []
        with self._open("xl/sharedStrings.xml") as src:
            for _, element in self._iterparse(src):
                if element.tag == f"{MAIN}si":
                    strings.append("".join(t.text or "" for t in element.iter(f"{MAIN}t")))
                    element.clear()
        return strings

    def _date_styles(self) -> set[int]:
        """Indexes of cell styles whose number format shows a date."""
        if "xl/styles.xml" not in self.archive.namelist():
            return set()
        custom: dict[int, str] = {}
        formats: list[int] = []
        with self._open("xl/styles.xml") as src:
            in_xfs = False
            for event, element in self._iterparse(src, events=("start", "end")):
                if element.tag == f"{MAIN}cellXfs":
                    in_xfs = event == "start"
                elif event == "end" and element.tag == f"{MAIN}numFmt":
                    custom[int(element.get("numFmtId", "0"))] = element.get("formatCode", "")
                elif event == "end" and in_xfs and element.tag == f"{MAIN}xf":
                    formats.append(int(element.get("numFmtId", "0")))
        return {
            index
            for index, fmt in enumerate(formats)
            if fmt in BUILTIN_DATE_FORMATS or (fmt in custom and _is_date_code(custom[fmt]))
        }

    def _number(self, text: str, style: str | None):
        """A cell's number: int or Decimal straight from the XML text (money never via float)."""
        if style is not None and int(style) in self.date_styles:
            epoch = dt.datetime(1904, 1, 1) if self.date1904 else dt.datetime(1899, 12, 30)  # noqa: DTZ001
            return epoch + dt.timedelta(days=float(text))
        if "." in text or "E" in text or "e" in text:
            return Decimal(text)
        return int(text)

    def rows(self) -> Iterator[tuple[int, list]]:
        expected = 1
        c_tag, v_tag, row_tag, is_tag, t_tag = (
            f"{MAIN}c",
            f"{MAIN}v",
            f"{MAIN}row",
            f"{MAIN}is",
            f"{MAIN}t",
        )
        shared = self.shared
        try:
            with self._open(self.sheet_path) as src:
                for _, element in self._iterparse(src):
                    if element.tag != row_tag:
                        continue
                    number = int(element.get("r") or expected)
                    while expected < number:  # rows the file leaves out are empty
                        yield expected, []
                        expected += 1
                    values: list = []
                    for cell in element.iter(c_tag):
                        ref = cell.get("r")
                        index = _column_index(ref) if ref else len(values)
                        kind = cell.get("t", "n")
                        value = None
                        if kind == "inlineStr":
                            box = cell.find(is_tag)
                            value = (
                                "".join(t.text or "" for t in box.iter(t_tag))
                                if box is not None
                                else ""
                            )
                        else:
                            raw = cell.find(v_tag)
                            text = raw.text if raw is not None else None
                            if text is not None:
                                if kind == "s":
                                    value = shared[int(text)]
                                elif kind == "n":
                                    value = self._number(text, cell.get("s"))
                                elif kind == "b":
                                    value = text == "1"
                                elif kind == "e":
                                    value = text  # '#N/A' and the like, shown as written
                                else:  # "str" (formula result), "d" (ISO date text)
                                    value = text
                        if index >= len(values):
                            values.extend([None] * (index - len(values) + 1))
                        values[index] = value
                    element.clear()
                    yield number, values
                    expected = number + 1
        except (ParseError, ValueError, IndexError, KeyError) as exc:
            if isinstance(exc, XlsxError):
                raise
            raise XlsxError("The XLSX worksheet cannot be read; save it again from Excel.") from exc

    def close(self) -> None:
        self.archive.close()

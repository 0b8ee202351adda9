"""Opening an XLSX for reading its rows, without the work openpyxl's read-only mode wastes.

- Sizing: opening a read-only worksheet looks for its stored dimension, but it stops at the
  *end* of the sheet data, so a workbook that stores none (openpyxl's write-only mode, many
  exports) has its whole sheet parsed once for nothing before any row is read: a third of the
  time of reading it. `_Reader` sizes sheets stopping at the *start* of the sheet data, which
  finds the same dimension (it precedes the data) or none.
- Shared strings (the header read): openpyxl parses the whole table on opening; the top
  rows' strings come first in it as Excel and openpyxl write it (in the order of first use),
  so `open_workbook(top_only=True)` parses it only as far as the rows read need, with
  openpyxl's own parsing (its iterparse, through defusedxml when installed; its Text reading,
  as `read_string_table` does), into the compact table below: top rows that name the
  table's last string (a hostile file) cost what the import's whole table costs.
- Shared strings (the import): openpyxl keeps the table as a list of str, and the parsed
  elements stay attached to the document's root (cleared, not removed): 184 MB of memory for
  50 MB of XML (a million strings). `CompactStrings` parses it the same way, detaches the
  elements read, and keeps the texts as UTF-8 in one buffer with their end offsets
  (about the XML's text size plus 8 bytes a string); a cell's text is decoded when read.
- Rows (the import): openpyxl's sheet parser clears each row's element once read but leaves
  it attached to the sheet's tree, and keeps the attributes of every row that has any besides
  its number (Excel's heights and styles): about 80 bytes a row that stay to the end of the
  file (measured, 100,000 rows as Excel saves them: 81 of the import's 264 bytes a row).
  `_RowParser` reads the rows with openpyxl's own row parsing and detaches the rows read.
  The rest of the sheet (merged cells, formatting, print setup) is not parsed: a read-only
  sheet never uses it. The start events this needs cost about 5% of the reading time.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from typing import IO

from openpyxl.cell.read_only import EMPTY_CELL
from openpyxl.cell.text import Text
from openpyxl.reader.excel import ExcelReader
from openpyxl.workbook import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.worksheet.dimensions import SheetDimension
from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

_STRING_TAG = f"{{{SHEET_MAIN_NS}}}si"
_DIMENSION_TAG = f"{{{SHEET_MAIN_NS}}}dimension"
_DATA_TAG = f"{{{SHEET_MAIN_NS}}}sheetData"
_ROW_TAG = f"{{{SHEET_MAIN_NS}}}row"
_DETACH_EVERY = 1024


class _RowParser(WorkSheetParser):
    def parse(self) -> Iterator[tuple[int, list[dict]]]:
        """WorkSheetParser.parse's rows, each detached from the sheet's tree once read (see
        above); the sheet's other parts are left unparsed."""
        data = None
        for event, element in iterparse(self.source, events=("start", "end")):
            if event == "start":
                if data is None and element.tag == _DATA_TAG:
                    data = element
                continue
            if element.tag == _ROW_TAG:
                row = self.parse_row(element)
                element.clear()
                if self.row_dimensions:
                    self.row_dimensions.clear()
                if data is not None and len(data) >= _DETACH_EVERY:
                    del data[:]
                yield row


class _Sheet(ReadOnlyWorksheet):
    def _get_size(self) -> None:
        """The stored dimension, read up to the start of the sheet data (see above)."""
        src = self._get_source()
        try:
            for _event, element in iterparse(src, events=("start",)):
                if element.tag == _DIMENSION_TAG:
                    bounds = SheetDimension.from_tree(element).boundaries
                    self._min_column, self._min_row, self._max_column, self._max_row = bounds
                    return
                if element.tag == _DATA_TAG:
                    return
        finally:
            src.close()

    def _cells_by_row(
        self,
        min_col: int,
        min_row: int,
        max_col: int | None,
        max_row: int | None,
        values_only: bool = False,
    ) -> Iterator[tuple | list]:
        """ReadOnlyWorksheet._cells_by_row (openpyxl 3.1) with `_RowParser`."""
        filler = None if values_only else EMPTY_CELL
        max_col = max_col or self.max_column
        max_row = max_row or self.max_row
        empty_row: list | tuple = []
        if max_col is not None:
            empty_row = (filler,) * (max_col + 1 - min_col)
        counter = min_row
        idx = 1
        with self._get_source() as src:
            parser = _RowParser(
                src,
                self._shared_strings,
                data_only=self.parent.data_only,
                epoch=self.parent.epoch,
                date_formats=self.parent._date_formats,
                timedelta_formats=self.parent._timedelta_formats,
            )
            for idx, row in parser.parse():
                if max_row is not None and idx > max_row:
                    break
                for _ in range(counter, idx):  # rows the file leaves out
                    counter += 1
                    yield empty_row
                if counter <= idx:
                    counter += 1
                    yield self._get_row(row, min_col, max_col, values_only)
        if max_row is not None and max_row < idx:
            for _ in range(counter, max_row + 1):
                yield empty_row


class _Reader(ExcelReader):
    def read_worksheets(self) -> None:
        """ExcelReader's read-only branch with `_Sheet` (chart sheets are not worksheets)."""
        for sheet, rel in self.parser.find_sheets():
            if rel.target not in self.valid_files or "chartsheet" in rel.Type:
                continue
            ws = _Sheet(self.wb, sheet.name, rel.target, self.shared_strings)
            ws.sheet_state = sheet.state
            self.wb._sheets.append(ws)


class CompactStrings:
    """The shared-string table, compact (see above); indexed as openpyxl's list. Lazy: parsed
    only as far as the strings asked for (close it then)."""

    def __init__(self, source: IO[bytes], *, lazy: bool = False):
        self._source = source
        self._events = iter(iterparse(source, events=("start", "end")))
        self._root = None
        self._data = bytearray()  # not bytes: a copy would double the peak
        self._ends = array("Q")
        self._done = False
        if not lazy:
            try:
                self._parse(None)
            finally:
                self.close()

    def __len__(self) -> int:
        """The strings parsed (all of them unless lazy)."""
        return len(self._ends)

    def __getitem__(self, index: int) -> str:
        ends = self._ends
        if index < 0:  # as a list reads it
            if not self._done:
                self._parse(None)
            index += len(ends)
            if index < 0:
                raise IndexError("shared string index out of range")
        elif index >= len(ends):
            if not self._done:
                self._parse(index)
            if index >= len(ends):
                raise IndexError("shared string index out of range")
        end = ends[index]
        start = ends[index - 1] if index else 0
        return self._data[start:end].decode("utf-8", "surrogatepass")

    def _parse(self, index: int | None) -> None:
        """Parse strings until string `index` is read (None: all of them)."""
        data, ends, root = self._data, self._ends, self._root
        for event, node in self._events:
            if root is None:
                root = self._root = node
            elif event == "end" and node.tag == _STRING_TAG:
                text = Text.from_tree(node).content.replace("x005F_", "")
                data += text.encode("utf-8", "surrogatepass")
                ends.append(len(data))
                node.clear()
                if len(root) >= 1024:
                    del root[:]  # the strings read (openpyxl keeps them all attached)
                if index is not None and len(ends) > index:
                    return
        self.close()

    def close(self) -> None:
        self._done = True
        self._source.close()


class LazyStrings(CompactStrings):
    """The table for the header read: only the top rows' strings are parsed."""

    def __init__(self, source: IO[bytes]):
        super().__init__(source, lazy=True)

    @property
    def parsed(self) -> int:
        """How many strings have been parsed so far."""
        return len(self._ends)


def open_workbook(
    fileobj: IO[bytes], *, top_only: bool = False
) -> tuple[Workbook, LazyStrings | None]:
    """load_workbook(fileobj, read_only=True, data_only=True), sheets sized without a
    wasted parse; with `top_only`, lazy shared strings (returned: close them with the
    workbook; None otherwise or when the workbook has none)."""
    reader = _Reader(fileobj, read_only=True, data_only=True)
    table: list[LazyStrings] = []

    def read_strings() -> None:
        part = reader.package.find(SHARED_STRINGS)
        if part is None:
            return
        source = reader.archive.open(part.PartName[1:])
        if top_only:
            table.append(LazyStrings(source))
            reader.shared_strings = table[0]
        else:
            reader.shared_strings = CompactStrings(source)

    reader.read_strings = read_strings  # type: ignore[method-assign]
    reader.read()
    return reader.wb, (table[0] if table else None)

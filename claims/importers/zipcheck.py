"""An XLSX is a zip: its members' sizes are checked before openpyxl unpacks any of them.

openpyxl's read-only mode streams the worksheets row by row, but parses every other part it
reads whole and keeps it: the shared strings above all (a list of every text in the
workbook), the styles, the theme. So the limits are on what is held, not on what streams:
- the shared-string table at most MAX_STRINGS unpacked: the import holds it compactly
  (claims.importers.workbooks.CompactStrings, measured: 64 MB of XML held in 60 MB of
  memory for long texts, 71 MB for short ones), and a 50 MB workbook as Excel saves it,
  every text in the table and each claim's own, has about 34 MB of it; a 1 MB workbook
  whose shared strings unpack to 1 GB would otherwise take the process to gigabytes;
- the other parts held (every member but the worksheets and the shared strings, counted
  whether openpyxl reads them or not) together at most MAX_HELD: openpyxl keeps the styles
  as objects several times the size of their XML, and a loss run's are a few kilobytes;
- the worksheets together at most MAX_STREAMED unpacked: a real workbook's sheets unpack to
  about 10 times their packed size (9.2 for a 48.8 MB loss run), so a 50 MB upload's sheets
  stay well under 1 GB; the cap keeps the import's time bounded;
- every member over RATIO_FLOOR packed at most MAX_RATIO times.

Which members are worksheets and which the shared strings is read from the workbook's own
manifest ([Content_Types].xml, through openpyxl's parser, as openpyxl reads it): a part
marked as one of them that is also marked, or placed, as anything openpyxl parses whole
counts with the other held parts. The central directory states every member's sizes; a
lying directory is caught by zipfile itself, which stops reading a member at its stated size.
"""

from __future__ import annotations

import zipfile
import zlib
from typing import IO
from xml.etree.ElementTree import ParseError

from openpyxl.packaging.manifest import Manifest
from openpyxl.xml.constants import (
    ARC_APP,
    ARC_CONTENT_TYPES,
    ARC_CORE,
    ARC_CUSTOM,
    ARC_ROOT_RELS,
    ARC_STYLE,
    ARC_THEME,
    SHARED_STRINGS,
    WORKSHEET_TYPE,
)
from openpyxl.xml.functions import fromstring

MB = 1024 * 1024
MAX_STRINGS = 64 * MB  # the shared-string table, held compactly
MAX_HELD = 32 * MB  # styles and every other part but the worksheets and the shared strings
MAX_STREAMED = 1024 * MB  # the worksheets, read row by row
MAX_RATIO = 150  # unpacked / packed, for members over RATIO_FLOOR
RATIO_FLOOR = MB
# Parts openpyxl reads whole by their fixed name, whatever the manifest says they are.
_READ_WHOLE = frozenset({ARC_CONTENT_TYPES, ARC_ROOT_RELS, ARC_CORE, ARC_APP, ARC_CUSTOM,
                         ARC_STYLE, ARC_THEME})  # fmt: skip
# What a damaged manifest raises (defusedxml's refusals are ValueErrors).
_UNREADABLE = (ValueError, TypeError, KeyError, ParseError, OSError, RuntimeError,
               NotImplementedError, zlib.error, zipfile.BadZipFile)  # fmt: skip
_AGAIN = "Save it again from Excel or export it as CSV."


class ZipBomb(ValueError):
    """The workbook unpacks to far more than a real loss run does."""


def check_workbook_zip(fileobj: IO[bytes]) -> None:
    """Raise ZipBomb with a plain sentence when the zip's members are too large or too packed."""
    fileobj.seek(0)
    try:
        with zipfile.ZipFile(fileobj) as archive:
            members = archive.infolist()
            _check_ratios(members)
            streamed, strings = _parts(archive, members)
    except zipfile.BadZipFile:
        return  # not a readable zip: openpyxl's own error message follows
    finally:
        fileobj.seek(0)
    table = sum(m.file_size for m in members if m.filename in strings)
    if table > MAX_STRINGS:
        raise ZipBomb(
            f"This workbook's shared strings unpack to {_mb(table)} MB (the limit is"
            f" {MAX_STRINGS // MB} MB), far more than a loss run; they would all be held in"
            f" memory. {_AGAIN}"
        )
    held = sum(m.file_size for m in members if m.filename not in streamed | strings)
    if held > MAX_HELD:
        raise ZipBomb(
            f"This workbook's styles and other parts unpack to {_mb(held)} MB (the limit is"
            f" {MAX_HELD // MB} MB), far more than a loss run; they would all be held in"
            f" memory. {_AGAIN}"
        )
    sheets = sum(m.file_size for m in members if m.filename in streamed)
    if sheets > MAX_STREAMED:
        raise ZipBomb(
            f"This workbook's sheets unpack to {_mb(sheets)} MB (the limit is"
            f" {MAX_STREAMED // MB} MB), far more than a loss run. {_AGAIN}"
        )


def _mb(size: int) -> int:
    """Whole megabytes, rounded up: a size over a whole-megabyte limit reads as more than it."""
    return -(-size // MB)


def _check_ratios(members: list[zipfile.ZipInfo]) -> None:
    for member in members:
        ratio = member.file_size // max(member.compress_size, 1)
        if member.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            raise ZipBomb(
                f"Part {member.filename} of this workbook is packed {ratio} times (a real"
                f" workbook: under {MAX_RATIO}); it is refused as a possible zip bomb. {_AGAIN}"
            )


def _parts(
    archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]
) -> tuple[frozenset[str], frozenset[str]]:
    """(the members openpyxl streams, the shared-string tables): the manifest's worksheets
    and shared strings, less any part also marked as something else or read whole by its
    name. None at all when the manifest is missing, doubled, too large to read safely or
    unreadable: every member then counts as held, and openpyxl reports the damage when it
    opens the file."""
    manifest = [m for m in members if m.filename == ARC_CONTENT_TYPES]
    if len(manifest) != 1 or manifest[0].file_size > MAX_HELD:
        return frozenset(), frozenset()
    try:
        overrides = Manifest.from_tree(fromstring(archive.read(manifest[0]))).Override
    except _UNREADABLE:
        return frozenset(), frozenset()
    marks: dict[str, set[str]] = {}
    for override in overrides:
        marks.setdefault(override.PartName.lstrip("/"), set()).add(override.ContentType)
    only = {part: types.pop() for part, types in marks.items() if len(types) == 1}
    sheets = {part for part, kind in only.items() if kind == WORKSHEET_TYPE}
    strings = {part for part, kind in only.items() if kind == SHARED_STRINGS}
    return frozenset(sheets - _READ_WHOLE), frozenset(strings - _READ_WHOLE)

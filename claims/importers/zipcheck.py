"""An XLSX is a zip: its members' sizes are checked before openpyxl unpacks any of them.

openpyxl's read-only mode streams the worksheets row by row, but parses every other part it
reads whole and keeps it: the shared strings above all (a list of every text in the
workbook), the styles, the theme. So the limits are on what is held, not on what streams:
- the parts held (every member but the worksheets, counted whether openpyxl reads them or
  not) together at most MAX_HELD unpacked: a 1 MB workbook whose shared strings unpack to
  1 GB would otherwise take the process to gigabytes; 32 MB of shared-string XML costs
  about 120 MB of memory in openpyxl's table (measured: 50 MB of XML, 1M strings, 184 MB);
- the worksheets together at most MAX_STREAMED unpacked: a real workbook's sheets unpack to
  about 10 times their packed size (9.2 for a 48.8 MB loss run), so a 50 MB upload's sheets
  stay well under 1 GB; the cap keeps the import's time bounded;
- every member over RATIO_FLOOR packed at most MAX_RATIO times.

Which members are worksheets is read from the workbook's own manifest ([Content_Types].xml,
through openpyxl's parser, as openpyxl reads it): a part marked as a worksheet that is also
marked, or placed, as anything openpyxl parses whole counts as held. The central directory
states every member's sizes; a lying directory is caught by zipfile itself, which stops
reading a member at its stated size.
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
    WORKSHEET_TYPE,
)
from openpyxl.xml.functions import fromstring

MB = 1024 * 1024
MAX_HELD = 32 * MB  # shared strings, styles and every other part but the worksheets
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
            streamed = _worksheets(archive, members)
    except zipfile.BadZipFile:
        return  # not a readable zip: openpyxl's own error message follows
    finally:
        fileobj.seek(0)
    held = sum(m.file_size for m in members if m.filename not in streamed)
    if held > MAX_HELD:
        raise ZipBomb(
            f"This workbook's shared strings, styles and other parts unpack to {held // MB} MB"
            f" (the limit is {MAX_HELD // MB} MB), far more than a loss run; they would all be"
            f" held in memory. {_AGAIN}"
        )
    sheets = sum(m.file_size for m in members if m.filename in streamed)
    if sheets > MAX_STREAMED:
        raise ZipBomb(
            f"This workbook's sheets unpack to {sheets // MB} MB (the limit is"
            f" {MAX_STREAMED // MB} MB), far more than a loss run. {_AGAIN}"
        )


def _check_ratios(members: list[zipfile.ZipInfo]) -> None:
    for member in members:
        ratio = member.file_size // max(member.compress_size, 1)
        if member.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            raise ZipBomb(
                f"Part {member.filename} of this workbook is packed {ratio} times (a real"
                f" workbook: under {MAX_RATIO}); it is refused as a possible zip bomb. {_AGAIN}"
            )


def _worksheets(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> frozenset[str]:
    """The members openpyxl streams: the manifest's worksheets, less any part also marked as
    something else or read whole by its name. None at all when the manifest is missing,
    doubled, too large to read safely or unreadable: every member then counts as held, and
    openpyxl reports the damage when it opens the file."""
    manifest = [m for m in members if m.filename == ARC_CONTENT_TYPES]
    if len(manifest) != 1 or manifest[0].file_size > MAX_HELD:
        return frozenset()
    try:
        overrides = Manifest.from_tree(fromstring(archive.read(manifest[0]))).Override
    except _UNREADABLE:
        return frozenset()
    sheets = {o.PartName.lstrip("/") for o in overrides if o.ContentType == WORKSHEET_TYPE}
    other = {o.PartName.lstrip("/") for o in overrides if o.ContentType != WORKSHEET_TYPE}
    return frozenset(sheets - other - _READ_WHOLE)

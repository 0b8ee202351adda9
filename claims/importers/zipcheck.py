"""An XLSX is a zip: its members' sizes are checked before openpyxl unpacks any of them.

A 1 MB workbook whose shared strings unpack to 1 GB would otherwise take the process to
gigabytes (openpyxl holds the shared strings in memory). The central directory states
every member's sizes; a lying directory is caught by zipfile itself, which stops reading
a member at its stated size.
"""

from __future__ import annotations

import zipfile
from typing import IO

MAX_UNPACKED = 300 * 1024 * 1024  # all members together
MAX_RATIO = 150  # unpacked / packed, for members over RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024


class ZipBomb(ValueError):
    """The workbook unpacks to far more than a real loss run does."""


def check_workbook_zip(fileobj: IO[bytes]) -> None:
    """Raise ZipBomb with a plain sentence when the zip's members are too large or too packed."""
    fileobj.seek(0)
    try:
        with zipfile.ZipFile(fileobj) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile:
        return  # not a readable zip: openpyxl's own error message follows
    finally:
        fileobj.seek(0)
    total = sum(m.file_size for m in members)
    if total > MAX_UNPACKED:
        raise ZipBomb(
            f"This workbook unpacks to {total // (1024 * 1024)} MB (the limit is "
            f"{MAX_UNPACKED // (1024 * 1024)} MB), far more than a loss run. Save it again "
            "from Excel or export it as CSV."
        )
    for member in members:
        if member.file_size > RATIO_FLOOR and member.file_size > MAX_RATIO * max(
            member.compress_size, 1
        ):
            raise ZipBomb(
                f"Part {member.filename} of this workbook is packed {member.file_size // max(member.compress_size, 1)} "
                f"times (a real workbook: under {MAX_RATIO}); it is refused as a possible zip bomb. "
                "Save it again from Excel or export it as CSV."
            )

"""Loss-run files built in the test: CSV text and XLSX workbooks (openpyxl)."""

import csv
import io

from openpyxl import Workbook


def csv_bytes(rows, *, delimiter=",", encoding="utf-8-sig") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(row)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Loss Run")
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

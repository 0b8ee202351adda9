"""Bulk create: many loss-run requests from one CSV, for renewal season.

The uploaded CSV is kept as one of the agency's documents (kind "other", no request)
between the preview and the commit, so nothing the user uploaded is lost and the commit
reads exactly the file the preview showed. The commit re-validates every row and is
all-or-nothing; the CSV document is removed in the same transaction, so a second commit
finds it gone (BulkAlreadyImported) and cannot import the file twice.

- `plan`: rows, groups and errors of a file
- `reading`: the CSV's columns and values, read as a stream
- `checks`: row checks and grouping into requests
- `files`: the kept upload
- `commit`: the all-or-nothing creation
"""

from vault.bulk.checks import bulk_parse
from vault.bulk.commit import BulkAlreadyImported, bulk_commit
from vault.bulk.files import bulk_file_get, bulk_file_store, bulk_plan
from vault.bulk.plan import MAX_ROWS, BulkGroup, BulkInvalid, BulkPlan, BulkRow
from vault.bulk.reading import TEMPLATE_HEADER, template_csv

__all__ = [
    "MAX_ROWS",
    "TEMPLATE_HEADER",
    "BulkAlreadyImported",
    "BulkGroup",
    "BulkInvalid",
    "BulkPlan",
    "BulkRow",
    "bulk_commit",
    "bulk_file_get",
    "bulk_file_store",
    "bulk_parse",
    "bulk_plan",
    "template_csv",
]

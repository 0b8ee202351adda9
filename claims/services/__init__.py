"""Writes of the claims app, one module per concern; the public functions are re-exported here.

- `imports`: read, validate and store a loss-run file (report, terms, claims)
- `import_jobs`: the upload page's job (upload -> mapping -> preview -> commit) and its state
- `claim_insert`: the raw-SQL bulk insert of claim rows
- `mappings`: carriers' remembered column mappings
- `movement`: reserve movement between a carrier's two newest reports
- `manual_entry`: reports, terms and claims typed by hand
- `attestations`: no-prior-coverage attestations
- `pdf_imports`: a loss-run PDF's extraction, review corrections and commit
"""

from claims.services.attestations import attestation_create, attestation_delete
from claims.services.claim_insert import CLAIM_FIELDS, claims_insert
from claims.services.import_jobs import (
    import_job_commit,
    import_job_drop_bad_rows,
    import_job_is_small,
    import_job_read,
    import_job_set_mapping,
    import_job_start,
)
from claims.services.imports import ImportOutcome, ImportRejected, loss_run_import, report_store
from claims.services.manual_entry import (
    claim_delete,
    claim_problems,
    claim_save,
    report_create,
    report_delete,
    term_save,
)
from claims.services.mappings import header_mapping_for, header_mapping_remember
from claims.services.movement import movement_refresh
from claims.services.pdf_imports import (
    pdf_import_commit,
    pdf_import_correct,
    pdf_import_problems,
    pdf_import_run,
    pdf_import_start,
)

__all__ = [
    "CLAIM_FIELDS",
    "ImportOutcome",
    "ImportRejected",
    "attestation_create",
    "attestation_delete",
    "claim_delete",
    "claim_problems",
    "claim_save",
    "claims_insert",
    "header_mapping_for",
    "header_mapping_remember",
    "import_job_commit",
    "import_job_is_small",
    "import_job_drop_bad_rows",
    "import_job_set_mapping",
    "import_job_start",
    "import_job_read",
    "loss_run_import",
    "movement_refresh",
    "pdf_import_commit",
    "pdf_import_correct",
    "pdf_import_problems",
    "pdf_import_run",
    "pdf_import_start",
    "report_create",
    "report_delete",
    "report_store",
    "term_save",
]

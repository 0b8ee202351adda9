"""Five carrier-like loss-run layouts, each with the mapping it must be recognised as."""

import datetime as dt

from tests.claims.files import csv_bytes, xlsx_bytes

HARTWELL_HEADERS = [
    "Claim Number", "Policy #", "Policy Period", "DOL", "Date Reported", "Status", "Cause",
    "Claimant", "Description", "Indemnity Paid", "Medical Paid", "Expense Paid", "Recoveries",
    "Outstanding", "Total Incurred", "Premium",
]  # fmt: skip
HARTWELL_FIELDS = [
    "claim_number", "policy_number", "policy_period", "date_of_loss", "date_reported", "status",
    "cause_of_loss", "claimant", "description", "paid_indemnity", "paid_medical", "paid_expense",
    "recoveries", "reserves", "total_incurred", "premium",
]  # fmt: skip


def hartwell_csv() -> bytes:
    """Plain CSV, text money with $ and commas, US dates, one row per claim, two terms."""
    return csv_bytes(
        [
            HARTWELL_HEADERS,
            ["HM-1001", "GL-77", "01/01/2024 - 01/01/2025", "03/15/2024", "03/18/2024", "Closed",
             "Slip and fall", "J. Doe", "Customer slipped", "$1,200.50", "$0.00", "$300.00", "$0.00",
             "$0.00", "$1,500.50", "$100,000.00"],
            ["HM-1002", "GL-77", "01/01/2024 - 01/01/2025", "06/01/2024", "08/20/2024", "Open",
             "Water", "", "Pipe burst", "$0.00", "$0.00", "$250.00", "$0.00", "$9,750.00",
             "$10,000.00", "$100,000.00"],
            ["HM-1003", "GL-78", "01/01/2025 - 01/01/2026", "02/02/2025", "02/03/2025", "Subrogated",
             "Auto", "R. Roe", "Rear-ended", "$5,000.00", "$0.00", "$0.00", "(1,000.00)", "$0.00",
             "$4,000.00", "$120,000.00"],
        ]
    )  # fmt: skip


GRANITE_HEADERS = ["Clm #", "Pol No", "Eff Date", "Exp Date", "Loss Date", "Rptd", "Stat", "Loss Cause",
                   "Paid Loss", "ALAE", "O/S", "Incurred", "Earned Premium"]  # fmt: skip
GRANITE_FIELDS = ["claim_number", "policy_number", "term_start", "term_end", "date_of_loss",
                  "date_reported", "status", "cause_of_loss", "paid_indemnity", "paid_expense",
                  "reserves", "total_incurred", "premium"]  # fmt: skip


def granite_xlsx() -> bytes:
    """XLSX with title lines above the header, real date cells and numeric amounts, a Total line."""
    d = dt.datetime
    return xlsx_bytes(
        [
            ["Granite Casualty Company - Loss Run"],
            ["Valued as of 09/30/2026"],
            [],
            GRANITE_HEADERS,
            ["G-1", "CPP-1", d(2023, 7, 1), d(2024, 7, 1), d(2023, 9, 9), d(2023, 9, 10), "C", "Fire",
             12000.1, 800, 0, 12800.1, 80000],
            ["G-2", "CPP-1", d(2023, 7, 1), d(2024, 7, 1), d(2024, 1, 5), d(2024, 3, 1), "O", "Theft",
             0.1, 0.2, 1000, 1000.3, 80000],
            ["Total", None, None, None, None, None, None, None, 12000.2, 800.2, 1000, 13800.4, None],
        ]
    )  # fmt: skip


PRAIRIE_HEADERS = ["Claim No.", "Date of Injury", "Date Notified", "Injured Worker", "Nature of Injury",
                   "Claim Status", "Indemnity Paid", "Medical Paid", "Expense Paid", "Indemnity Reserve",
                   "Medical Reserve", "Expense Reserve", "Subro", "Total Incurred"]  # fmt: skip
PRAIRIE_FIELDS = ["claim_number", "date_of_loss", "date_reported", "claimant", "cause_of_loss", "status",
                  "paid_indemnity", "paid_medical", "paid_expense", "reserves", "reserves", "reserves",
                  "recoveries", "total_incurred"]  # fmt: skip


def prairie_xlsx() -> bytes:
    """Workers comp XLSX without policy columns (term typed on the form), split reserves."""
    return xlsx_bytes(
        [
            PRAIRIE_HEADERS,
            ["WC-9", "2024-04-04", "2024-04-05", "A. Smith", "Strain", "Reopened", 1000, 2000, 100,
             500, 400, 100, 0, 4100],
            ["WC-10", "2024-05-05", "2024-05-06", "B. Jones", "Laceration", "Denied", 0, 0, 50,
             0, 0, 0, 0, 50],
        ]
    )  # fmt: skip


HARBOR_HEADERS = ["CLAIM_ID", "LOSS_DATE", "REPORT_DATE", "STATUS", "CAUSE_OF_LOSS", "TOTAL_PAID",
                  "RESERVE", "RECOVERY", "NET_INCURRED", "POLICY_NUMBER", "POLICY_TERM"]  # fmt: skip
HARBOR_FIELDS = ["claim_number", "date_of_loss", "date_reported", "status", "cause_of_loss", "paid_total",
                 "reserves", "recoveries", "total_incurred", "policy_number", "policy_period"]  # fmt: skip


def harbor_csv() -> bytes:
    """Semicolon-separated export with a single paid column and ISO dates."""
    return csv_bytes(
        [
            HARBOR_HEADERS,
            ["HB 001", "2022-11-30", "2022-12-01", "closed", "Hail", "2500.00", "0", "500.00",
             "2000.00", "BOP-5", "2022-06-01 to 2023-06-01"],
            ["HB 002", "2023-01-15", "2023-03-20", "open", "Wind", "100.00", "900.00", "0",
             "1000.00", "BOP-5", "2022-06-01 to 2023-06-01"],
        ],
        delimiter=";",
    )  # fmt: skip


LAKESIDE_HEADERS = ["Policy", "Term", "Coverage", "Claim Ref", "Date of Loss", "Reported Date",
                    "Claimant/Driver", "Accident Description", "Claim Status", "Paid",
                    "Outstanding Reserves", "Incurred Total"]  # fmt: skip
LAKESIDE_FIELDS = ["policy_number", "policy_period", "line", "claim_number", "date_of_loss",
                   "date_reported", "claimant", "description", "status", "paid_total", "reserves",
                   "total_incurred"]  # fmt: skip


def lakeside_csv() -> bytes:
    """Windows-1252 CSV (an é in a name), auto line, short US dates, policy total lines."""
    return csv_bytes(
        [
            ["Lakeside Insurance Group"],
            LAKESIDE_HEADERS,
            ["CA-1", "3/1/21-3/1/22", "Commercial Auto", "L-55", "4/2/21", "4/9/21", "René Côté",
             "Backing into pole", "Closed", "3,400.00", "0.00", "3,400.00"],
            ["Policy Total", "", "", "", "", "", "", "", "", "3,400.00", "0.00", "3,400.00"],
        ],
        encoding="cp1252",
    )  # fmt: skip


LAYOUTS = {
    "hartwell": (hartwell_csv, HARTWELL_HEADERS, HARTWELL_FIELDS),
    "granite": (granite_xlsx, GRANITE_HEADERS, GRANITE_FIELDS),
    "prairie": (prairie_xlsx, PRAIRIE_HEADERS, PRAIRIE_FIELDS),
    "harbor": (harbor_csv, HARBOR_HEADERS, HARBOR_FIELDS),
    "lakeside": (lakeside_csv, LAKESIDE_HEADERS, LAKESIDE_FIELDS),
}

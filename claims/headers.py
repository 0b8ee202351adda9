"""Recognising carriers' column headers ("Clm #", "DOL", "O/S", ...) as claim fields.

A header is normalised (case, punctuation, common abbreviations) and looked up in an
alias table. A mapping remembered for the carrier wins over the table.
"""

from __future__ import annotations

import re

from claims.labels import field_for, tokens

# Field name -> label shown in the mapping form. Order is the order of the form's choices.
FIELDS: dict[str, str] = {
    "claim_number": "Claim number",
    "date_of_loss": "Date of loss",
    "date_reported": "Date reported",
    "date_closed": "Date closed",
    "status": "Status",
    "cause_of_loss": "Cause of loss",
    "claimant": "Claimant",
    "description": "Description",
    "adjuster": "Adjuster",
    "driver": "Driver (auto)",
    "paid_indemnity": "Paid indemnity",
    "paid_medical": "Paid medical",
    "paid_expense": "Paid expense (ALAE)",
    "paid_total": "Total paid (when not split)",
    "recoveries": "Recoveries (subrogation, salvage)",
    "reserves": "Reserves (outstanding)",
    "total_incurred": "Total incurred",
    "policy_number": "Policy number",
    "policy_period": "Policy period (from - to)",
    "term_start": "Policy effective date",
    "term_end": "Policy expiration date",
    "premium": "Subject premium",
    "line": "Line of business",
    "valuation_date": "Valuation date (valued as of)",
}

# Several columns may feed these; their amounts are added (e.g. three reserve columns).
ADDITIVE_FIELDS = frozenset({"reserves", "recoveries", "paid_indemnity"})  # BI + PD paid

# Normalised header -> field. Keys are written already normalised (see `normalize_header`).
ALIASES: dict[str, str] = {}


def _alias(field: str, *names: str) -> None:
    for name in names:
        ALIASES[normalize_header(name)] = field


_ABBREVIATIONS = {
    "clm": "claim",
    "clms": "claim",
    "claims": "claim",
    "no": "number",
    "nbr": "number",
    "num": "number",
    "#": "number",
    "dt": "date",
    "rptd": "reported",
    "rpt": "reported",
    "reptd": "reported",
    "pd": "paid",
    "med": "medical",
    "ind": "indemnity",
    "indem": "indemnity",
    "res": "reserve",
    "reserves": "reserve",
    "os": "outstanding",
    "incd": "incurred",
    "inc": "incurred",
    "tot": "total",
    "pol": "policy",
    "eff": "effective",
    "exp": "expense",
    "prem": "premium",
    "recov": "recovery",
    "recoveries": "recovery",
    "subrogation": "subro",
    "desc": "description",
    "clmt": "claimant",
    "lob": "line",
}


def normalize_header(text: object) -> str:
    """'Clm #' -> 'claim number'; 'O/S Reserves' -> 'outstanding reserve'; 'Date_of_Loss' -> 'date of loss'."""
    value = str(text or "").strip().lower()
    value = value.replace("o/s", " os ").replace("&", " and ").replace("#", " # ")
    value = re.sub(r"[^a-z0-9#]+", " ", value)
    words = [_ABBREVIATIONS.get(word, word) for word in value.split()]
    return " ".join(words)


_alias(
    "claim_number",
    "Clm #",
    "Claim No",
    "Claim Number",
    "Claim",
    "Claim ID",
    "Claim Ref",
    "Carrier Claim Number",
    "File Number",
    "Occurrence Number",
)
_alias(
    "date_of_loss",
    "DOL",
    "Loss Date",
    "Date of Loss",
    "Accident Date",
    "Date of Accident",
    "Occurrence Date",
    "Date of Injury",
    "Injury Date",
    "Incident Date",
)
_alias(
    "date_reported",
    "Rptd",
    "Date Reported",
    "Reported Date",
    "Report Date",
    "Rptd Date",
    "Reported",
    "Notice Date",
    "Date Notified",
    "Date Rptd",
    "Claim Made Date",
)
_alias("status", "Status", "Claim Status", "Stat", "Open/Closed", "O/C")
_alias(
    "cause_of_loss",
    "Cause",
    "Cause of Loss",
    "Loss Cause",
    "Peril",
    "Cause Description",
    "Loss Type",
    "Type of Loss",
    "Nature of Injury",
    "Accident Type",
)
_alias(
    "claimant",
    "Claimant",
    "Claimant Name",
    "Injured",
    "Injured Worker",
    "Employee",
    "Claimant/Driver",
)
_alias("driver", "Driver", "Driver Name", "Operator")
_alias("adjuster", "Adjuster", "Examiner", "Claim Handler", "Adjuster Name")
_alias("date_closed", "Date Closed", "Closed Date", "Close Date", "Closed")
_alias(
    "description",
    "Description",
    "Loss Description",
    "Accident Description",
    "Narrative",
    "Remarks",
    "Comments",
    "Loss Desc",
    "Description of Loss",
)
_alias(
    "paid_indemnity",
    "Paid Loss",
    "Indemnity Paid",
    "Paid Indemnity",
    "Loss Paid",
    "Ind Paid",
    "BI Paid",
    "Paid Loss Indemnity",
    "Indemnity",
)
_alias("paid_medical", "Medical Paid", "Paid Medical", "Med Paid", "Medical")
_alias(
    "paid_expense",
    "Expense Paid",
    "Paid Expense",
    "ALAE",
    "ALAE Paid",
    "Paid ALAE",
    "Exp Paid",
    "Legal Paid",
    "Expense",
)
_alias(
    "paid_total", "Total Paid", "Paid", "Net Paid", "Paid Total", "Total Net Paid", "Paid To Date"
)
_alias(
    "recoveries",
    "Recoveries",
    "Recovery",
    "Subro",
    "Subrogation",
    "Salvage",
    "Subro Recovery",
    "Salvage and Subro",
    "Deductible Recovery",
    "Recovered",
)
_alias(
    "reserves",
    "Outstanding",
    "Reserves",
    "Reserve",
    "O/S",
    "O/S Reserves",
    "Outstanding Reserves",
    "Total Reserve",
    "Total Outstanding",
    "Open Reserve",
    "Case Reserve",
    "Indemnity Reserve",
    "Medical Reserve",
    "Expense Reserve",
    "ALAE Reserve",
    "Outstanding Loss",
)
_alias(
    "total_incurred",
    "Incurred",
    "Total Incurred",
    "Tot Incurred",
    "Total Incd",
    "Net Incurred",
    "Incurred Total",
    "Total Loss Incurred",
    "Gross Incurred",
)
_alias("policy_number", "Policy #", "Policy Number", "Policy No", "Policy", "Pol #", "Pol No")
_alias("policy_period", "Policy Period", "Policy Term", "Term", "Period")
_alias(
    "term_start",
    "Eff Date",
    "Effective Date",
    "Policy Effective",
    "Policy Eff Date",
    "Eff",
    "Inception",
    "Inception Date",
    "Term Start",
    "Policy Start",
)
_alias(
    "term_end",
    "Exp Date",
    "Expiration Date",
    "Expiry Date",
    "Policy Expiration",
    "Policy Exp Date",
    "Term End",
    "Policy End",
    "Expiration",
)
_alias(
    "premium",
    "Premium",
    "Earned Premium",
    "Subject Premium",
    "Written Premium",
    "Annual Premium",
    "Policy Premium",
)
_alias("line", "Line", "Line of Business", "LOB", "Coverage", "Coverage Line", "Policy Type")  # fmt: skip

# "Exp" alone is ambiguous (expense vs expiration): "exp date" is the expiration date.
ALIASES[normalize_header("Exp Date")] = "term_end"
ALIASES["expense date"] = "term_end"


def recognize_header(text: object) -> str:
    """The field a header names, or '' when it is not recognised."""
    return ALIASES.get(normalize_header(text), "") or _by_tokens(text)


def _by_tokens(header: object) -> str:
    """Headers the alias table lacks ("Pol Eff", "Policy Exp Date", "Gross Incurred", "BI Paid"),
    by tokens and abbreviations: the PDF engine's label table (claims/labels.py)."""
    field = field_for(str(header or ""))
    return field if field in FIELDS else ""


def recognize_columns(headers: list[str], remembered: dict[str, str] | None = None) -> list[str]:
    """A field per column ('' = ignore). Each non-additive field goes to its first column only."""
    remembered = remembered or {}
    fields: list[str] = []
    taken: set[str] = set()
    for header in headers:
        key = normalize_header(header)
        field = remembered[key] if key in remembered else recognize_header(header)
        if field and field in taken and field not in ADDITIVE_FIELDS:
            field = ""
        if field:
            taken.add(field)
        fields.append(field)
    return fields


def looks_like_header_row(cells: list[object], remembered: dict[str, str] | None = None) -> bool:
    """A row with at least three recognised headers, one of them a claim number or date of loss."""
    fields = [f for f in recognize_columns([str(c or "") for c in cells], remembered) if f]
    return len(fields) >= 3 and bool({"claim_number", "date_of_loss"} & set(fields))


def mapping_problems(fields: list[str]) -> list[str]:
    """What is wrong with a chosen mapping, as sentences ('' entries are ignored columns)."""
    problems = []
    seen: set[str] = set()
    for field in fields:
        if not field:
            continue
        if field in seen and field not in ADDITIVE_FIELDS:
            problems.append(f"Two columns are mapped to {FIELDS[field].lower()}; choose one.")
        seen.add(field)
    for required in ("claim_number", "date_of_loss", "status"):
        if required not in seen:
            problems.append(f"No column is mapped to {FIELDS[required].lower()}.")
    return problems


_MONEY_WORDS = frozenset(
    {"paid", "reserve", "outstanding", "incurred", "recovery", "subrogation", "salvage",
     "expense", "indemnity", "medical", "premium", "deductible", "amount"}
)  # fmt: skip
_MONEY_TEXT = re.compile(
    r"^\(?-?\$?\d{1,3}(?:,\d{3})*\.\d{1,2}\)?-?$|^\(?-?\$?\d+\.\d{1,2}\)?-?$|^\(?-?\$\d[\d,]*\)?$"
)


def unmapped_money_columns(
    headers: list[str], fields: list[str], samples: list[list[str]]
) -> list[str]:
    """The ignored columns that hold money: a money word in the header ('Paid Expense
    (ALAE)', 'Deductible'), or sample values that read as amounts ('$1,250.00', '-35.10').
    Leaving one out changes paid or incurred, so the mapping page names each."""
    found = []
    for index, header in enumerate(headers):
        if index < len(fields) and fields[index]:
            continue
        values = [row[index] for row in samples if index < len(row) and row[index]]
        by_name = bool(_MONEY_WORDS & set(tokens(str(header or ""))))
        by_values = bool(values) and all(_MONEY_TEXT.match(v.replace(" ", "")) for v in values)
        if header and (by_name or by_values):
            found.append(str(header))
    return found

"""Recognising the labels carriers print (PDF column headers, card labels, spreadsheet headers) ("Clm #", "Date of Loss", "O/S Reserve", "Examiner").

A label is cut into tokens, abbreviations are expanded ("clm" -> claim, "pd" -> paid,
"o/s" -> outstanding), filler words dropped, and the token string is looked up among the
phrases of each field. The same table serves column headers, card labels and total lines.
"""

from __future__ import annotations

import re
from functools import lru_cache

_ABBREVIATIONS = {
    "clm": "claim", "clms": "claims", "no": "number", "nbr": "number", "num": "number",
    "#": "number", "dt": "date", "rptd": "reported", "rpt": "report", "reptd": "reported",
    "pd": "paid", "med": "medical", "ind": "indemnity", "indem": "indemnity", "res": "reserve",
    "reserves": "reserve", "os": "outstanding", "incd": "incurred", "inc": "incurred",
    "tot": "total", "pol": "policy", "eff": "effective", "prem": "premium", "recov": "recovery",
    "recoveries": "recovery", "desc": "description", "clmt": "claimant", "adj": "adjuster",
    "stat": "status", "st": "status", "amt": "amount", "alae": "expense", "lae": "expense",
    "expenses": "expense", "losses": "loss", "subro": "subrogation", "cls": "closed",
    "dol": "date loss", "doi": "date injury", "exp": "exp", "expiry": "expiration",
    "rep": "reported", "rec": "recovery", "recd": "received", "inj": "injury", "ee": "employee",
    "lob": "line business",
    "resv": "reserve", "rsv": "reserve", "sts": "status", "rept": "reported",
}  # fmt: skip
_FILLER = {"of", "the", "to", "date", "amount", "amt", "a", "and", "by", "on", "for", "in"}

_PHRASES: dict[str, tuple[str, ...]] = {
    "claim_number": ("claim number", "claim", "claim id", "claim ref", "claim reference",
                     "reference number", "ref number", "claim key", "loss number", "incident number",
                     "file number", "occurrence number", "claim file", "carrier claim number"),
    "claimant": ("claimant", "claimant name", "injured", "injured worker", "injured party",
                 "employee", "employee name", "name", "injured employee"),
    "date_of_loss": ("date loss", "loss", "loss date", "date accident", "accident",
                     "accident date", "occurrence", "occurrence date", "date injury", "injury",
                     "injury date", "incident", "incident date"),
    "date_reported": ("date reported", "reported", "report", "report date", "reported date",
                      "notice", "notice date", "date notice", "received", "date received",
                      "received date", "first notice", "fnol"),
    "date_closed": ("date closed", "closed", "closed date", "close date", "closing date",
                    "close"),
    "status": ("status", "claim status", "open closed", "o c"),
    "cause_of_loss": ("cause loss", "cause", "loss cause", "peril", "loss type", "type loss",
                      "accident type", "nature", "nature injury", "cause code", "kind loss",
                      "type", "claim type"),
    "description": ("description", "loss description", "accident description",
                    "claim description", "narrative", "remarks", "comments", "details",
                    "loss details", "description loss", "occurrence description"),
    "adjuster": ("adjuster", "adjuster name", "examiner", "claim handler", "handler",
                 "claims rep", "claim rep", "claims adjuster", "claim adjuster",
                 "claims examiner", "claim examiner", "examiner name"),
    "driver": ("driver", "driver name", "operator", "vehicle driver", "insured driver"),
    "paid_indemnity": ("paid indemnity", "indemnity paid", "indemnity", "paid loss", "loss paid",
                       "bi paid", "paid bi", "paid indemnity loss", "indemnity payments"),
    "paid_medical": ("paid medical", "medical paid", "medical", "medical payments"),
    "paid_expense": ("paid expense", "expense paid", "expense", "paid legal expense",
                     "legal expense", "paid allocated expense", "expense payments"),
    "paid_total": ("total paid", "paid total", "paid", "net paid", "gross paid", "paid to",
                   "amount paid", "total net paid", "paid loss expense", "total payments"),
    "recoveries": ("recovery", "subrogation", "salvage", "salvage subrogation",
                   "subrogation salvage", "recovered", "deductible recovery", "total recovery",
                   "recovery received"),
    "reserves": ("reserve", "outstanding", "outstanding reserve", "case reserve", "open reserve",
                 "total reserve", "loss reserve", "reserve outstanding", "outstanding loss",
                 "total outstanding", "remaining reserve"),
    "total_incurred": ("total incurred", "incurred", "gross incurred", "net incurred",
                       "incurred total", "total incurred loss", "incurred loss", "incurred loss expense"),
    "policy_number": ("policy number", "policy", "policy id"),
    "policy_period": ("policy period", "policy term", "term", "period", "coverage period",
                      "policy year"),
    "term_start": ("effective", "policy effective", "effective date", "term start",
                   "inception", "policy inception", "from"),
    "term_end": ("expiration", "policy expiration", "expiration date", "term end", "policy exp",
                 "exp", "expires"),
    "claim_count": ("claims", "claim count", "number claims", "count", "total claims",
                    "number of claims", "claims count"),
    "premium": ("premium", "subject premium", "earned premium", "written premium"),
    "category": ("category", "coverage", "transaction type", "benefit type", "component"),
    "line": ("line", "line business", "coverage line", "policy type"),
    "valuation_date": ("valuation", "valuation date", "valued", "valued as", "valued as of",
                       "valued date", "evaluation date", "evaluated as", "as", "run date",
                       "loss run date", "report run date", "data as"),
}  # fmt: skip

# Fields a claim has (the rest describe its term or the report).
CLAIM_FIELDS = (
    "claim_number", "claimant", "date_of_loss", "date_reported", "date_closed", "status",
    "cause_of_loss", "description", "adjuster", "driver", "paid_indemnity", "paid_medical",
    "paid_expense", "paid_total", "recoveries", "reserves", "total_incurred",
)  # fmt: skip
TERM_FIELDS = ("policy_number", "policy_period", "term_start", "term_end")
TEXT_FIELDS = frozenset({"claimant", "cause_of_loss", "description", "adjuster", "driver"})
DATE_FIELDS = frozenset({"date_of_loss", "date_reported", "date_closed", "term_start", "term_end"})
MONEY_FIELDS = frozenset({
    "paid_indemnity", "paid_medical", "paid_expense", "paid_total", "recoveries", "reserves",
    "total_incurred", "premium",
})  # fmt: skip


def tokens(text: str) -> list[str]:
    """'Clm #' -> ['claim', 'number']; 'Pol Exp' -> ['policy', 'expiration']; 'Exp Paid' -> expense."""
    value = text.lower().replace("o/s", " os ").replace("#", " # ").replace("&", " and ")
    words = re.sub(r"[^a-z0-9#]+", " ", value).split()
    out: list[str] = []
    for word in words:
        for part in _ABBREVIATIONS.get(word, word).split():
            out.append(part)
    if "exp" in out:
        dated = {"policy", "date", "effective", "term"} & set(out)
        out = [("expiration" if dated else "expense") if w == "exp" else w for w in out]
    return out


def _key(words: list[str]) -> str:
    kept = [w for w in words if w not in _FILLER] or words
    return " ".join(w[:-1] if len(w) > 4 and w.endswith("s") and w != "claims" else w for w in kept)


_LOOKUP: dict[str, str] = {}
for _field, _phrases in _PHRASES.items():
    for _phrase in _phrases:
        _LOOKUP.setdefault(_key(tokens(_phrase)), _field)
# "date" alone is no field; "Date of Loss" keeps its date: the filler rule must not eat it.
_LOOKUP.pop("", None)
_LOOKUP["paid paid"] = "paid_indemnity"  # "PD Paid": property damage paid ("pd" reads as paid)


@lru_cache(maxsize=8192)
def field_for(text: str) -> str | None:
    """The field a printed label names, or None."""
    words = tokens(text)
    if not words or len(words) > 6:
        return None
    found = _LOOKUP.get(_key(words))
    if found is None and words[0] in {"total", "claim", "net", "gross"} and len(words) > 1:
        found = _LOOKUP.get(_key(words[1:]))
        if found == "claim_number":
            found = None
    found = found or _by_keyword(words)
    if found in CLAIM_FIELDS and found not in DATE_FIELDS and "date" in words:
        return None  # "Status Date", "Paid Date", "Claim Date": a date, not the status or money
    return found


_KIND = {"indemnity": "paid_indemnity", "medical": "paid_medical", "expense": "paid_expense",
         "legal": "paid_expense", "defense": "paid_expense", "fee": "paid_expense",
         "fees": "paid_expense"}  # fmt: skip


def _by_keyword(words: list[str]) -> str | None:
    """Labels the phrase table does not hold, by their telling word: 'Indemnity Reserve',
    'Medical Outstanding', 'Subrogation Received', 'Total Incurred Loss and Expense'."""
    present = set(words)
    if present & {"reserve", "outstanding"}:
        return "reserves"
    if present & {"recovery", "subrogation", "salvage"}:
        return "recoveries"
    if "incurred" in present:
        return "total_incurred"
    if "paid" in present:
        kinds = list(dict.fromkeys(_KIND[w] for w in words if w in _KIND))
        return kinds[0] if len(kinds) == 1 else "paid_total"
    return None


# Every word a known label is made of (its phrases' words and the abbreviations), for
# readers that must match a label misread by OCR ("Cimt" for "Clmt").
KNOWN_WORDS = frozenset(
    {w for phrases in _PHRASES.values() for p in phrases for w in p.split()} | set(_ABBREVIATIONS)
)

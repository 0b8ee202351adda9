"""Seed the state rules from the research notes (shared/statutes.md).

Rows the notes mark uncertain stay uncertain until staff confirm them in the admin.
Re-running is harmless: a state already on file (edited by staff) is left as it is.
"""

from django.db import migrations

V, U = "verified", "uncertain"
CAL, BUS = "calendar", "business"
REQ, COND = "request", "conditional"
SHOWN, NOT_SHOWN, NOT_STATED = "required", "not_required", "not_stated"

RULES = [
    # state, days, counted, trigger, trigger text, years, lines/notes, reserves, citation,
    # regulator, source note, confidence
    ("AR", 30, CAL, REQ, "written request", None,
     "property & casualty; a reasonable fee is allowed; the producer forwards to the insured within 7 days",
     NOT_STATED, "Ark. Code Ann. § 23-63-111", "Arkansas Insurance Department", "", V),
    ("CA", 10, BUS, COND,
     "the insurer cancels or nonrenews; or a request made within 60 days before renewal; "
     "or the insurer is downgraded or conserved", None,
     "commercial lines, not professional liability", NOT_STATED, "Cal. Ins. Code § 679.7",
     "California Department of Insurance",
     "Sources claiming \"CA 7 business days\" or \"15 days under 679.7\" were checked and found wrong.", V),
    ("CT", 30, CAL, REQ, "request (on insurer cancellation/nonrenewal: by the notice date)", 4,
     "commercial risks (window cut from 60 days effective 2012)", NOT_STATED,
     "Conn. Gen. Stat. § 38a-326", "Connecticut Insurance Department", "", V),
    ("FL", 15, CAL, REQ, "receipt of the written request by the insurer or its designee", 5,
     "all lines; electronic delivery allowed; one free report a year; the agent of record is notified",
     NOT_STATED, "Fla. Stat. § 627.444", "Florida Department of Financial Services",
     "Surplus lines: Fla. Stat. § 626.9202.", V),
    ("IL", 30, CAL, REQ, "request; also with a cancellation or nonrenewal notice", 3,
     "more detail within 20 days of a further request", SHOWN, "215 ILCS 5/143.10a",
     "Illinois Department of Insurance", "History: 3 policy years.", V),
    ("KY", 20, CAL, REQ, "written request", 5,
     "commercial property & casualty; the agent forwards within 5 days; one free report",
     NOT_STATED, "KRS 304.20-100", "Kentucky Department of Insurance", "", V),
    ("ME", 30, CAL, REQ, "written request", None, "the agent forwards within 4 working days",
     NOT_STATED, "24-A M.R.S. § 2910", "Maine Bureau of Insurance", "", V),
    ("NY", 20, CAL, REQ, "written request", None, "commercial lines", NOT_SHOWN,
     "N.Y. Ins. Law § 3426(g)(2)", "New York State Department of Financial Services",
     "Reserves need not be shown (DFS General Counsel opinion 07-03-05). "
     "Amendments after 2007 not checked.", V),
    ("RI", 14, CAL, REQ, "request", 5, "personal lines excluded", SHOWN,
     "R.I. Gen. Laws § 27-29-17.5",
     "Rhode Island Department of Business Regulation, Insurance Division", "", V),
    ("TX", 30, CAL, COND, "a written request within 6 months of a claim's disposition", None,
     "liability lines; covers claim disposition information rather than a full loss run",
     NOT_STATED, "Tex. Ins. Code §§ 542.101–.103", "Texas Department of Insurance",
     "§ 542.102 not read directly.", U),
    ("UT", 30, CAL, REQ, "written request", 3, "free once per 12 months", NOT_STATED,
     "Utah Admin. Code R590-124-4", "Utah Insurance Department", "", V),
    ("LA", 30, CAL, REQ, "request", 3, "", NOT_STATED, "La. R.S. 22:1964(20)(a)",
     "Louisiana Department of Insurance",
     "A 2020 bill proposed 10 days / 5 years; enactment not verified.", U),
    ("IN", 30, CAL, REQ, "request", None, "bulletin, premiums over $2,500", NOT_STATED,
     "Indiana DOI Bulletin 56 (1989)", "Indiana Department of Insurance", "", U),
]  # fmt: skip


def seed(apps, schema_editor):
    StateRule = apps.get_model("statutes", "StateRule")
    for (state, days, counted, trigger, trigger_text, years, lines, reserves, citation,
         regulator, note, confidence) in RULES:  # fmt: skip
        StateRule.objects.get_or_create(
            state=state,
            defaults={
                "window_days": days,
                "day_count": counted,
                "trigger": trigger,
                "trigger_text": trigger_text,
                "history_years": years,
                "lines": lines,
                "reserves": reserves,
                "citation": citation,
                "regulator": regulator,
                "source_note": ("Seeded from the research notes (statutes.md). " + note).strip(),
                "confidence": confidence,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("statutes", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

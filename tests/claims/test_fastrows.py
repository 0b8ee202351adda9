"""The fast row check gives exactly what the full validator gives, or leaves the row to it.

Both ways: plain values and rows are taken by the fast path (and match the validator's
result); odd ones (negatives, bad grouping, non-ASCII digits, rows with problems) are left
to the validator, so every message and every stored value is the validator's own.
"""

import datetime as dt
import io
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claims.importers import TermDefaults, read_claims
from claims.importers.fastrows import FAIL, FastRows, money_value, plain_amounts
from claims.importers.records import _word, claim_key, claim_row
from claims.importers.rows import RowValidator
from claims.importers.values import BadValue, parse_money

VALUED = dt.date(2026, 9, 30)
FIELDS = ["claim_number", "policy_number", "policy_period", "date_of_loss", "date_reported",
          "status", "claimant", "paid_indemnity", "paid_medical", "paid_expense", "recoveries",
          "reserves", "total_incurred", "premium"]  # fmt: skip


def general_money(value):
    try:
        return parse_money(value)
    except BadValue:
        return FAIL


def same_money(value):
    """The fast answer is the general one (cents and the text str() gives), or FAIL."""
    fast, general = money_value(value), general_money(value)
    if fast is FAIL:
        return True
    if fast is None:
        return general is None
    return general is not FAIL and fast == (int(general.scaleb(2)), str(general))


@pytest.mark.parametrize(
    "value",
    ["$1,234.56", "1,234.56", "$1,234.5", "1234.5", "$1,234", "1234", "0", "$0.00", "0.5", ".5",
     " $5 ", "n/a", "", "-", "$999,999,999,999.99", "999999999999", 1234.5, 0.1 + 0.2, 12, 0, 0.0,
     2.675, 1e-05, 10**12 - 1, Decimal("12.345"), "007.50", "\u0661\u0662.00", True],
)  # fmt: skip
def test_fast_money_reads_plain_amounts_as_parse_money(value):
    """The patterns, or parse_money itself for the rarer layouts ('007.50', ' $5 ')."""
    assert money_value(value) is not FAIL
    assert same_money(value)


@pytest.mark.parametrize(
    "value",
    ["(1,234.50)", "-12.00", "1,234.50-", "-0.00", "-0", -0.0, -5, -1.5, "1,2,3.00", "12.345",
     "$1,000,000,000,000.00", 10**12, "1e3", "abc", "$", float("inf"), Decimal("-1")],
)  # fmt: skip
def test_fast_money_leaves_signed_odd_and_bad_amounts_to_the_validator(value):
    assert money_value(value) is FAIL


@given(st.integers(min_value=0, max_value=10**14 - 1))
def test_fast_money_agrees_with_parse_money_on_every_printed_form(cents):
    amount = Decimal(cents).scaleb(-2)
    for printed in (f"${amount:,.2f}", f"{amount:,.2f}", f"{amount:.2f}", f"{amount:.1f}",
                    float(amount), int(amount), f"-{amount:.2f}", f"({amount:,.2f})"):  # fmt: skip
        assert same_money(printed), printed


PLAIN = ["$1,234.56", "1234.56", "0.00", "$0.05", "$999,999,999,999.99", "999999999999.99"]
NOT_PLAIN = ["$1,234.5", "1234", "(5.00)", "-1.00", "1,2,3.00", "$05.00", "", " 5.00", "5.00 ",
             "\u0661.00", "$1,000,000,000,000.00", "1234.567"]  # fmt: skip


def test_plain_amounts_read_a_block_as_money_value_reads_each():
    """Two-decimal unsigned amounts are read at once; the rest are left out (read one by one)."""
    found = plain_amounts(PLAIN + NOT_PLAIN)
    assert found == {text: money_value(text) for text in PLAIN}
    assert plain_amounts(NOT_PLAIN) == {}
    assert plain_amounts(PLAIN) == {text: money_value(text) for text in PLAIN}  # one match


def test_plain_amounts_never_split_a_cell_holding_a_line_break():
    assert plain_amounts(["1.00\n2.00", "3.00"]) == {"3.00": (300, "3.00")}
    assert plain_amounts(["1.00\n2.00"]) == {}


@given(st.lists(st.integers(min_value=0, max_value=10**14 - 1), max_size=30))
def test_plain_amounts_agree_with_money_value_on_every_printed_form(amounts):
    texts = [form for cents in amounts
             for form in (f"${Decimal(cents).scaleb(-2):,.2f}", f"{Decimal(cents).scaleb(-2):.2f}",
                          f"{Decimal(cents).scaleb(-2):,.1f}", f"-{Decimal(cents).scaleb(-2):.2f}")]  # fmt: skip
    found = plain_amounts(texts)
    assert found == {text: money_value(text) for text in found}
    assert all(plain_amounts([t]) == {} for t in texts if money_value(t) is FAIL)


@given(st.text(max_size=80))
def test_claim_key_is_the_words_of_the_claim_number(text):
    assert claim_key(text) == _word(text).upper()[:60]


def row(number="CLM-1", dol="03/04/2023", reported="03/10/2023", status="Open", claimant="A B",
        ind="$1,000.00", med="$200.00", exp="$50.00", rec="$0.00", res="$500.00",
        incurred="$1,750.00", premium="$50,000.00", policy="GL-1",
        period="01/01/2023 - 01/01/2024"):  # fmt: skip
    return [number, policy, period, dol, reported, status, claimant, ind, med, exp, rec, res,
            incurred, premium]  # fmt: skip


def normal(values):
    """Values as the database receives them (what its adapters make of Decimal and date)."""
    return tuple(str(v) if isinstance(v, Decimal | dt.date) else v for v in values)


def state(validator):
    return (validator.seen_claims, dict(validator.convention_tally), validator.term_premiums)


def both(rows, fields=FIELDS, defaults=None):
    """Each row through the fast path and, on a fresh validator, through the full one."""
    defaults = defaults or TermDefaults()
    fast_validator = RowValidator(fields, valuation_date=VALUED, defaults=defaults)
    general = RowValidator(fields, valuation_date=VALUED, defaults=defaults)
    fast = FastRows(fast_validator)
    fast.prepare(list(enumerate(rows, start=2)))  # as read_claims does, a block at a time
    taken = []
    for number, cells in enumerate(rows, start=2):
        found = fast.check(number, cells)
        if found is None:
            found_claim, _ = fast_validator.validate(number, cells)
            found = (found_claim.term, claim_row(found_claim)) if found_claim else None
        else:
            taken.append(number)
        claim, problems = general.validate(number, cells)
        expected = (claim.term, normal(claim_row(claim))) if claim else None
        assert (found[0], normal(found[1])) == expected if found else expected is None, number
        assert state(fast_validator) == state(general), number
    return taken


def test_plain_rows_take_the_fast_path_and_give_the_validators_values():
    rows = [
        row(),
        row("CLM-2", status="Closed", res="$0.00", incurred="$1,250.00"),
        row(
            "CLM-3",
            ind="1234.5",
            med="0",
            exp="",
            rec="10",
            res="",
            incurred="1,224.50",
            status="C",
        ),
        row("CLM-4", dol="2023-05-06", reported="", rec="$100.00", incurred="$1,750.00"),  # gross
        row("CLM-5", exp="$0.00", incurred="$1,700.00"),  # fits several conventions
        row("CLM-6", status="Pending", premium=""),
        row(
            "CLM-7",
            dol="12/31/2023",
            reported="",
            period="2023-01-01 to 2024-01-01",
            premium="50000",
        ),
    ]
    assert both(rows) == [2, 3, 4, 5, 6, 7, 8]


def test_rows_with_odd_values_or_problems_go_to_the_validator():
    rows = [
        row(
            "CLM-1", rec="(25.00)", incurred="$1,725.00"
        ),  # negative recoveries: read by the validator
        row("clm 1"),  # the same claim number
        row("CLM-3", status="Closed"),  # closed with reserves
        row("CLM-4", premium="$60,000.00"),  # another premium for the term
        row("CLM-5", dol="2023-02-30"),
        row("CLM-6", reported="03/01/2023"),  # reported before the loss
        row(
            "CLM-7", dol="03/04/2027", reported="", period="01/01/2027 - 01/01/2028"
        ),  # after valuation
        row("CLM-8", dol="03/04/2025"),  # outside the term
        row("CLM-9", incurred="$9.00"),  # fits no convention
        row("CLM-10", status="Weird"),
        row(""),
        row("CLM-12", ind="\u0661.00", incurred="$751.00"),  # Arabic-Indic digit
        row("CLM-13", ind="1,2,3.00"),
        row("CLM-14", period="soon"),
        row(
            "CLM-15", dol="05-Mar-2023", reported="Mar 10, 2023"
        ),  # odd date layouts are cached fine
    ]
    assert both(rows) == [13, 16]


def test_spreadsheet_cells_numbers_and_dates():
    rows = [
        row(
            "CLM-1",
            dol=dt.datetime(2023, 3, 4),
            reported=dt.date(2023, 3, 9),
            ind=1000.0,
            med=200,
            exp=50.5,
            rec=0.0,
            res=499.5,
            incurred=1750.0,
            premium=50000,
        ),
        row(
            "CLM-2",
            dol=45000,
            reported="",
            ind=0.1 + 0.2,
            med=0,
            exp=0,
            rec=0,
            res=0,
            incurred=0.3,
            status="Closed",
        ),
        row("CLM-3", ind=2.675, med=0, exp=0, rec=0, res=0, incurred=2.68, status="Closed"),
        row("CLM-4", ind=True, incurred=750.0),  # parse_money: a true/false cell is blank
        row("CLM-5", policy=1),  # a number as a term's key cell: left to the validator
    ]
    assert both(rows) == [2, 3, 4, 5]


def test_several_columns_of_one_amount_and_a_total_paid():
    fields = ["claim_number", "date_of_loss", "status", "paid_indemnity", "paid_indemnity",
              "paid_total", "recoveries", "total_incurred"]  # fmt: skip
    defaults = TermDefaults(term_start=dt.date(2023, 1, 1), term_end=dt.date(2024, 1, 1))
    rows = [
        ["A", "2023-05-05", "closed", "10.00", "5.00", "15.00", "", "15.00"],
        ["B", "2023-05-05", "closed", "10.00", "n/a", "9.00", "1.00", "9.00"],  # net total paid
        ["C", "2023-05-05", "closed", "10.00", "5.00", "16.00", "", "16.00"],  # disagrees
        ["D", "2023-05-05", "closed", "10.00", "5.00", "15.00", "-1.00", "14.00"],
    ]
    assert both(rows, fields, defaults) == [2, 3]


def csv_file(rows):
    lines = ["Claim Number,Policy #,Policy Period,DOL,Date Reported,Status,Claimant,Indemnity Paid,"
             "Medical Paid,Expense Paid,Recoveries,Outstanding,Total Incurred,Premium"]  # fmt: skip
    lines += [",".join(f'"{c}"' for c in cells) for cells in rows]
    return io.BytesIO("\n".join(lines).encode())


def read_file(rows, preview_limit):
    """read_claims over `rows` written as a CSV: each good row's term and values as the
    database receives them, and the ReadResult."""
    got = []
    result = read_claims(
        csv_file(rows),
        fields=FIELDS,
        header_row=1,
        valuation_date=VALUED,
        defaults=TermDefaults(),
        sink=lambda terms, values: got.extend(
            (t, normal(v)) for t, v in zip(terms, values, strict=True)
        ),
        preview_limit=preview_limit,
    )
    return got, result


def test_a_whole_file_reads_the_same_through_either_path():
    rows = [
        row(f"CLM-{n}", ind=f"${n},000.00", incurred=f"${n * 1000 + 750:,}.00")
        for n in range(1, 30)
    ]
    rows[5] = row("CLM-6", rec="(25.00)", incurred="$1,725.00")  # read by the validator
    rows[9] = row("CLM-9")  # a duplicate
    rows[12] = row("CLM-13", status="Closed", incurred="$13,750.00")

    def read(preview_limit):
        got, result = read_file(rows, preview_limit)
        return got, result.errors, result.terms, result.incurred_convention, result.bad_rows

    fast, general = read(0), read(len(rows))  # a full preview sends every row to the validator
    assert fast == general
    assert general[4] == 2 and general[3] == "net", general[1]

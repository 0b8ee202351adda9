"""The column-wise block check takes a block only when every row is a plain good row, and
then gives exactly what the full validator gives, row for row; otherwise it changes nothing.

Both ways: blocks of plain rows (blank cells, several conventions, premiums on some rows,
spreadsheet cells) are taken and match the validator; a block with any odd or bad row, or a
claim number seen before, is refused with the validator's cross-row state untouched.
"""

import copy
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claims.importers import TermDefaults
from claims.importers.fastblocks import FastBlocks
from claims.importers.fastrows import FastRows
from claims.importers.records import claim_keys, claim_row
from claims.importers.rows import RowValidator
from tests.claims.test_fastrows import FIELDS, VALUED, normal, read_file, row, state


def checker(fields=FIELDS, defaults=None):
    validator = RowValidator(fields, valuation_date=VALUED, defaults=defaults or TermDefaults())
    return validator, FastBlocks(FastRows(validator))


def general_rows(rows, fields=FIELDS, defaults=None, start=2, validator=None):
    """Each row through the full validator: (term, values) or None, and the validator."""
    validator = validator or RowValidator(
        fields, valuation_date=VALUED, defaults=defaults or TermDefaults()
    )
    found = []
    for number, cells in enumerate(rows, start=start):
        claim, _ = validator.validate(number, cells)
        found.append((claim.term, normal(claim_row(claim))) if claim else None)
    return found, validator


def all_fast(rows, fields=FIELDS, defaults=None):
    """Whether the fast row check, row after row, takes every row."""
    validator, _ = checker(fields, defaults)
    fast = FastRows(validator)
    block = list(enumerate(rows, start=2))
    fast.prepare(block)
    return all(fast.check(number, cells) is not None for number, cells in block)


def taken(rows, fields=FIELDS, defaults=None):
    """The block check's answer for `rows`, checked against the validator's: a block is
    taken only when the fast row check would take each of its rows."""
    validator, blocks = checker(fields, defaults)
    before = copy.deepcopy(state(validator))
    answer = blocks.check(list(enumerate(rows, start=2)))
    assert answer is None or all_fast(rows, fields, defaults)
    expected, general = general_rows(rows, fields, defaults)
    if answer is None:
        assert state(validator) == before  # nothing changed
        return False
    terms, values = answer
    assert [(t, normal(v)) for t, v in zip(terms, values, strict=True)] == expected
    assert state(validator) == state(general)
    return True


GOOD = [
    row(),
    row("CLM-2", status="Closed", res="$0.00", incurred="$1,250.00"),
    row("CLM-3", ind="1234.5", med="0", exp="", rec="10", res="", incurred="1,224.50", status="C"),
    row("CLM-4", dol="2023-05-06", reported="", rec="$100.00", incurred="$1,750.00"),  # gross
    row("CLM-5", exp="$0.00", incurred="$1,700.00"),  # fits several conventions
    row("CLM-6", status="Pending", premium=""),
    row(
        "CLM-7", dol="12/31/2023", reported="", period="2023-01-01 to 2024-01-01", premium="50000"
    ),  # fmt: skip
    row(
        "CLM-8",
        policy="GL-2",
        period="01/01/2024 - 01/01/2025",
        dol="02/02/2024",
        reported="02/03/2024",
        premium="$70,000.00",
    ),  # fmt: skip
    row("CLM-9", claimant="  Ann  Lee ", ind="$1,000.00", incurred="$1,750.00"),
    row("clm 10 / b", res="$0.00", incurred="$1,250.00", status="Closed"),
]


def test_a_block_of_plain_rows_is_taken_with_the_validators_values():
    assert taken(GOOD)


def test_blocks_of_one_kind_of_value_are_taken():
    assert taken([row(f"C-{n}") for n in range(40)])  # every amount plain, every row alike
    assert taken(
        [row(f"C-{n}", exp="", rec="", premium="", incurred="$1,700.00") for n in range(40)]
    )  # blanks
    assert taken([row(f"C-{n}", reported="") for n in range(40)])


def test_spreadsheet_cells_are_taken_as_the_validator_reads_them():
    rows = [
        row("CLM-1", dol=dt.datetime(2023, 3, 4), reported=dt.date(2023, 3, 9), ind=1000.0,
            med=200, exp=50.5, rec=0.0, res=499.5, incurred=1750.0, premium=50000),
        row("CLM-2", dol=dt.datetime(2023, 4, 4), reported=None, ind=0.1 + 0.2, med=0, exp=0,
            rec=0, res=0, incurred=0.3, status="Closed", premium=None),
        row(12345, ind=2.675, med=0, exp=0, rec=0, res=0, incurred=2.68, status="Closed"),
    ]  # fmt: skip
    assert taken(rows)


def test_several_columns_of_one_amount_and_a_total_paid():
    fields = ["claim_number", "date_of_loss", "status", "paid_indemnity", "paid_indemnity",
              "paid_total", "recoveries", "total_incurred"]  # fmt: skip
    defaults = TermDefaults(term_start=dt.date(2023, 1, 1), term_end=dt.date(2024, 1, 1))
    rows = [
        ["A", "2023-05-05", "closed", "10.00", "5.00", "15.00", "", "15.00"],
        ["B", "2023-05-05", "closed", "10.00", "n/a", "9.00", "1.00", "9.00"],  # net total paid
    ]
    assert taken(rows, fields, defaults)
    assert not taken([*rows, ["C", "2023-05-05", "closed", "10.00", "5.00", "16.00", "", "16.00"]],
                     fields, defaults)  # fmt: skip


def test_a_file_without_incurred_or_reported_columns():
    fields = ["claim_number", "policy_number", "policy_period", "date_of_loss", "status",
              "paid_indemnity", "reserves"]  # fmt: skip
    rows = [["A", "GL-1", "01/01/2023 - 01/01/2024", "03/04/2023", "Open", "$5.00", "$1.00"],
            ["B", "GL-1", "01/01/2023 - 01/01/2024", "03/05/2023", "Closed", "$7.00", ""]]  # fmt: skip
    assert taken(rows, fields)


ODD = [
    row("CLM-1", rec="(25.00)", incurred="$1,725.00"),  # negative recoveries
    row("clm 1"),  # the same claim number as the block's first
    row("CLM-3", status="Closed"),  # closed with reserves
    row("CLM-4", premium="$60,000.00"),  # another premium for the term
    row("CLM-5", dol="2023-02-30"),
    row("CLM-6", reported="03/01/2023"),  # reported before the loss
    row("CLM-7", dol="03/04/2027", reported="", period="01/01/2027 - 01/01/2028"),  # valued
    row("CLM-8", dol="03/04/2025"),  # outside the term
    row("CLM-9", incurred="$9.00"),  # fits no convention
    row("CLM-10", status="Weird"),
    row(""),
    row("CLM-13", ind="1,2,3.00"),
    row("CLM-14", period="soon"),
    row("CLM-15", incurred=""),  # no incurred on this row: left to the row check, which takes it
    row("CLM-16", policy=1),  # a number as a term's key cell
    row("CLM-17", dol=""),  # a summary or blank line
]


def test_a_row_the_row_check_takes_without_a_pattern_is_taken_too():
    rows = [row(f"OK-{n}") for n in range(6)]
    rows.insert(3, row("CLM-12", ind="\u0661.00", incurred="$751.00"))  # Arabic-Indic digit
    rows.insert(5, row("CLM-18\nB"))  # a claim number holding a line break
    assert taken(rows)


@pytest.mark.parametrize("odd", range(len(ODD)))
def test_a_block_with_one_odd_or_bad_row_is_left_to_the_row_check(odd):
    rows = [row(f"OK-{n}") for n in range(6)]
    rows.insert(3, ODD[odd] if odd != 1 else row("ok 2"))
    assert not taken(rows)


def test_a_claim_number_seen_in_an_earlier_block_refuses_the_block():
    validator, blocks = checker()
    assert blocks.check(list(enumerate([row("A-1"), row("A-2")], start=2))) is not None
    before = copy.deepcopy(state(validator))
    assert blocks.check(list(enumerate([row("A-3"), row("a 2")], start=4))) is None
    assert state(validator) == before


def test_a_premium_set_in_an_earlier_block_holds_for_the_next():
    validator, blocks = checker()
    assert blocks.check([(2, row("A-1", premium="")), (3, row("A-2"))]) is not None
    assert validator.term_premiums[next(iter(validator.term_premiums))][1] == 3  # first printed
    assert blocks.check([(4, row("A-3", premium="$60,000.00"))]) is None
    assert blocks.check([(4, row("A-3", premium="50000"))]) is not None


def test_claim_keys_are_claim_key_of_each():
    numbers = ["clm-2023 0041", "CLM20230041", "a" * 70, "Ünï-1", "x"]
    from claims.importers.records import claim_key

    assert claim_keys(numbers) == [claim_key(n) for n in numbers]
    assert claim_keys(numbers[:2] + ["a" * 70]) == [claim_key(n) for n in numbers[:3]]
    assert claim_keys(["A\nB", "C"]) == [claim_key("A\nB"), "C"]
    assert claim_keys([]) == []


VARIANTS = GOOD[:8] + ODD  # a repeated (8 + 1) and a blank (8 + 10) claim number among them


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(0, len(VARIANTS) - 1), min_size=1, max_size=12))
def test_any_block_is_taken_whole_with_the_validators_values_or_left_unchanged(picks):
    rows = []
    for n, pick in enumerate(picks):
        cells = list(VARIANTS[pick])
        if pick not in (8 + 1, 8 + 10):  # keep the repeated and the blank claim numbers
            cells[0] = f"{cells[0]}-{n}"
        rows.append(cells)
    was_taken = taken(rows)  # taken: the validator's values row for row; else no change
    if all(pick < 8 for pick in picks):
        assert was_taken  # plain good rows only


def test_a_whole_file_reads_the_same_through_the_blocks_the_rows_and_the_validator(monkeypatch):
    """Blocks of good rows, blocks with a bad row among them, and the validator's own path."""
    monkeypatch.setattr("claims.importers.BLOCK_ROWS", 7)
    rows = [row(f"CLM-{n}", ind=f"${n},000.00", incurred=f"${n * 1000 + 750:,}.00")
            for n in range(1, 60)]  # fmt: skip
    rows[20] = row("CLM-21", ind="$21,000.00", rec="(25.00)", incurred="$21,725.00")  # validator
    rows[33] = row("CLM-9")  # a duplicate of an earlier block's
    rows[40] = row("CLM-41", ind="$41,000.00", status="Closed", incurred="$41,750.00")

    def read(preview_limit):
        got, result = read_file(rows, preview_limit)
        return got, result.errors, result.terms, result.incurred_convention, result.rows_read

    blocks, general = read(0), read(len(rows))
    assert blocks == general
    assert len(general[0]) == 57 and len(general[1]) == 2, general[1]
    assert general[1] == ["row 35: claim number CLM-9 already appears in row 10",
                          "row 42: closed claim carries reserves"]  # fmt: skip


def test_one_term_written_two_ways_holds_one_premium_from_its_first_row():
    """'2023-01-01 to 2024-01-01' and '01/01/2023 - 01/01/2024' are one term."""
    other_way = "2023-01-01 to 2024-01-01"
    assert taken([row("A", period=other_way, premium="50000"), row("B"), row("C")])
    assert not taken([row("A", period=other_way, premium="60000"), row("B")])
    assert taken([row("A", period=other_way, premium=""), row("B"), row("C", premium="")])
    assert not taken([row("A", premium=""), row("B", period=other_way, premium="1.00"), row("C")])


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (["$1,234.50", "0.00", "7.05"], ([123450, 0, 705], ["1234.50", "0.00", "7.05"])),
        (["1.00\n2.00"], None),  # one cell holding two amounts
        (["1.00", "2.00\n"], None),
        (["1.00", None], None),  # a blank: read cell by cell
        (["1.00", ""], None),
        (["1.0"], None),
        (["-1.00"], None),
        ([1.5], None),
        ([], None),
    ],
)
def test_a_plain_column_is_read_in_one_pass_or_left_to_the_cells(raw, expected):
    from claims.importers.columns import plain_column

    found = plain_column(raw)
    assert (found and (found.cents, found.texts)) == expected


WIDE = [*FIELDS, "cause_of_loss", "description", "adjuster", "driver", "date_closed",
        "valuation_date"]  # fmt: skip


def wide(number, *, closed="", valued="09/30/2026", reported="03/10/2023", cause="Water",
         description="Pipe burst", adjuster="J. Adams", driver="", status="Open", res="$500.00",
         incurred="$1,750.00"):  # fmt: skip
    return [*row(number, reported=reported, status=status, res=res, incurred=incurred),
            cause, description, adjuster, driver, closed, valued]  # fmt: skip


def test_every_text_and_date_column_is_taken_as_the_validator_reads_it():
    rows = [
        wide("W-1"),
        wide("W-2", cause="Fire", description="Kitchen fire, " * 200, adjuster="", driver="B. Ray"),
        wide("W-3", closed="06/30/2023", status="Closed", res="$0.00", incurred="$1,250.00"),
        wide("W-4", reported="03/04/2023"),  # reported the day of the loss
        wide("W-5", valued="03/04/2023"),  # valued the day of the loss
    ]
    assert taken(rows, WIDE)


def test_a_loss_after_its_rows_valuation_date_refuses_the_block():
    assert not taken([wide("W-1"), wide("W-2", valued="03/03/2023")], WIDE)
    assert not taken([wide("W-1"), wide("W-2", reported="03/03/2023")], WIDE)


def test_blocks_in_turn_leave_the_validators_state_as_the_rows_one_by_one():
    """Conventions counted, premiums held and claim numbers seen accumulate over blocks."""
    blocks = [
        [row("A-1", premium=""), row("A-2", exp="$0.00", incurred="$1,700.00")],
        [row("A-3"), row("A-4", rec="$100.00", incurred="$1,750.00")],  # gross
        [
            row(
                "A-5",
                policy="GL-2",
                period="01/01/2024 - 01/01/2025",
                dol="02/02/2024",
                reported="02/03/2024",
                premium="",
            ),
            row("A-6", premium="$50,000.00"),
        ],  # fmt: skip
    ]
    validator, check = checker()
    start = 2
    for block in blocks:
        assert check.check(list(enumerate(block, start=start))) is not None
        start += len(block)
    _, general = general_rows([cells for block in blocks for cells in block])
    assert state(validator) == state(general)
    assert validator.incurred_convention == general.incurred_convention


def test_a_premium_the_validator_took_row_by_row_holds_for_a_block():
    """A term's premium set by the full validator (a block checked row by row) binds the
    blocks after it."""
    validator, check = checker()
    claim, problems = validator.validate(2, row("V-1", rec="(25.00)", incurred="$1,725.00"))
    assert claim is not None and not problems  # a credit: the validator's own row
    assert check.check([(3, row("V-2", premium="$60,000.00"))]) is None
    assert check.check([(3, row("V-2", premium="50000")), (4, row("V-3"))]) is not None
    _, general = general_rows(
        [
            row("V-1", rec="(25.00)", incurred="$1,725.00"),
            row("V-2", premium="50000"),
            row("V-3"),
        ]  # fmt: skip
    )
    assert state(validator) == state(general)

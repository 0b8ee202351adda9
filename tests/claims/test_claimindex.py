"""The duplicate-claim index: exact first rows, and a hash collision is never a duplicate."""

import datetime as dt
import io

import pytest

from claims.importers import TermDefaults, claimindex, read_claims
from claims.importers.claimindex import ClaimIndex
from claims.importers.records import claim_key
from tests.claims.files import csv_bytes

HEAD = ["Claim Number", "Policy Period", "DOL", "Status", "Paid", "Reserves", "Incurred"]
FIELDS = ["claim_number", "policy_period", "date_of_loss", "status", "paid_indemnity",
          "reserves", "total_incurred"]  # fmt: skip


@pytest.fixture(autouse=True, params=["dict", "compact", "moved"])
def mode(request, monkeypatch):
    """Every test three ways: the dict an index starts as, the compact table from the first
    claim, and an index that moves into the compact table after two claims."""
    limit = {"dict": claimindex.COMPACT_FROM, "compact": 1, "moved": 3}[request.param]
    monkeypatch.setattr(claimindex, "COMPACT_FROM", limit)
    return request.param


def colliding_claim_numbers() -> tuple[str, str]:
    """Two claim numbers whose keys differ but share the 32 bits of hash the index keeps
    (found by a birthday search: str hashes change with every process)."""
    seen: dict[int, str] = {}
    for n in range(5_000_000):
        number = f"K{n}"
        hashed = hash(claim_key(number)) & 0xFFFFFFFF
        if hashed in seen:
            return seen[hashed], number
        seen[hashed] = number
    raise AssertionError("no collision found")


def test_the_first_row_of_each_key_is_kept_past_every_resize():
    index = ClaimIndex()
    for n in range(5000):
        assert index.add(f"CLM{n}", n + 2) is None
    assert len(index) == 5000
    assert [index.add(f"CLM{n}", 9999) for n in (0, 777, 4999)] == [2, 779, 5001]
    assert (index.first_row("CLM4321"), index.first_row("CLM5000"), index.first_row("")) == (
        4323,
        None,
        None,
    )
    assert list(index.items())[:2] == [("CLM0", 2), ("CLM1", 3)] and len(index) == 5000


def test_texts_beyond_ascii_are_their_own_keys():
    index = ClaimIndex()
    assert [index.add(key, row) for key, row in (("ÉTÉ1", 2), ("ETE1", 3), ("ÉTÉ1", 4))] == [
        None,
        None,
        2,
    ]
    assert list(index.items()) == [("ÉTÉ1", 2), ("ETE1", 3)]
    same = ClaimIndex()
    same.add("ÉTÉ1", 2), same.add("ETE1", 3)
    assert index == same and index != ClaimIndex()


def test_claim_numbers_whose_hashes_collide_are_two_claims():
    first, second = colliding_claim_numbers()
    assert claim_key(first) != claim_key(second)
    index = ClaimIndex()
    assert (index.add(claim_key(first), 2), index.add(claim_key(second), 3)) == (None, None)
    assert (index.first_row(claim_key(second)), index.add(claim_key(first), 4)) == (3, 2)


def test_an_import_accepts_both_colliding_claims_and_names_the_true_duplicate_exactly():
    first, second = colliding_claim_numbers()
    claims = [first, "C-1", second, "c 1", second.lower()]
    rows = [HEAD] + [
        [number, "01/01/2023 - 01/01/2024", "02/01/2023", "Open", "100.00", "50.00", "150.00"]
        for number in claims
    ]
    taken = []
    result = read_claims(
        io.BytesIO(csv_bytes(rows)),
        fields=FIELDS,
        header_row=1,
        valuation_date=dt.date(2026, 9, 30),
        defaults=TermDefaults(),
        sink=lambda terms, rows: taken.extend(values[2] for values in rows),
    )
    assert taken == [first, "C-1", second]
    assert result.errors == [
        "row 5: claim number c 1 already appears in row 3",
        f"row 6: claim number {second.lower()} already appears in row 4",
    ]


def test_a_block_of_keys_is_added_whole_or_not_at_all():
    first, second = colliding_claim_numbers()
    index = ClaimIndex()
    assert index.add_all(["A", "B", claim_key(first)], [2, 3, 4])
    before = list(index.items())
    assert not index.add_all(["C", "B"], [5, 6])  # B is known
    assert not index.add_all(["D", "E", "D"], [5, 6, 7])  # D twice
    assert list(index.items()) == before
    assert index.add_all(["C", claim_key(second)], [5, 6])  # a colliding hash is another key
    assert [index.first_row(k) for k in ("A", "C", claim_key(first), claim_key(second))] == [
        2, 5, 4, 6,
    ]  # fmt: skip
    assert index.add(claim_key(second), 9) == 6

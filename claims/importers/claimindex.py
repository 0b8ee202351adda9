"""The duplicate-claim index of one import: every claim key read, with the row it first
appeared in, for "claim number X already appears in row N".

A dict of str to int cost about 112 bytes a claim (measured, 100,000 rows: the key's str
59, the row's int 28, the dict's slots 25 and up to twice that after a resize): at the
50 MB upload limit, 600,000 claims, 65 MB or more. `ClaimIndex` keeps the keys as UTF-8 in
one buffer and the rest in arrays of 32-bit numbers (the key's end offset, its first row,
32 bits of its hash), with an open-addressing table of entry numbers: about 16 bytes plus
the key's length a claim, and 4 or 8 more for the table (filled at most half).

The hash only chooses where to look: a key is found only when its bytes are equal, so two
claim numbers whose hashes collide are still two claims.

The compact table costs about 2 µs a claim in Python where a dict costs 0.1 µs, and memory
only matters for the largest files: an index starts as a dict and moves into the compact
table when it reaches COMPACT_FROM claims (a dict of that many is about 17 MB).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator

_EMPTY = -1
_FIRST_SIZE = 1 << 10
_MASK32 = 0xFFFFFFFF
COMPACT_FROM = 150_000  # claims


class ClaimIndex:
    """Claim key -> the row it first appeared in."""

    __hash__ = None  # type: ignore[assignment]  # equal by content, mutable

    def __init__(self) -> None:
        self._keys = bytearray()
        self._ends = array("I")  # entry -> end of its key in _keys
        self._rows = array("I")  # entry -> its first row
        self._hashes = array("I")  # entry -> the key's hash, 32 bits of it
        self._table = array("i", [_EMPTY]) * _FIRST_SIZE  # slot -> entry
        self._small: dict[str, int] | None = {}  # the index until it holds COMPACT_FROM keys

    def __len__(self) -> int:
        return len(self._small) if self._small is not None else len(self._rows)

    def first_row(self, key: str) -> int | None:
        """The row `key` first appeared in; None when it has not been added."""
        if self._small is not None:
            return self._small.get(key)
        entry = self._table[self._slot(key.encode("utf-8", "surrogatepass"), hash(key) & _MASK32)]
        return None if entry == _EMPTY else self._rows[entry]

    def add(self, key: str, row: int) -> int | None:
        """Record that `key` appears in `row`: None when it is new; the row it first appeared
        in when it is not (nothing then changes)."""
        small = self._small
        if small is None:
            return self._add(key, row)
        first = small.get(key)
        if first is not None:
            return first
        small[key] = row
        if len(small) >= COMPACT_FROM:
            self._small = None
            for known, first_row in small.items():
                self._add(known, first_row)
        return None

    def add_all(self, keys: list[str], rows: list[int]) -> bool:
        """Record every key with its row, or none of them: False (nothing changed) when one
        is already known or appears twice among them."""
        if len(set(keys)) != len(keys):
            return False
        small = self._small
        if small is not None and len(small) + len(keys) < COMPACT_FROM:
            if not small.keys().isdisjoint(keys):
                return False
            small.update(zip(keys, rows, strict=True))
            return True
        if any(self.first_row(key) is not None for key in keys):
            return False
        for key, row in zip(keys, rows, strict=True):
            self.add(key, row)
        return True

    def _add(self, key: str, row: int) -> int | None:
        data = key.encode("utf-8", "surrogatepass")
        hashed = hash(key) & _MASK32
        table = self._table
        slot = hashed & (len(table) - 1)
        if table[slot] != _EMPTY:  # the first place looked at is taken (at most half are)
            slot = self._slot(data, hashed)
            entry = table[slot]
            if entry != _EMPTY:
                return self._rows[entry]
        rows = self._rows
        table[slot] = len(rows)
        keys = self._keys
        keys += data
        self._ends.append(len(keys))
        rows.append(row)
        self._hashes.append(hashed)
        if 2 * len(rows) > len(table):
            self._grow()
        return None

    def items(self) -> Iterator[tuple[str, int]]:
        """(key, first row), in the order added."""
        if self._small is not None:
            yield from self._small.items()
            return
        start = 0
        for end, row in zip(self._ends, self._rows, strict=True):
            yield self._keys[start:end].decode("utf-8", "surrogatepass"), row
            start = end

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ClaimIndex):
            return NotImplemented
        return list(self.items()) == list(other.items())

    def _slot(self, data: bytes, hashed: int) -> int:
        """The slot of the key's entry, or the free slot where it would go."""
        table, hashes, ends, keys = self._table, self._hashes, self._ends, self._keys
        mask = len(table) - 1
        slot = hashed & mask
        while (entry := table[slot]) != _EMPTY:
            if (
                hashes[entry] == hashed
                and keys[ends[entry - 1] if entry else 0 : ends[entry]] == data
            ):
                return slot
            slot = (slot + 1) & mask
        return slot

    def _grow(self) -> None:
        table = array("i", [_EMPTY]) * (2 * len(self._table))
        mask = len(table) - 1
        for entry, hashed in enumerate(self._hashes):
            slot = hashed & mask
            while table[slot] != _EMPTY:
                slot = (slot + 1) & mask
            table[slot] = entry
        self._table = table

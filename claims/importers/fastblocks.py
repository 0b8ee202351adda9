"""The fast path a block of rows at a time: plain rows checked column by column.

FastRows (claims.importers.fastrows) checks one row per Python call; most of its time is
the call and the loop, not the rule. FastBlocks runs the same checks over a block's columns
with the interpreter's own loops (`map`, `zip`, `str.join`, one regular expression over a
column's joined amounts), so a plain row costs a few microseconds less. It uses FastRows's
column plan and caches, and the money rules in integer cents exactly as FastRows does them.

All or nothing: `check` takes a block only when every one of its rows is a plain good row
that FastRows.check would take, and changes the validator's cross-row state (claim numbers
seen, incurred conventions, term premiums) only then, exactly as checking its rows one by
one would. On anything else (a blank or odd cell, a broken rule, a repeated claim number)
it returns None without changing anything, and the caller checks the block row by row,
where every problem gets its sentence.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import compress, repeat
from operator import add, attrgetter, eq, itemgetter, le, sub

from claims import rules
from claims.importers.columns import Money, iso_texts, money_column, plain_column, texts_of
from claims.importers.fastrows import (
    AMOUNTS,
    CACHE_LIMIT,
    CONVENTIONS,
    FAIL,
    KEY_TYPES,
    STATUS_CACHE_LIMIT,
    FastRows,
    cents_decimal,
    cents_text,
    read_date,
    status_value,
)
from claims.importers.records import TEXT_LIMITS, TermKey, claim_keys

_KEY_KINDS = frozenset(KEY_TYPES)
_BLANK_OR_TEXT = frozenset((str, type(None)))
_first, _text, _ordinal = itemgetter(0), itemgetter(1), itemgetter(2)
_first_day, _last_day = attrgetter("first"), attrgetter("last")

# Slots of FastRows's amounts (claims.importers.fastrows.AMOUNTS order).
_MEDICAL, _EXPENSE, _RECOVERIES, _RESERVES, _PREMIUM = map(
    AMOUNTS.index, ("paid_medical", "paid_expense", "recoveries", "reserves", "premium")
)


class FastBlocks:
    """Checks whole blocks of plain rows with a FastRows's plan, caches and validator."""

    def __init__(self, fast: FastRows):
        self.fast = fast
        used = [
            fast.claim_number,
            fast.status,
            *fast.dates,
            *fast.term_indexes,
            *fast.amount_indexes,
            *(index for index, _limit in fast.texts),
        ]
        self.width = max(used) + 1
        self.usable = min(fast.claim_number, fast.status, fast.dates[0]) >= 0

    def check(self, block: list[tuple[int, list]]) -> tuple[list[TermKey], list[tuple]] | None:
        """(each row's term, each row's insert values) when every row of the block is a plain
        good row; None, with nothing changed, otherwise."""
        if not self.usable or not block:
            return None
        fast = self.fast
        width = self.width
        numbers = list(map(_first, block))
        rows = list(map(_text, block))
        if min(map(len, rows)) < width:  # trailing blank cells are not in the row
            pad = [None] * width
            rows = [cells if len(cells) >= width else cells + pad[len(cells) :] for cells in rows]

        def column(index: int) -> list:
            return list(map(itemgetter(index), rows))

        claim_numbers = texts_of(column(fast.claim_number), TEXT_LIMITS["claim_number"])
        if not all(claim_numbers):
            return None
        raw_statuses = column(fast.status)
        statuses = self._statuses(raw_statuses)
        if statuses is None:
            return None
        dates: list[list | None] = [None, None, None, None]  # loss, reported, closed, valued
        for slot, index in fast.mapped_dates:
            dates[slot] = self._dates(column(index))
            if dates[slot] is None:
                return None
        loss, reported, closed, valued = dates
        if loss is None or None in loss:
            return None
        terms = self._terms(rows)
        if terms is None:
            return None
        money: list[Money | None] = [None] * len(AMOUNTS)  # None: not in the file
        premiums: list | None = None
        for slot, index in fast.single:
            if slot == _PREMIUM:
                premiums = self._values(column(index))
                if premiums is None:
                    return None
            else:
                money[slot] = self._money(column(index))
                if money[slot] is None:
                    return None
        for slot, indexes in fast.several:
            values = [fast._summed(cells, width, indexes) for cells in rows]
            if FAIL in values:
                return None
            if slot == _PREMIUM:
                premiums = values
            else:
                money[slot] = money_column(values)
        checked = self._money_rules(money, statuses)
        if checked is None:
            return None
        indemnity, incurred_texts, fits = checked
        loss_days = list(map(_ordinal, loss))
        lags = self._dates_rules(loss_days, reported, valued, terms)
        if lags is None:
            return None
        new_premiums = self._premiums(premiums, terms, numbers) if premiums is not None else {}
        if new_premiums is None:
            return None
        keys = claim_keys(claim_numbers)
        validator = fast.validator
        if not validator.seen_claims.add_all(keys, numbers):
            return None
        # Every row is good: the cross-row state as row-by-row checking leaves it.
        tally = validator.convention_tally
        for name, count in fits:
            tally[name] += count
        for term, (cents, number) in new_premiums.items():
            if term.premium is None:
                term.premium = cents
            if number and term.key not in validator.term_premiums:
                validator.term_premiums[term.key] = (cents_decimal(cents), number)
        texts: list[Iterable[str]] = [repeat(""), repeat(""), repeat(""), repeat(""), repeat("")]
        for slot, index, limit in fast.mapped_texts:
            texts[slot] = texts_of(column(index), limit)
        zeros = repeat("0.00")
        values = list(
            zip(
                keys,
                lags,
                claim_numbers,
                map(_text, loss),
                iso_texts(reported),
                statuses,
                texts[0],
                texts[1],
                texts[2],
                indemnity.texts if indemnity else zeros,
                *(money[s].texts if money[s] else zeros for s in (_MEDICAL, _EXPENSE)),  # type: ignore[union-attr]
                *(money[s].texts if money[s] else zeros for s in (_RECOVERIES, _RESERVES)),  # type: ignore[union-attr]
                incurred_texts,
                texts_of(raw_statuses, TEXT_LIMITS["status"]),
                iso_texts(closed),
                texts[3],
                texts[4],
                strict=False,  # the repeat()s of columns the file does not have
            )
        )
        return [term.key for term in terms], values

    # --- columns ---------------------------------------------------------------------------

    def _statuses(self, raw: list) -> list[str] | None:
        cache = self.fast._status_cache
        for value in set(raw).difference(cache):
            if value.__class__ is not str or len(cache) >= STATUS_CACHE_LIMIT:
                return None
            cache[value] = status_value(value)
        statuses = list(map(cache.__getitem__, raw))
        return None if None in statuses else statuses  # type: ignore[return-value]

    def _dates(self, raw: list) -> list | None:
        """(date, ISO text, ordinal) or None (blank) per cell; None when a cell is not a date.
        Loss runs repeat dates: each distinct cell is read once, and checked once."""
        fast = self.fast
        cache = fast._date_cache
        unique = set(raw)
        if set(map(type, unique)) <= _KEY_KINDS:
            missing = unique.difference(cache)
            if len(cache) + len(missing) <= CACHE_LIMIT:
                for value in missing:
                    cache[value] = read_date(value)
                if FAIL in map(cache.__getitem__, unique):
                    return None
                return list(map(cache.__getitem__, raw))
        found = [fast._date(value) for value in raw]
        return None if FAIL in found else found

    def _terms(self, rows: list[list]) -> list | None:
        fast = self.fast
        if fast.term_indexes:
            keys = list(zip(*(map(itemgetter(i), rows) for i in fast.term_indexes), strict=True))
        else:
            keys = [()] * len(rows)
        cache = fast._term_cache
        missing = set(keys).difference(cache)
        if missing:
            if len(cache) + len(missing) > CACHE_LIMIT:
                return None
            for key, cells in zip(keys, rows, strict=True):
                if key in missing and key not in cache:
                    cache[key] = fast.new_term(key, cells)
        if FAIL in map(cache.__getitem__, set(keys)):
            return None
        return list(map(cache.__getitem__, keys))

    def _values(self, raw: list) -> list | None:
        """(cents, text) or None (blank) per cell, as FastRows reads amounts; None when one
        is not a plain non-negative amount."""
        fast = self.fast
        if set(map(type, raw)) <= _BLANK_OR_TEXT:
            unique = set(raw)
            unique.discard(None)
            table = fast.amount_table(unique)
            values = [table[value] if value is not None else None for value in raw]
        else:
            values = [fast._amount(value) for value in raw]
        return None if FAIL in values else values

    def _money(self, raw: list) -> Money | None:
        """The column's amounts; a column of plain amounts is read in one pass over its text."""
        plain = plain_column(raw)
        if plain is not None:
            return plain
        values = self._values(raw)
        return None if values is None else money_column(values)

    # --- rules -----------------------------------------------------------------------------

    def _money_rules(
        self, money: list[Money | None], statuses: list[str]
    ) -> tuple[Money | None, list[str], list[tuple[str, int]]] | None:
        """FastRows's money rules over the columns: (the indemnity column, each row's
        incurred text, how many rows fit each convention); None when a row breaks one."""
        size = len(statuses)
        zeros = [0] * size
        indemnity, medical, expense, total_paid, recoveries, reserves, printed, _ = money
        if (total_paid and total_paid.blank) or (printed and printed.blank):
            return None  # a row without them is checked as FastRows checks it, row by row
        medical_c = medical.cents if medical else zeros
        expense_c = expense.cents if expense else zeros
        recoveries_c = recoveries.cents if recoveries else zeros
        reserves_c = reserves.cents if reserves else zeros
        if total_paid is not None:
            if not self.fast.split_paid:
                indemnity = total_paid
            else:
                split = list(
                    map(
                        add, map(add, indemnity.cents if indemnity else zeros, medical_c), expense_c
                    )
                )
                if not all(
                    paid == whole or paid == whole - back
                    for paid, whole, back in zip(total_paid.cents, split, recoveries_c, strict=True)
                ):
                    return None
        indemnity_c = indemnity.cents if indemnity else zeros
        refused = {s for s in set(statuses) if not rules.carries_reserves_allowed(s)}
        if refused and any(compress(reserves_c, map(refused.__contains__, statuses))):
            return None  # reserves (never negative here) on a closed or denied claim
        gross = list(map(add, map(add, indemnity_c, medical_c), map(add, expense_c, reserves_c)))
        expected = list(map(sub, gross, recoveries_c))
        if printed is None:
            return indemnity, list(map(cents_text, expected)), []
        sums = [
            expected,
            gross,
            list(map(sub, expected, expense_c)),
            list(map(sub, gross, expense_c)),
        ]
        if total_paid is not None:
            paid_c = total_paid.cents
            sums.append(list(map(add, paid_c, reserves_c)))
            sums.append(list(map(add, map(sub, paid_c, recoveries_c), reserves_c)))
        hits = [list(map(eq, printed.cents, one)) for one in sums]
        if not all(map(any, zip(*hits, strict=True))):
            return None
        fits = [
            (name, n)
            for name, row_hits in zip(CONVENTIONS, hits, strict=False)
            if (n := sum(row_hits))
        ]
        if all(hits[0]):  # the domain's own sum printed on every row
            return indemnity, printed.texts, fits
        texts = [
            text if hit else cents_text(cents)
            for text, hit, cents in zip(printed.texts, hits[0], expected, strict=True)
        ]
        return indemnity, texts, fits

    def _dates_rules(self, loss: list[int], reported: list | None, valued: list | None,
                     terms: list) -> list[int | None] | Iterable[None] | None:  # fmt: skip
        """Each row's report lag in days; None when a date rule is broken: reported before
        the loss, a loss after the valuation date or outside the row's term."""
        lags: list[int | None] | Iterable[None] = repeat(None)
        if reported is not None:
            if None in reported:
                lags = [
                    day[2] - lost if day else None for day, lost in zip(reported, loss, strict=True)
                ]
                if any(lag is not None and lag < 0 for lag in lags):
                    return None
            else:
                lags = list(map(sub, map(_ordinal, reported), loss))
                if min(lags) < 0:
                    return None
        last = self.fast.validator.valuation_date.toordinal()
        if valued is not None and any(
            lost > (day[2] if day else last) for lost, day in zip(loss, valued, strict=True)
        ):
            return None
        if valued is None and max(loss) > last:
            return None
        distinct = set(terms)
        if len(distinct) == 1:
            term = distinct.pop()
            if not (term.first <= min(loss) and max(loss) <= term.last):
                return None
        elif not (
            all(map(le, map(_first_day, terms), loss)) and all(map(le, loss, map(_last_day, terms)))
        ):
            return None
        return lags

    def _premiums(self, premiums: list, terms: list, numbers: list[int]) -> dict | None:
        """The premium each term prints in the block, after it, as {term: (cents, the row that
        first printed it, 0 when the validator knew it before)}; None when a row prints
        another. A term has one premium: the first row that prints it sets it. (Two _Terms
        may stand for one TermKey, read from differently written cells.)"""
        if None in premiums:  # printed on some rows only
            pairs = [
                (term, value[0], number)
                for value, term, number in zip(premiums, terms, numbers, strict=True)
                if value is not None
            ]
        else:  # each (term, premium) where it first appears, in the rows' order
            printed = dict.fromkeys(zip(terms, map(_first, premiums), strict=True))
            pairs = [(term, cents, numbers[terms.index(term)]) for term, cents in printed]
        known_before = self.fast.validator.term_premiums
        held: dict[TermKey, tuple[int, int]] = {}
        for term, cents, number in pairs:
            key = term.key
            known = held.get(key)
            if known is None:
                if term.premium is not None:
                    known = (term.premium, 0)
                elif key in known_before:
                    known = (int(known_before[key][0].scaleb(2)), 0)
                else:
                    known = (cents, number)
                held[key] = known
            if known[0] != cents:
                return None
        return {term: held[term.key] for term, _, _ in pairs}

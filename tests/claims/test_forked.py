"""A large file read and checked in a forked child gives exactly what reading it here gives:
the same blocks to the sink, the same counts, sentences and terms, the same progress calls,
the child's exceptions raised here; and the child never outlives a failure of this process."""

import io
import os

import pytest

from claims.importers import ReadResult, TermDefaults, UnreadableFile, forked, read_claims
from tests.claims.test_fastrows import FIELDS, VALUED, csv_file, normal, row


def rows():
    found = [row(f"CLM-{n}", ind=f"${n * 1000:,}.00", incurred=f"${n * 1000 + 750:,}.00")
             for n in range(1, 1300)]  # fmt: skip
    found[20] = row("CLM-21", ind="$21,000.00", rec="(25.00)", incurred="$21,725.00")
    found[700] = row("CLM-9")  # a duplicate
    found[1000] = row("CLM-1001", ind="$1,001,000.00", status="Closed", incurred="$1,001,750.00")
    return found


def read(reader, data, **options):
    blocks, progress = [], []
    result = reader(
        data,
        fields=FIELDS,
        header_row=1,
        valuation_date=VALUED,
        defaults=TermDefaults(),
        sink=lambda terms, values: blocks.append(
            [(t, normal(v)) for t, v in zip(terms, values, strict=True)]
        ),
        progress=progress.append,
        result=ReadResult(),
        **options,
    )
    fields = (result.rows_read, result.bad_rows, result.errors, result.error_count,
              result.terms, result.incurred_convention, result.preview, result.last_row)  # fmt: skip
    return blocks, progress, fields


@pytest.mark.parametrize("preview_limit", [0, 5])
def test_the_child_reads_a_file_as_this_process_does(preview_limit, monkeypatch):
    monkeypatch.setattr("claims.importers.PROGRESS_EVERY", 500)
    here = read(read_claims, csv_file(rows()), preview_limit=preview_limit)
    there = read(forked.read_claims_forked, csv_file(rows()), preview_limit=preview_limit)
    assert there == here
    blocks, progress, fields = there
    assert [len(block) for block in blocks] == [499, 499, 299] and progress == [1000, 1300]
    assert fields[1] == 2 and fields[2] == [
        "row 702: claim number CLM-9 already appears in row 10",
        "row 1002: closed claim carries reserves",
    ]


def test_the_childs_exception_is_raised_here():
    with pytest.raises(UnreadableFile, match="neither CSV nor XLSX"):
        read(forked.read_claims_forked, io.BytesIO(b"\x00\x01binary" * 100))


def test_a_failure_here_ends_the_child_before_it_goes_on(monkeypatch):
    children = []
    real_fork = os.fork

    def fork():
        pid = real_fork()
        children.append(pid)
        return pid

    monkeypatch.setattr(forked.os, "fork", fork)

    def sink(terms, values):
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError, match="went away"):
        forked.read_claims_forked(csv_file(rows()), fields=FIELDS, header_row=1,
                                  valuation_date=VALUED, defaults=TermDefaults(), sink=sink)  # fmt: skip
    with pytest.raises(ChildProcessError):
        os.waitpid(children[0], os.WNOHANG)  # already waited for: no zombie, no orphan


def test_a_child_that_dies_is_an_error_not_a_short_import(monkeypatch):
    monkeypatch.setattr(forked, "_child", lambda writer, fileobj, options: os._exit(3))
    with pytest.raises(RuntimeError, match="stopped before its end"):
        read(forked.read_claims_forked, csv_file(rows()))


def test_only_large_csv_files_on_a_second_core_are_read_in_a_child(monkeypatch):
    big = io.BytesIO(b"x" * forked.FORK_FROM_BYTES)
    big.seek(10)
    assert forked.forks(big) and big.tell() == 10  # the position is kept
    assert not forked.forks(io.BytesIO(b"x" * (forked.FORK_FROM_BYTES - 1)))
    assert not forked.forks(io.BytesIO(b"PK\x03\x04" + b"x" * forked.FORK_FROM_BYTES))  # XLSX
    monkeypatch.setattr(forked, "_cores", lambda: 1)
    assert not forked.forks(big)


def test_an_exception_that_cannot_travel_arrives_as_its_words(monkeypatch):
    class Stubborn(Exception):
        def __init__(self, first, second):
            super().__init__(f"{first} and {second}")

    def broken(*args, **kwargs):
        raise Stubborn("one", "two")

    monkeypatch.setattr(forked, "read_claims", broken)
    with pytest.raises(RuntimeError, match="Stubborn: one and two"):
        read(forked.read_claims_forked, csv_file(rows()))

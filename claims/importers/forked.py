"""Reading and checking a large file in a child process while this one stores its rows.

Python runs one thread at a time, and a large import spends about as long reading and
checking rows as the database spends storing them: a thread of its own for the INSERTs was
measured and does not help (the two threads take turns holding the interpreter, and the
statements' 12,000 values each are bound holding it). So on a machine with a second core,
a large file is read and checked by a forked child, which runs `read_claims` itself,
unchanged, and sends each block's good rows through a pipe; this process stores them as
they come. Everything the caller sees is as with `read_claims` in this process: the sink
gets the same blocks in the same order, `result` the same counts and sentences, progress the
same calls, and the child's exceptions (UnreadableFile and the rest) are raised here.

The child only reads the file and checks rows: it makes no database statement (it never
touches the connection it inherits) and ends with os._exit, so nothing of this process is
flushed or closed twice. If this process fails while the rows stream (a refused INSERT, a
worker shut down), the child is killed and waited for before the exception goes on.
"""

from __future__ import annotations

import dataclasses
import fcntl
import os
import pickle
import signal
from collections.abc import Callable
from multiprocessing import Pipe
from typing import IO, Any

from claims.importers import ReadResult, collector_paused, read_claims
from claims.importers.readers import is_xlsx

FORK_FROM_BYTES = 2 * 1024 * 1024  # smaller files: the fork would cost more than it saves
PIPE_BYTES = 1 << 20

__all__ = ["FORK_FROM_BYTES", "forks", "read_claims_forked"]


def forks(fileobj: IO[bytes]) -> bool:
    """Whether a file is read in a child: a large CSV, with a second core and fork().

    Not a workbook: reading one is openpyxl's XML parsing nearly all the way, so the inserts
    wait for it either way (100,000 rows forked: 0.71x raw openpyxl, as in this process),
    and a child parsing a 50 MB workbook would hold its shared strings beside this process
    (each about 160 MB at the peak, measured) for no gain."""
    if not hasattr(os, "fork") or _cores() < 2:
        return False
    position = fileobj.tell()
    fileobj.seek(0)
    head = fileobj.read(4)
    size = fileobj.seek(0, os.SEEK_END)
    fileobj.seek(position)
    return size >= FORK_FROM_BYTES and not is_xlsx(head)


def _cores() -> int:
    """The cores this process may run on (Linux), else the machine's."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def read_claims_forked(
    fileobj: IO[bytes],
    *,
    sink: Callable[[list, list[tuple]], None] | None = None,
    progress: Callable[[int], None] | None = None,
    result: ReadResult | None = None,
    **options: Any,
) -> ReadResult:
    """read_claims (the same keywords and answer), its reading and checking in a child."""
    result = ReadResult() if result is None else result
    reader, writer = Pipe(duplex=False)
    _widen(writer.fileno())
    pid = os.fork()
    if pid == 0:  # pragma: no cover  (the child: its coverage is not collected)
        reader.close()
        _child(writer, fileobj, options)
    writer.close()
    try:
        with collector_paused():
            return _parent(reader, result, sink, progress)
    except BaseException:
        os.kill(pid, signal.SIGKILL)
        raise
    finally:
        reader.close()
        os.waitpid(pid, 0)


def _widen(pipe: int) -> None:
    """A pipe of 1 MB where the system allows it (Linux), not 64 KB: the child writes a
    block's rows (about 200 KB) and goes on with the next while this process reads them."""
    try:
        fcntl.fcntl(pipe, getattr(fcntl, "F_SETPIPE_SZ", 1031), PIPE_BYTES)
    except OSError:  # a smaller system limit: the pipe as it is
        return


def _child(writer: Any, fileobj: IO[bytes], options: dict) -> None:
    """Run read_claims, sending its blocks, progress and answer (or exception) up the pipe."""
    try:
        found = ReadResult()

        def sink(terms: list, values: list[tuple]) -> None:
            writer.send(("rows", terms, values, found.bad_rows))

        def progress(row_number: int) -> None:
            writer.send(("progress", row_number))

        read_claims(fileobj, sink=sink, progress=progress, result=found, **options)
        writer.send(("done", found))
    except BaseException as exc:  # every failure is the parent's to raise
        writer.send(("error", _sendable(exc)))
    finally:
        writer.close()
        os._exit(0)


def _sendable(exc: BaseException) -> BaseException:
    """The exception itself when it travels through pickle (UnreadableFile does), else a
    RuntimeError with its class and words."""
    try:
        pickle.loads(pickle.dumps(exc))  # noqa: S301  (our own bytes, not a user's)
    except Exception:  # any failure to pickle or rebuild it
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc


def _parent(
    reader: Any,
    result: ReadResult,
    sink: Callable[[list, list[tuple]], None] | None,
    progress: Callable[[int], None] | None,
) -> ReadResult:
    while True:
        try:
            message = reader.recv()
        except EOFError:
            raise RuntimeError("The process reading the file stopped before its end.") from None
        kind = message[0]
        if kind == "rows":
            result.bad_rows = message[3]  # the sink may look at it (nothing kept after one)
            if sink is not None:
                sink(message[1], message[2])
        elif kind == "progress":
            if progress is not None:
                progress(message[1])
        elif kind == "done":
            for field in dataclasses.fields(ReadResult):
                setattr(result, field.name, getattr(message[1], field.name))
            return result
        else:
            raise message[1]

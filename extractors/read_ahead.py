"""Files read in a second process while this one starts the normalizers.

`roadmap extract FILE` spent a third of a short PDF's time before its first page was read:
the interpreter importing pydantic, the schema and the normalizers, and pymorphy3 loading
its dictionary. A reader process (`python -m extractors.read_ahead`, which imports the
extractors only) reads the files in order meanwhile and hands each RawDocument back through
a pipe, so on two cores that start-up and the reading overlap, and over many files
normalizing one overlaps reading the next. The wait is shorter; a little more CPU is spent
(the second interpreter's own start-up and imports, ≈ 0.1 CPU-s).

On a single core there is nothing to overlap, and a second interpreter only costs its own
start-up (≈ 0.1 CPU-s): the files are then read in this process.

The reader is our own child: its pickles are trusted. If it dies (a crash in a native
library), the files it had not handed back are read here, one by one, so each still gets
its own result or error.
"""
from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path
from types import TracebackType
from typing import Iterator, Optional, Sequence, Union

from extractors.raw import ExtractionError, RawDocument

Read = tuple[Path, Union[RawDocument, BaseException]]
_SEPARATOR = b"\0"
_PROJECT_ROOT = Path(__file__).resolve().parents[1]


def read_here(paths: Sequence[Path]) -> Iterator[Read]:
    """Each file read in this process: its RawDocument, or the exception reading raised."""
    from extractors.read import read_raw

    for path in paths:
        try:
            yield path, read_raw(path)
        except Exception as exc:  # reported per file by the caller; the batch goes on
            yield path, exc


class read_ahead:
    """`with read_ahead(paths) as reading: for path, raw_or_error in reading: …` — the
    reader process starts on entry and is stopped on exit, read to the end or not."""

    def __init__(self, paths: Sequence[Path]) -> None:
        self.paths = list(paths)
        self._process: Optional[subprocess.Popen] = None

    def __enter__(self) -> "read_ahead":
        if self.paths and spare_core():
            self._process = _start_reader(self.paths)
        return self

    def __exit__(self, exc_type: Optional[type[BaseException]], exc: Optional[BaseException],
                 tb: Optional[TracebackType]) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        process.stdout.close()
        if process.poll() is None:
            process.kill()
        process.wait()

    def __iter__(self) -> Iterator[Read]:
        process = self._process
        for n, path in enumerate(self.paths):
            got = _receive(process) if process is not None else None
            if got is None or got[0] != str(path):
                yield from read_here(self.paths[n:])  # the reader is gone: the rest are read here
                return
            yield path, got[1]


# The reader `start_reader` started before the paths were known, waiting for them.
_waiting: Optional[subprocess.Popen] = None


def spare_core() -> bool:
    """Whether this process may run on more than one core (a reader would have one to itself)."""
    try:
        return len(os.sched_getaffinity(0)) > 1
    except AttributeError:  # no affinity call on this platform
        return (os.cpu_count() or 1) > 1


def start_reader() -> None:
    """Start the reader now, before the command line is parsed: it loads the PDF reader
    while this process imports the rest, and waits for its paths (none when the command
    stops first: it then ends with nothing to read)."""
    global _waiting
    if _waiting is None and spare_core():
        _waiting = _spawn()


def _spawn() -> Optional[subprocess.Popen]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(_PROJECT_ROOT), env.get("PYTHONPATH")]))
    try:
        return subprocess.Popen([sys.executable, "-m", "extractors.read_ahead"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, env=env)
    except OSError:
        return None


def _start_reader(paths: Sequence[Path]) -> Optional[subprocess.Popen]:
    """A reader (the one waiting, else a new one) with the paths on its standard input;
    None if none can start."""
    global _waiting
    process, _waiting = _waiting, None
    if process is None or process.poll() is not None:
        process = _spawn()
    if process is None:
        return None
    try:
        process.stdin.write(_SEPARATOR.join(os.fsencode(p) for p in paths))
        process.stdin.close()
    except OSError:
        process.kill()
        process.wait()
        return None
    return process


def _receive(process: subprocess.Popen) -> Optional[tuple[str, Union[RawDocument, BaseException]]]:
    try:
        return pickle.load(process.stdout)
    except (EOFError, OSError, pickle.UnpicklingError):
        return None


def _portable(exc: BaseException) -> BaseException:
    """The exception itself when it survives pickling, else one that says the same."""
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:
        if isinstance(exc, ExtractionError):
            return ExtractionError(str(exc))
        return RuntimeError(f"{type(exc).__name__}: {exc}")


def main() -> None:
    """The reader: paths on standard input, one pickled (path, RawDocument | exception) per
    file on standard output, in order. Anything else that writes to standard output (a
    library's stray print) is sent to standard error instead, off the pipe. The readers
    load before the paths are read: a reader started early loads while its caller starts."""
    import gc

    import pdfplumber  # noqa: F401  (most orders are PDFs; imported while the paths are not yet known)

    from extractors.read import read_raw

    # pdfplumber makes a dict per glyph, all alive until the page is done: with the default
    # thresholds the cyclic collector walks them and every imported module again and again
    # (as pipeline/collector.py says for the whole CLI). What is imported is frozen out of its
    # reach, and young objects are collected every 10,000 allocations, not 700.
    gc.freeze()
    gc.set_threshold(10_000, *gc.get_threshold()[1:])

    paths = [os.fsdecode(p) for p in sys.stdin.buffer.read().split(_SEPARATOR) if p]
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())

    for path in paths:
        try:
            got: Union[RawDocument, BaseException] = read_raw(path)
        except Exception as exc:
            got = _portable(exc)
        try:
            pickle.dump((path, got), out, protocol=pickle.HIGHEST_PROTOCOL)
            out.flush()
        except BrokenPipeError:  # the caller stopped reading
            return


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:  # the caller was interrupted too and says so
        sys.exit(130)

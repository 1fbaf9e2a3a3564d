"""Files read in a second process while this one starts the normalizers.

`roadmap extract FILE` spent a third of a short PDF's time before its first page was read:
the interpreter importing pydantic, the schema and the normalizers, and pymorphy3 loading
its dictionary. A reader process (which imports the extractors only) reads the files in
order meanwhile and hands each RawDocument back through a pipe, so on two cores that
start-up and the reading overlap, and over many files normalizing one overlaps reading the
next. The wait is shorter; a little more CPU is spent (the reader's own imports).

A reader started at the very start of the program (`start_reader`, from cli/launch.py) is
forked: no second interpreter to start, and it begins importing pdfplumber before this
process has imported anything else — on a short PDF the reader, not the normalizers' start,
is what the user waits for. Anywhere else (a process that has started threads, a platform
without fork, a reader wanted later) it is spawned as `python -m extractors.read_ahead`.
This module imports nothing beyond `os` and `sys` until a reader is wanted, so forking
costs the program nothing before it starts.

On a single core there is nothing to overlap, and a second process only costs its own
start-up: the files are then read in this process.

The reader is our own child: its pickles are trusted. If it dies (a crash in a native
library), the files it had not handed back are read here, one by one, so each still gets
its own result or error.
"""
from __future__ import annotations

import os
import sys
from typing import IO, TYPE_CHECKING, Iterator, Optional, Sequence, Union

if TYPE_CHECKING:
    import subprocess
    from pathlib import Path
    from types import TracebackType

    from extractors.raw import RawDocument

Read = tuple["Path", Union["RawDocument", BaseException]]
_SEPARATOR = b"\0"
_PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


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
_waiting: Optional[Reader] = None


class _Forked:
    """A reader forked from this process: what read_ahead asks of a subprocess.Popen (its
    pipes, poll, kill, wait), for a child that was never exec'd."""

    def __init__(self, pid: int, stdin: IO[bytes], stdout: IO[bytes]) -> None:
        self.pid, self.stdin, self.stdout = pid, stdin, stdout
        self.returncode: Optional[int] = None

    def poll(self) -> Optional[int]:
        if self.returncode is None:
            self._reap(os.WNOHANG)
        return self.returncode

    def wait(self) -> int:
        if self.returncode is None:
            self._reap(0)
        return self.returncode

    def kill(self) -> None:
        if self.returncode is None:
            import signal

            os.kill(self.pid, signal.SIGKILL)

    def _reap(self, options: int) -> None:
        try:
            pid, status = os.waitpid(self.pid, options)
        except ChildProcessError:  # reaped elsewhere (SIGCHLD ignored): as subprocess does, 0
            self.returncode = 0
            return
        if pid:
            self.returncode = os.waitstatus_to_exitcode(status)


Reader = Union["subprocess.Popen", _Forked]


def spare_core() -> bool:
    """Whether this process may run on more than one core (a reader would have one to itself)."""
    try:
        return len(os.sched_getaffinity(0)) > 1
    except AttributeError:  # no affinity call on this platform
        return (os.cpu_count() or 1) > 1


def start_reader() -> None:
    """Start the reader now, at the start of the program, before the command line is
    parsed: it loads the PDF reader while this process imports the rest, and waits for its
    paths (none when the command stops first: it then ends with nothing to read). Forked
    when this process may fork safely, else spawned."""
    global _waiting
    if _waiting is None and spare_core():
        _waiting = (_fork() if may_fork() else None) or _spawn()


def may_fork() -> bool:
    """Forking without exec is safe while this process runs one thread (a lock held by
    another thread would stay held in the child forever); not on platforms without fork."""
    threading = sys.modules.get("threading")
    return hasattr(os, "fork") and (threading is None or threading.active_count() == 1)


def _fork() -> Optional[_Forked]:
    paths_in, paths_out = os.pipe()
    reads_in, reads_out = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        pid = os.fork()
    except OSError:
        for fd in (paths_in, paths_out, reads_in, reads_out):
            os.close(fd)
        return None
    if pid == 0:  # the reader: it never returns into the program that forked it
        code = 1
        try:
            os.close(paths_out)
            os.close(reads_in)
            serve(os.fdopen(paths_in, "rb"), os.fdopen(reads_out, "wb"))
            code = 0
        except KeyboardInterrupt:  # the program was interrupted too and says so
            code = 130
        except BaseException:  # noqa: BLE001 - told on standard error; the caller reads the rest itself
            import traceback

            traceback.print_exc()
        finally:
            sys.stderr.flush()
            os._exit(code)
    os.close(paths_in)
    os.close(reads_out)
    return _Forked(pid, os.fdopen(paths_out, "wb"), os.fdopen(reads_in, "rb"))


def _spawn() -> Optional[subprocess.Popen]:
    import subprocess

    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [_PROJECT_ROOT, env.get("PYTHONPATH")]))
    try:
        return subprocess.Popen([sys.executable, "-m", "extractors.read_ahead"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, env=env)
    except OSError:
        return None


def _start_reader(paths: Sequence[Path]) -> Optional[Reader]:
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


def _receive(process: Reader) -> Optional[tuple[str, Union[RawDocument, BaseException]]]:
    import pickle

    try:
        return pickle.load(process.stdout)
    except (EOFError, OSError, pickle.UnpicklingError):
        return None


def _portable(exc: BaseException) -> BaseException:
    """The exception itself when it survives pickling, else one that says the same."""
    import pickle

    from extractors.raw import ExtractionError

    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:
        if isinstance(exc, ExtractionError):
            return ExtractionError(str(exc))
        return RuntimeError(f"{type(exc).__name__}: {exc}")


def serve(paths_in: IO[bytes], out: IO[bytes]) -> None:
    """The reader: paths from `paths_in` (the caller closes its end when all are written),
    one pickled (path, RawDocument | exception) per file to `out`, in order. Anything else
    that writes to standard output (a library's stray print) is sent to standard error
    instead, away from the caller's output. The readers load before the paths are read: a
    reader started early loads while its caller starts."""
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # first: a forked reader holds the caller's standard output

    import gc
    import pickle

    import pdfplumber  # noqa: F401  (most orders are PDFs; imported while the paths are not yet known)

    from extractors.read import read_raw

    # pdfplumber makes a dict per glyph, all alive until the page is done: with the default
    # thresholds the cyclic collector walks them and every imported module again and again
    # (as pipeline/collector.py says for the whole CLI). What is imported is frozen out of its
    # reach, and young objects are collected every 10,000 allocations, not 700.
    gc.freeze()
    gc.set_threshold(10_000, *gc.get_threshold()[1:])

    paths = [os.fsdecode(p) for p in paths_in.read().split(_SEPARATOR) if p]
    paths_in.close()

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


def main() -> None:
    """`python -m extractors.read_ahead`: a spawned reader, paths on standard input, reads
    on standard output."""
    serve(sys.stdin.buffer, os.fdopen(os.dup(sys.stdout.fileno()), "wb"))


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:  # the caller was interrupted too and says so
        sys.exit(130)

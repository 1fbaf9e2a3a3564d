"""The project's regular expressions, compiled once per machine rather than once per process.

`re.compile` parses a pattern and generates its matcher in Python (≈ 0.2 ms a pattern):
the normalizers' ≈ 190 patterns cost every process ≈ 40 ms before it reads a word — a
seventh of `roadmap extract`'s start-up on a short order, and again in every ingest worker.
What the compiler produces is plain data (a list of integers and the group names), which
the regex engine's own constructor (`_sre.compile`, which validates it) turns back into
the same Pattern. `compiled` keeps that data in a cache file beside the bytecode
(`language/__pycache__/`, written when Python writes bytecode there: not under
PYTHONDONTWRITEBYTECODE, not where the folder is read-only), keyed by the interpreter's
version and the engine's magic number, and written at exit when a pattern was new.

A pattern is cached only after the engine built from the data compares equal (same
pattern, flags and code) to what `re.compile` returns, so a Python whose compiler works
differently simply gets no cache. Anything else wrong — no file, another interpreter, a
file that does not load, a value the engine refuses — falls back to `re.compile`. The file
is trusted as the bytecode beside it is.
"""
from __future__ import annotations

import atexit
import marshal
import os
import re
import sys
from array import array
from typing import Optional, Union

try:  # CPython's engine and compiler; elsewhere every pattern goes to re.compile
    import _sre
    from re import _compiler, _parser
except ImportError:  # pragma: no cover - other interpreters
    _sre = None

# (flags, code, groups, groupindex, indexgroup): _sre.compile's arguments after the pattern, the
# code as the bytes of an array of unsigned ints (read as a whole, turned into a list when used)
Parts = tuple
_CODE_TYPE = "I"
_FORMAT = 2  # of the cache file's entries: bumped when Parts changes
_KEY = (_FORMAT, sys.hexversion, getattr(_sre, "MAGIC", None), sys.implementation.cache_tag)
_CACHE_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "__pycache__",
                           f"patterns.{sys.implementation.cache_tag}.marshal")

_MAX_ENTRIES = 4000  # beyond this the file starts again from one process's patterns
_known: Optional[dict[tuple[str, int], Parts]] = None
_new: dict[tuple[str, int], re.Pattern] = {}  # compiled here afresh: their parts are worked out when saved
_here: dict[tuple[str, int], re.Pattern] = {}  # this process's patterns, as re keeps its own


def compiled(source: str, flags: Union[int, re.RegexFlag] = 0) -> re.Pattern:
    """`re.compile(source, flags)`, from the cache when this machine compiled it before.
    Also for a pattern written where it is used (`compiled(r"\\d").match(word)`): after
    the first call it is a dictionary lookup, as `re.match` is."""
    try:
        return _here[source, flags]
    except KeyError:
        pass
    pattern = _compile(source, int(flags))
    _here[source, flags] = pattern
    return pattern


def _compile(source: str, flags: int) -> re.Pattern:
    if _sre is None or not isinstance(source, str):
        return re.compile(source, flags)
    parts = _cached().get((source, flags))
    if parts is not None:
        try:
            return _engine(source, parts)
        except Exception:  # a value the engine refuses: compiled afresh below
            pass
    pattern = re.compile(source, flags)
    if not _new:
        atexit.register(save)
    _new[(source, flags)] = pattern
    return pattern


def _parts(source: str, flags: int, expected: re.Pattern) -> Optional[Parts]:
    """What the compiler made of `source`, as _sre.compile takes it (re/_compiler.compile's
    steps); None unless the engine built from it equals `expected`."""
    try:
        parsed = _parser.parse(source, flags)
        code = _compiler._code(parsed, flags)
        groupindex = dict(parsed.state.groupdict)
        indexgroup = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        parts = (int(flags | parsed.state.flags), array(_CODE_TYPE, code).tobytes(), parsed.state.groups - 1,
                 groupindex, tuple(indexgroup))
        return parts if _engine(source, parts) == expected else None
    except Exception:  # another interpreter's compiler: no cache, nothing else changes
        return None


def _engine(source: str, parts: Parts) -> re.Pattern:
    flags, code_bytes, groups, groupindex, indexgroup = parts
    code = array(_CODE_TYPE)
    code.frombytes(code_bytes)
    return _sre.compile(source, flags, code.tolist(), groups, groupindex, indexgroup)


def _cached() -> dict[tuple[str, int], Parts]:
    global _known
    if _known is None:
        _known = _load()
    return _known


def _load() -> dict[tuple[str, int], Parts]:
    try:
        with open(_CACHE_FILE, "rb") as file:
            key, entries = marshal.loads(file.read())  # marshal.load(file) reads object by object: 10× slower
    except Exception:  # missing, unreadable or not ours: compile as usual
        return {}
    return entries if key == _KEY and isinstance(entries, dict) else {}


def save() -> None:
    """Write the cache with this process's new patterns added (at exit; a command that ends
    with os._exit calls it first). Silent when the folder may not or cannot be written. The
    new patterns are parsed again here, not when first compiled: a process that may not write
    (PYTHONDONTWRITEBYTECODE) pays nothing for the cache."""
    if not _new or sys.dont_write_bytecode:
        return
    entries = _load()
    if len(entries) + len(_new) > _MAX_ENTRIES:  # patterns of old versions pile up: keep this process's
        entries = {key: parts for key, parts in entries.items() if key in _here}
    for (source, flags), pattern in _new.items():
        parts = _parts(source, flags, pattern)
        if parts is not None:
            entries[source, flags] = parts
    _new.clear()
    folder = os.path.dirname(_CACHE_FILE)
    temporary = f"{_CACHE_FILE}.{os.getpid()}.tmp"
    try:
        os.makedirs(folder, exist_ok=True)
        with open(temporary, "wb") as file:
            file.write(marshal.dumps((_KEY, entries)))
        os.replace(temporary, _CACHE_FILE)  # readers see the old file or the new, never half
    except (OSError, ValueError):
        try:
            os.remove(temporary)
        except OSError:
            pass

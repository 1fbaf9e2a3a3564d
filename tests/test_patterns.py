"""language/patterns.py: a pattern from the cache is the pattern re.compile makes, and a
cache that is missing, foreign, damaged or not to be written changes nothing else."""
from __future__ import annotations

import marshal
from array import array
import re
import subprocess
import sys
from pathlib import Path

import pytest

import language.patterns as patterns
from source_trees import parse_file

ROOT = Path(__file__).resolve().parents[1]

CASES = [
    (r"\d", 0),
    (r"^(19|20)\d\d$", 0),
    (r"до\s+(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})", 0),
    (r"(?<![\w.])(?:январ|феврал|март|апрел)\w*", re.IGNORECASE),
    (r"[А-ЯЁ]{2,}(?![\w.-])", 0),
    (r"(?i:по\s+согласованию)|далее", 0),
    (r"^\s*(?:•|\d{1,2}\))\s+", re.MULTILINE),
    (r"(?P<a>x)(?P<b>y)?(?(b)z|w)", 0),
    (r"(?x) \d+  # digits\n [.,]?", 0),
    (r"ШНОР|школ\w*\s+с\s+низкими", re.I | re.U),
    (r"[\u0400-\u04FF]+", 0),
    (r"", 0),
]


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """The module as a fresh process finds it, its cache file in tmp_path, writing allowed."""
    monkeypatch.setattr(patterns, "_CACHE_FILE", str(tmp_path / "__pycache__" / "patterns.marshal"))
    monkeypatch.setattr(patterns, "_known", None)
    monkeypatch.setattr(patterns, "_new", {})
    monkeypatch.setattr(patterns, "_here", {})
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    return Path(patterns._CACHE_FILE)


def _next_process(monkeypatch) -> None:
    monkeypatch.setattr(patterns, "_known", None)
    monkeypatch.setattr(patterns, "_here", {})
    monkeypatch.setattr(patterns, "_new", {})


def _refuse_compiling(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("compiled afresh, not taken from the cache")

    monkeypatch.setattr(patterns.re, "compile", refuse)


@pytest.mark.parametrize("source, flags", CASES)
def test_a_pattern_is_what_re_compile_makes_first_and_from_the_cache(cache, monkeypatch, source, flags):
    expected = re.compile(source, flags)
    first = patterns.compiled(source, flags)
    assert first == expected and first.groupindex == expected.groupindex and first.groups == expected.groups
    patterns.save()
    _next_process(monkeypatch)
    _refuse_compiling(monkeypatch)
    again = patterns.compiled(source, flags)
    assert again == expected
    assert again.flags == expected.flags and again.groupindex == expected.groupindex
    assert again.groups == expected.groups and again.pattern == source


def test_patterns_from_the_cache_match_as_re_does(cache, monkeypatch):
    texts = ["до 17.01.2022", "в январе", "ПРИКАЗ ШНОР.", "1) пункт", "xyz xw", "12, 3.5", "по Согласованию"]
    expected = {(s, f): [m.span() for t in texts for m in re.compile(s, f).finditer(t)] for s, f in CASES}
    for source, flags in CASES:
        patterns.compiled(source, flags)
    patterns.save()
    _next_process(monkeypatch)
    _refuse_compiling(monkeypatch)
    for (source, flags), spans in expected.items():
        assert [m.span() for t in texts for m in patterns.compiled(source, flags).finditer(t)] == spans


def test_a_flag_given_as_regexflag_or_int_is_one_pattern(cache):
    assert patterns.compiled(r"школ", re.I) is patterns.compiled(r"школ", int(re.I))
    assert patterns.compiled(r"школ", re.I) is not patterns.compiled(r"школ")


def test_a_compiled_pattern_passes_through(cache):
    pattern = re.compile(r"\w+")
    assert patterns.compiled(pattern) is pattern


def test_an_invalid_pattern_raises_as_re_does(cache):
    with pytest.raises(re.error):
        patterns.compiled(r"(unclosed")


def test_nothing_is_written_where_bytecode_is_not(cache, monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    patterns.compiled(r"\d+")
    patterns.save()
    assert not cache.exists()


def test_nothing_new_writes_nothing(cache, monkeypatch):
    patterns.compiled(r"\d+")
    patterns.save()
    written = cache.stat().st_mtime_ns
    _next_process(monkeypatch)
    patterns.compiled(r"\d+")
    patterns.save()
    assert cache.stat().st_mtime_ns == written


@pytest.mark.parametrize("content", [
    b"",
    b"not marshal at all",
    marshal.dumps(["a", "list"]),
    marshal.dumps(((0, None, "other-interpreter"), {(r"\d", 0): (0, [1], 0, {}, (None,))})),
])
def test_a_missing_damaged_or_foreign_file_is_ignored(cache, monkeypatch, content):
    cache.parent.mkdir(parents=True)
    cache.write_bytes(content)
    expected = re.compile(r"\d")
    assert patterns.compiled(r"\d") == expected
    patterns.save()
    _next_process(monkeypatch)
    _refuse_compiling(monkeypatch)
    assert patterns.compiled(r"\d") == expected  # the file was replaced by a good one


def test_code_the_engine_refuses_is_compiled_afresh(cache, monkeypatch):
    cache.parent.mkdir(parents=True)
    refused = array(patterns._CODE_TYPE, [999, 999, 999]).tobytes()
    cache.write_bytes(marshal.dumps((patterns._KEY, {(r"\d+", 0): (32, refused, 0, {}, (None,))})))
    assert patterns.compiled(r"\d+") == re.compile(r"\d+")
    assert patterns.compiled(r"\d+").fullmatch("2022")


def test_code_for_another_pattern_cannot_be_passed_off(cache, monkeypatch):
    """An entry is keyed by the pattern's own text, and the engine compares patterns by
    text and code: what the cache holds for `\\d` never answers for `\\w`."""
    patterns.compiled(r"\d")
    patterns.save()
    _next_process(monkeypatch)
    assert patterns.compiled(r"\w").fullmatch("ж")


def test_the_cache_starts_again_when_old_patterns_pile_up(cache, monkeypatch):
    monkeypatch.setattr(patterns, "_MAX_ENTRIES", 5)
    for n in range(6):
        patterns.compiled(rf"a{{{n}}}")
    patterns.save()
    _next_process(monkeypatch)
    patterns.compiled(r"a{0}")
    patterns.compiled(r"b")
    patterns.save()
    key, entries = marshal.loads(cache.read_bytes())
    assert set(entries) == {(r"a{0}", 0), (r"b", 0)}


def test_the_project_writes_its_cache_at_exit_and_a_new_process_uses_it(tmp_path):
    """End to end in real processes: the first writes the file at exit, the second compiles
    none of the normalizers' patterns afresh."""
    script = (
        "import sys, re, language.patterns as p\n"
        f"p._CACHE_FILE = {str(tmp_path / 'patterns.marshal')!r}\n"
        "import normalizers.dates, normalizers.indicators\n"
        "print(len(p._new), len(p._here))\n"
    )
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    first = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
    new, used = map(int, first.stdout.split())
    assert new == used > 20
    assert (tmp_path / "patterns.marshal").exists()
    second = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
    assert second.stdout.split() == ["0", str(used)]


def test_the_layers_make_their_patterns_with_compiled():
    """A `re.compile(…)`, or a literal pattern handed to `re.search(…)` and its kin, in
    extractors, normalizers, pipeline or language would be compiled again in every process
    (tests/test_architecture.py reads the code the same way, with ast)."""
    import ast

    found = []
    for package in ("extractors", "normalizers", "pipeline", "language"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if path.name == "patterns.py" and package == "language":
                continue
            for node in ast.walk(parse_file(path)):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                        and isinstance(node.func.value, ast.Name) and node.func.value.id == "re"
                        and (node.func.attr == "compile" or node.args and isinstance(node.args[0], ast.Constant)
                             and node.func.attr in {"search", "match", "fullmatch", "sub", "subn", "split",
                                                    "findall", "finditer"})):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} re.{node.func.attr}")
    assert not found, found

"""Issue 13: a seeded mutator over tests/scenarios/ keeps the input contract from regressing.

Every mutant, run through `crossexec ask --format json`, must end within a time limit in one of two
ways: exit 0 with a valid JSON answer, or exit 2 with one clean line on stderr (no traceback, no
control character, bounded length). Anything else (exit 3, a hang, two lines) fails the test and
names the seed and the mutant, written beside the report so it can be replayed.

`make test` runs FUZZ_MUTANTS mutants (a few hundred). The longer run (README, "Exit codes"):

    CROSSEXEC_FUZZ_MUTANTS=5000 CROSSEXEC_FUZZ_SEED=1 .venv/bin/python -m pytest tests/test_fuzz.py -q
"""
from __future__ import annotations

import copy
import functools
import io
import json
import os
import random
import signal
import time
from contextlib import redirect_stderr, redirect_stdout
from datetime import date
from pathlib import Path

import pytest
import yaml

from crossexec import ROOT
from crossexec import rulebase
from crossexec.cli import main

FUZZ_MUTANTS = int(os.environ.get("CROSSEXEC_FUZZ_MUTANTS", "300"))
SEED = int(os.environ.get("CROSSEXEC_FUZZ_SEED", "13"))
PER_MUTANT_SECONDS = 20          # the bound for any input
TOTAL_SECONDS = max(240, FUZZ_MUTANTS * 2)   # the suite's bound (a few hundred mutants take ~1 min)
SOURCES = sorted((ROOT / "tests" / "scenarios").rglob("*.yaml"))

# Values that broke the contract before (issue 13) and their relatives.
HOSTILE_VALUES = [
    None, True, 0, -1, 10 ** 30, 1.5, float("inf"), "", " ", "x" * 5000, "spc\0x", "c1\0a", "a\x1b[2Jb",
    "a\nTraceback (most recent call last):", "\u202eevil", "\t", [], [1, 2], [[[]]], {}, {"a": [1]},
    date(1, 1, 1), date(9999, 12, 31), date(1899, 12, 31), date(3000, 1, 1), "2024-02-30", "0001-01-01",
    "9999-12-31", "national", "最高人民法院", "spc", "c1", "money", "open", "instruct", "applicant", "debtor",
    "${HOME}", "a). :- b(", "%", "#script", "--output=x",
]
TEXT_INSERTS = ["&a ", "*a ", "<<: ", "!foo ", "!!python/name:os.system ", "[", "]", "{", "}", ": ", "- ", "\t",
                "\\0", "\"\\0\"", "'", "\"", "#", "\n", "\n  ", "? ", "|\n", ">\n", "\x00", "\x1b", "\ufeff",
                "9" * 400, "~", "null", "2024-13-45", "[" * 60, "{a: " * 40,
                "[&b0 [x, x, x, x], &b1 [*b0, *b0, *b0, *b0], &b2 [*b1, *b1, *b1, *b1], *b2] ", "&r [*r] "]


def _paths(value, prefix=()):
    """Every (path, value) in a nested structure; a path is a tuple of keys/indices."""
    yield prefix, value
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, prefix + (i,))


def _parent(data, path):
    for key in path[:-1]:
        data = data[key]
    return data


def mutate_structure(data, rng: random.Random):
    """One structural change: replace, delete, duplicate or swap a value, or add an unknown key."""
    paths = [p for p, _ in _paths(data) if p]
    if not paths:
        return HOSTILE_VALUES[rng.randrange(len(HOSTILE_VALUES))]
    path = paths[rng.randrange(len(paths))]
    parent, key = _parent(data, path), path[-1]
    kind = rng.random()
    if kind < 0.5:
        parent[key] = copy.deepcopy(rng.choice(HOSTILE_VALUES) if rng.random() < 0.7 else
                                    _parent(data, paths[rng.randrange(len(paths))] + ("",)))  # from elsewhere
    elif kind < 0.65:
        del parent[key]
    elif kind < 0.8 and isinstance(parent, list):
        parent.insert(key, copy.deepcopy(parent[key]))      # a duplicate item
    elif kind < 0.9 and isinstance(parent, dict):
        parent[rng.choice(["colour", "id", "Id", "\x1bkey", "a" * 400, "case "])] = rng.choice(HOSTILE_VALUES)
    else:
        other = paths[rng.randrange(len(paths))]
        other_parent = _parent(data, other)
        try:
            parent[key], other_parent[other[-1]] = copy.deepcopy(other_parent[other[-1]]), copy.deepcopy(parent[key])
        except (KeyError, IndexError, TypeError):
            pass
    return data


def mutate_text(text: str, rng: random.Random) -> str:
    """One textual change: insert a YAML token or a control character, delete or repeat a line."""
    lines = text.splitlines(keepends=True) or [""]
    i = rng.randrange(len(lines))
    kind = rng.random()
    if kind < 0.5:
        line = lines[i]
        at = rng.randrange(len(line) + 1)
        lines[i] = line[:at] + rng.choice(TEXT_INSERTS) + line[at:]
    elif kind < 0.7:
        del lines[i]
    elif kind < 0.85:
        lines.insert(i, lines[i])
    else:
        start = rng.randrange(len(text) + 1)
        return text[:start] + text[start + rng.randrange(1, 40):]
    return "".join(lines)


def mutant(rng: random.Random) -> str:
    source = SOURCES[rng.randrange(len(SOURCES))]
    text = source.read_text(encoding="utf-8")
    for _ in range(rng.choice((1, 1, 2, 3))):
        if rng.random() < 0.6:
            try:                  # a text mutation before may have broken the YAML: mutate text then
                data = yaml.safe_load(text)
            except (yaml.YAMLError, RecursionError, ValueError):
                text = mutate_text(text, rng)
                continue
            data = mutate_structure(data, rng)
            try:
                text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
            except (yaml.YAMLError, RecursionError, ValueError):
                continue
        else:
            text = mutate_text(text, rng)
    return text


class _Timeout(Exception):
    pass


def _alarm(_signum, _frame):
    raise _Timeout()


def run_cli(argv) -> tuple[int, str, str, float]:
    out, err = io.StringIO(), io.StringIO()
    started = time.monotonic()
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(PER_MUTANT_SECONDS)
    try:
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as e:          # argparse
                code = e.code
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    return code, out.getvalue(), err.getvalue(), time.monotonic() - started


def contract_broken(code, out: str, err: str) -> str | None:
    """What is wrong with this outcome, or None if it keeps the contract."""
    if code == 0:
        try:
            answer = json.loads(out)
        except ValueError:
            return "exit 0 without a JSON answer"
        if not isinstance(answer, dict) or not isinstance(answer.get("conclusions"), list):
            return "exit 0 with JSON that is not an answer"
        return None
    if code == 2:
        if not err.startswith("crossexec: ") or err.count("\n") != 1 or not err.endswith("\n"):
            return "exit 2 without exactly one line starting 'crossexec: '"
        line = err[:-1]
        if any(not ch.isprintable() and ch != "\u3000" for ch in line):
            return "exit 2 message with a control character"
        if len(line) > 2000:
            return f"exit 2 message of {len(line)} characters"
        return None
    return f"exit {code}: {err.strip()[:300]}"


@pytest.fixture()
def shared_rules(monkeypatch):
    """One parsed rule base for all mutants: the contract is about the scenario, not rule parsing."""
    cached = functools.lru_cache(maxsize=4)(rulebase.load_rulebase)
    monkeypatch.setattr(rulebase, "load_rulebase", lambda folder=rulebase.RULES, extra=(): cached(folder, tuple(extra)))


def test_mutants_keep_the_contract(tmp_path, shared_rules):
    rng = random.Random(SEED)
    started, failures, outcomes = time.monotonic(), [], {0: 0, 2: 0}
    for i in range(FUZZ_MUTANTS):
        text = mutant(rng)
        path = tmp_path / f"mutant{i}.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            code, out, err, seconds = run_cli(["ask", str(path), "--format", "json"])
        except _Timeout:
            failures.append(f"{path}: no answer within {PER_MUTANT_SECONDS} s")
            continue
        problem = contract_broken(code, out, err)
        if problem:
            failures.append(f"{path}: {problem}")
        else:
            outcomes[code] += 1
            path.unlink()                       # keep only the mutants that broke the contract
        assert time.monotonic() - started < TOTAL_SECONDS, f"fuzzing took over {TOTAL_SECONDS} s ({i + 1} mutants)"
    assert not failures, f"seed {SEED}: {len(failures)} of {FUZZ_MUTANTS} mutants broke the contract:\n" + \
        "\n".join(failures[:20])
    print(f"seed {SEED}: {FUZZ_MUTANTS} mutants, {outcomes[0]} answered, {outcomes[2]} refused in one line")
    # the mutator must exercise both paths, or it tests nothing
    assert outcomes[0] > FUZZ_MUTANTS // 20 and outcomes[2] > FUZZ_MUTANTS // 4, outcomes


def test_mutator_is_deterministic():
    assert [mutant(random.Random(5)) for _ in range(3)] == [mutant(random.Random(5)) for _ in range(3)]


CONCLUSION_MUTANTS = max(40, FUZZ_MUTANTS // 5)


def mutate_conclusion(rng: random.Random, conclusions: list[dict]) -> str:
    """A conclusion of the demo's answer, as JSON or as text, with one value or character changed."""
    c = dict(rng.choice(conclusions))
    if rng.random() < 0.5:
        key = rng.choice(["modality", "actor", "action", "case", "debtor", "target", "deadline", "x"])
        c[key] = copy.deepcopy(rng.choice(HOSTILE_VALUES))
        return json.dumps(c, ensure_ascii=False, default=str)
    obj = c.get("case") or c.get("debtor") or c.get("dispute")
    text = f"{c['modality']} {c['actor']} {c['action']} {obj}" + (f" -> {c['target']}" if c.get("target") else "")
    return mutate_text(text, rng)


def test_conclusion_mutants_keep_the_contract(shared_rules):
    demo = ROOT / "facts" / "examples" / "demo.yaml"
    code, out, err, _ = run_cli(["ask", str(demo), "--format", "json"])
    assert code == 0, err
    conclusions = json.loads(out)["conclusions"]
    rng, failures, outcomes = random.Random(SEED), [], {}
    for _ in range(CONCLUSION_MUTANTS):
        conclusion = mutate_conclusion(rng, conclusions)
        command = rng.choice(["why", "whynot"])
        try:
            code, out, err, _ = run_cli([command, str(demo), conclusion])
        except _Timeout:
            failures.append(f"{command} {conclusion!r}: no answer within {PER_MUTANT_SECONDS} s")
            continue
        outcomes[code] = outcomes.get(code, 0) + 1
        if code == 0 or (code == 1 and command == "why" and err.count("\n") == 1):   # why: 1 = does not hold
            continue
        problem = contract_broken(code, "", err)
        if problem:
            failures.append(f"{command} {conclusion[:200]!r}: {problem}")
    print(f"seed {SEED}: {CONCLUSION_MUTANTS} conclusions, exit codes {outcomes}")
    assert outcomes.get(2, 0) > CONCLUSION_MUTANTS // 4, outcomes
    assert not failures, f"seed {SEED}:\n" + "\n".join(failures[:20])

"""The fast reader (crossexec/fastyaml.py) gives the exact reader's values on every file it vouches
for, and declines every file where YAML 1.2 (yaml-rs) and YAML 1.1 (PyYAML, the exact reader)
could read a value differently."""
from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

from crossexec import fastyaml
from crossexec.errors import InputError
from crossexec.load import MAX_DEPTH, MAX_NODES, _Loader, _Plain, load_scenario

ROOT = Path(__file__).resolve().parent.parent
YAML_FILES = sorted(p for pattern in ("tests/**/*.yaml", "facts/**/*.yaml") for p in ROOT.glob(pattern))

pytestmark = pytest.mark.skipif(fastyaml.yaml_rs is None, reason="yaml-rs is not installed")


def exact(text: str):
    return _Plain("<test>").convert(yaml.compose(text, Loader=_Loader), "")


def as_written(value):
    """The fast reader gives a plain date as a date; the exact reader keeps its text (YYYY-MM-DD)."""
    if isinstance(value, dict):
        return {k: as_written(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_written(v) for v in value]
    return value.isoformat() if isinstance(value, date) else value


def test_same_values_as_the_exact_reader_on_every_yaml_file_of_the_repository():
    vouched = 0
    for path in YAML_FILES:
        text = path.read_text(encoding="utf-8")
        fast = fastyaml.read_plain(text, MAX_DEPTH, MAX_NODES)
        if fast is None:
            continue
        vouched += 1
        assert as_written(fast) == exact(text), path
    # the test means something only if most files take the fast path
    assert vouched > 0.8 * len(YAML_FILES), (vouched, len(YAML_FILES))


@pytest.mark.parametrize("text", [
    "a: yes", "a: No", "a: on", "a: OFF", "- yes", "[on, off]", "{a: y, b: yes}",    # 1.1 booleans
    "a: 010", "a: 0o10", "a: 1:20", "a: 1e3", "a: 0x1f", "a: 12", "a: .inf",          # numbers
    "a: &x yes\nb: *x",                                  # a 1.1 boolean behind an anchor
    "yes: 1", "<<: {a: 1}\nb: 2", "a:\n  <<: {b: 1}",    # a 1.1 boolean key, merge keys
    "a: !custom x", "a: !!python/object:os.system x", "a: !!str 1",   # tags
    "%YAML 1.1\n---\na: b", 'a: "\\x07"', 'a: "x\\/y"', "a: 'x\x07'",  # directive, escapes, controls
    "1: a", "a: 2024-01-01 10:00:00",                    # a number key, a time of day
    "a: " + "[" * 40 + "]" * 40,                         # deeper than the loader allows
    "a: b\na: c",                                        # a duplicate key (an error: read exactly)
])
def test_declines_what_yaml_1_1_could_read_otherwise(text):
    assert fastyaml.read_plain(text, MAX_DEPTH, MAX_NODES) is None


@pytest.mark.parametrize("text, value", [
    ("a: 'yes'", {"a": "yes"}), ("court: '320100'", {"court": "320100"}), ('a: "010"', {"a": "010"}),
    ("a: 注意!", {"a": "注意!"}), ("a: 100%", {"a": "100%"}), ("a: true", {"a": True}), ("a:", {"a": None}),
    ("d: &id001 2024-09-15\ne: *id001", {"d": date(2024, 9, 15), "e": date(2024, 9, 15)}),
    ("k: [a, b]", {"k": ["a", "b"]}), ("a: 320100-rail", {"a": "320100-rail"}),
    ("a: 2024-9-30", {"a": "2024-9-30"}),                # text to both (load.parse_date refuses it)
])
def test_vouches_for_what_both_read_alike(text, value):
    assert fastyaml.read_plain(text, MAX_DEPTH, MAX_NODES) == value
    assert as_written(value) == exact(text)


def test_a_ledger_read_fast_equals_the_exact_reading(tmp_path):
    ledger = tmp_path / "ledger.yaml"
    subprocess.run([sys.executable, str(ROOT / "bench/make_ledger.py"), str(ledger), "600"], check=True)
    assert fastyaml.read_plain(ledger.read_text(encoding="utf-8"), MAX_DEPTH, MAX_NODES) is not None
    fast, exactly = load_scenario(ledger, lines=False), load_scenario(ledger)
    assert fast.lines == {} and exactly.lines
    exactly.lines = {}
    assert fast == exactly


def test_bad_input_read_fast_names_the_line_like_the_exact_reader(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("as_of: 2024-09-30\ncourts:\n- {id: a, name: 甲法院, level: basic}\n"
                    "cases:\n- id: c1\n  court: a\n  obligation: money\n  filed: 2024-02-30\n", encoding="utf-8")
    messages = []
    for lines in (True, False):
        with pytest.raises(InputError) as caught:
            load_scenario(path, lines=lines)
        messages.append(str(caught.value))
    assert messages[0] == messages[1] and "cases[0].filed" in messages[0] and ":8:" in messages[0]

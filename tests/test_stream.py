"""A YAML ledger read in pieces (crossexec/stream.py): the same scenario as the whole reading,
batch by batch; anything else is read whole. tests/test_sweep.py checks that the sweep's
conclusions are the same either way on every merged scenario group and a generated ledger."""
from __future__ import annotations

from pathlib import Path

import pytest

from crossexec import sweep
from crossexec.cli import main
from crossexec.load import load_scenario
from crossexec.stream import StreamedScenario, layout

pytestmark = pytest.mark.skipif(__import__("crossexec.fastyaml").fastyaml.yaml_rs is None,
                                reason="yaml-rs is not installed")

HEAD = """name: 台账
as_of: 2024-09-30
courts:
  - {id: spc, name: 最高人民法院, level: supreme}
  - {id: js, name: 江苏省高级人民法院, level: high, parent: spc}
  - {id: sz, name: 江苏省苏州市中级人民法院, level: intermediate, parent: js}
  - {id: ks, name: 昆山市人民法院, level: basic, parent: sz}
  - {id: wj, name: 苏州市吴江区人民法院, level: basic, parent: sz}
parties:
  - {id: 甲公司, kind: enterprise, domicile: ks}
"""
CASES = """cases:
  # 甲公司的两件案件
  - id: c1
    court: ks
    filed: 2023-06-15
    obligation: money
    debtor: 甲公司

  - id: c2
    court: wj
    filed: 2023-08-01
    obligation: money
    debtor: 甲公司
  - id: c3
    court: wj
    filed: 2024-01-05
    obligation: conduct
decisions:
  - {kind: instruct, by: sz, case: c3, date: 2024-09-01, received: 2024-09-02, to: ks}
"""


def write(tmp_path, text: str) -> str:
    path = tmp_path / "ledger.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def batches_of(scenario, size=1):
    return [sweep.sub_scenario(scenario, part) for part in sweep.batches(sweep.components(scenario), size)]


def test_indented_items_and_comments_read_in_pieces_as_the_whole(tmp_path):
    path = write(tmp_path, HEAD + CASES)
    lay = layout(Path(path).read_bytes())
    assert [len(lay.items[k]) for k in ("parties", "cases", "decisions")] == [1, 3, 1]
    pieces = sweep.read_in_pieces(path, None)
    assert isinstance(pieces, StreamedScenario)
    assert [c.id for c in pieces.cases] == ["c1", "c2", "c3"]
    whole = load_scenario(path, lines=False)
    assert batches_of(pieces) == batches_of(whole) and len(batches_of(whole)) == 2


@pytest.mark.parametrize("edits", [
    [("  - id: c1\n", "\t- id: c1\n")],                              # a tab in the indentation
    [("name: 台账\n", "---\nname: 台账\n")],                         # a document marker
    [("    court: ks\n", "    court: ks\n    number: &n 甲\n"),       # an alias to another case's value
     ("  - id: c2\n", "  - id: c2\n    number: *n\n")],
], ids=["tab", "document-marker", "alias-across-cases"])
def test_what_the_layout_cannot_vouch_for_is_read_whole(tmp_path, edits):
    text = HEAD + CASES
    for old, new in edits:
        assert old in text
        text = text.replace(old, new, 1)
    assert sweep.read_in_pieces(write(tmp_path, text), None) is None


def test_flow_lists_and_a_repeated_section_are_read_whole(tmp_path):
    flow = HEAD + "cases: [{id: c1, court: ks, filed: 2023-06-15, obligation: money}]\n"
    assert sweep.read_in_pieces(write(tmp_path, flow), None) is None
    twice = HEAD + CASES + "cases:\n  - {id: c9, court: ks, filed: 2023-06-15, obligation: money}\n"
    assert sweep.read_in_pieces(write(tmp_path, twice), None) is None


def test_bad_input_in_a_piece_gets_the_whole_readers_message(tmp_path, capsys):
    path = write(tmp_path, HEAD + CASES.replace("filed: 2023-08-01", "filed: 2023-02-30"))
    assert sweep.read_in_pieces(path, None) is None
    assert main(["sweep", path, "--jobs", "1"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cases[1].filed" in err and ":21:" in err


# -- why / whynot on one component, read with the file's lines and key paths ----------------------

@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    import sys
    sys.path.insert(0, str(Path(__file__).parent.parent / "bench"))
    from make_ledger import write as make
    path = tmp_path_factory.mktemp("ledger") / "ledger.yaml"
    make(path, 150, seed=13)                       # every kind of decision, disputes (tests/test_sweep.py)
    return str(path)


def _answers(args, capsys) -> tuple[int, str]:
    code = main(args)
    return code, capsys.readouterr().out


def test_why_on_a_component_equals_why_on_the_whole_file(generated, monkeypatch, capsys, tmp_path):
    import json
    from crossexec import explain, stream
    monkeypatch.setenv("CROSSEXEC_CACHE", str(tmp_path / "cache"))
    read, parts = stream.read_component, []
    monkeypatch.setattr(stream, "read_component", lambda *a: parts.append(a[3:5]) or read(*a))
    assert main(["sweep", generated, "--jobs", "1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    chosen = lines[::max(1, len(lines) // 12)]
    chosen += [line for line in lines if '"target": "' in line and '"rank"' in line][:2]   # a ranked target
    chosen += [line for line in lines if '"decisions[' in line or "决定" in line][:2]
    assert any(json.loads(line).get("case", "").startswith("k1") for line in chosen)
    in_pieces = [_answers(["why", generated, line, "--format", format_], capsys)
                 for line in chosen for format_ in ("json", "text")]
    whynot = _answers(["whynot", generated, "must 江苏省高级人民法院 elevate k7", "--format", "json"], capsys)
    assert len(parts) == 2 * len(chosen) + 1        # each answered from its component
    monkeypatch.setattr(explain, "_ledger_index", lambda args: (None, None))     # read the file whole
    assert in_pieces == [_answers(["why", generated, line, "--format", format_], capsys)
                         for line in chosen for format_ in ("json", "text")]
    assert whynot == _answers(["whynot", generated, "must 江苏省高级人民法院 elevate k7", "--format", "json"], capsys)
    assert all(code == 0 for code, _ in in_pieces) and '"line": ' in in_pieces[0][1]


def test_the_index_of_a_large_file_is_kept_and_used_again(generated, monkeypatch, tmp_path, capsys):
    from crossexec import stream
    monkeypatch.setenv("CROSSEXEC_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(stream, "CACHE_FROM_BYTES", 0)
    query = "may 江苏省高级人民法院 elevate k3"
    assert main(["sweep", generated, "--jobs", "1", "--out", str(tmp_path / "out.jsonl")]) == 0   # indexes it
    assert len(list((tmp_path / "cache").glob("index-*.pickle"))) == 1
    capsys.readouterr()
    first = _answers(["why", generated, query, "--format", "json"], capsys)
    monkeypatch.setattr(stream, "_index_of", lambda *a: pytest.fail("the index was built again"))
    assert _answers(["why", generated, query, "--format", "json"], capsys) == first
    monkeypatch.undo()                  # a small file again: indexed in memory, no cache; the same answer
    assert _answers(["why", generated, query, "--format", "json"], capsys) == first


def test_an_unknown_object_of_a_ledger_gets_counts_and_the_closest_ids_not_every_id(generated, capsys):
    """A ledger's ids are not listed whole in the message (at 100k cases it would be 100k ids)."""
    assert main(["why", generated, "may 江苏省高级人民法院 elevate k1x"]) == 2
    err = capsys.readouterr().err
    assert "CONCLUSION.object" in err and "150 cases" in err and "the closest: k1" in err
    assert "k149" not in err and len(err.splitlines()) == 1
    assert main(["why", str(Path(__file__).parent.parent / "facts/examples/demo.yaml"), "may sz elevate c9"]) == 2
    assert "expected one of: c1, c2" in capsys.readouterr().err       # a small file: every id

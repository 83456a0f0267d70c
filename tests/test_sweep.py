"""`crossexec sweep` gives `ask`'s conclusions (issue 15).

Every scenario of tests/scenarios/, tests/state_pairs/ and facts/examples/ is a single component
(one debtor, or cases joined by a decision or a dispute), so on its own the split would prove
nothing. The scenarios that share their courts and `as_of` are therefore merged into one
scenario, each with its ids prefixed (s3.c1, s3.某公司), which gives scenarios of up to 80
independent components with related cases, centralization, disputes, moved cases and void
decisions; `ask` answers each merged scenario whole and `sweep` answers it one component per
solver call, and the two must agree conclusion for conclusion, field for field (rank, factors,
ordinary_holder, condition, deadline, overdue included), with the same conflicts and warnings."""
from __future__ import annotations

import copy
import json
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from crossexec import RULES, sweep
from crossexec.cli import main
from crossexec.load import load_scenario
from crossexec.render import to_json
from crossexec.rulebase import load_rulebase
from crossexec.solve import solve

ROOT = Path(__file__).parent.parent
SOURCES = (sorted((ROOT / "tests/scenarios").rglob("*.yaml")) + sorted((ROOT / "tests/state_pairs").glob("*.yaml"))
           + sorted((ROOT / "facts/examples").glob("*.yaml")))


def _prefix(doc: dict, p: str) -> dict:
    """The scenario with every case, debtor, party and dispute id prefixed by `p`."""
    doc = copy.deepcopy(doc)
    doc.pop("expect", None)
    for party in doc.get("parties") or ():
        party["id"] = p + str(party["id"])
    for case in doc.get("cases") or ():
        case["id"] = p + str(case["id"])
        if case.get("debtor") is not None:
            case["debtor"] = p + str(case["debtor"])
    for d in doc.get("disputes") or ():
        d["id"] = p + str(d["id"])
        d["cases"] = [p + str(c) for c in d.get("cases") or ()]
    for d in doc.get("decisions") or ():
        for key in ("case", "debtor"):
            if d.get(key) is not None:
                d[key] = p + str(d[key])
    return doc


def _merged_groups() -> list[tuple[str, dict]]:
    groups: dict[tuple, list[tuple[Path, dict]]] = defaultdict(list)
    for path in SOURCES:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        if doc.get("as_of") is None:
            continue
        groups[(json.dumps(doc.get("courts"), sort_keys=True, default=str), str(doc["as_of"]))].append((path, doc))
    out = []
    for members in groups.values():
        if len(members) < 2:
            continue
        merged = {"name": "merged", "as_of": members[0][1]["as_of"], "courts": members[0][1]["courts"],
                  "parties": [], "cases": [], "disputes": [], "decisions": []}
        for i, (_, doc) in enumerate(members):
            doc = _prefix(doc, f"s{i}.")
            for key in ("parties", "cases", "disputes", "decisions"):
                merged[key] += doc.get(key) or []
        merged["decisions"].sort(key=lambda d: str(d["date"]))     # the file's order: oldest first
        out.append((members[0][0].relative_to(ROOT).as_posix() + f"+{len(members) - 1}", merged))
    return out


GROUPS = _merged_groups()


@pytest.fixture(scope="module")
def rules():
    return load_rulebase(RULES)


def _key(record: dict) -> str:
    return json.dumps(record, sort_keys=True, ensure_ascii=False)


def _sweep(scenario, rules, batch: int, jobs: int = 1) -> dict:
    results = list(sweep.run(scenario, rules, sweep.Options("dicts"), jobs, batch))
    areas = {_key(r): r for b in results for _, r in b.area_rows}
    return {"conclusions": [r for b in results for r in b.rows] + list(areas.values()),
            "conflicts": [c for b in results for c in b.conflicts],
            "warnings": [w for b in results for w in b.warnings]}


def test_the_merged_scenarios_are_real_tests():
    """The merge gives many components, and among them the features the sweep must keep apart."""
    assert len(GROUPS) >= 10
    assert sum(len(doc["cases"]) for _, doc in GROUPS) >= 200
    text = json.dumps([doc for _, doc in GROUPS], default=str)
    for feature in ('"centralize"', '"instruct"', '"elevate"', '"negotiations"', '"from"', '"files_transferred"'):
        assert feature in text


@pytest.mark.parametrize("name,doc", GROUPS, ids=[name for name, _ in GROUPS])
def test_sweep_equals_ask(tmp_path, rules, name, doc):
    path = tmp_path / "merged.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    scenario = load_scenario(path)
    parts = sweep.components(scenario)
    assert len(parts) > 1
    whole = to_json(solve(scenario, rules))
    in_pieces = sweep.read_in_pieces(str(path), None)      # the ledger read in pieces (crossexec/stream.py)
    assert in_pieces is not None
    for split in (_sweep(scenario, rules, batch=1), _sweep(in_pieces, rules, batch=3)):
        assert sorted(map(_key, split["conclusions"])) == sorted(map(_key, whole["conclusions"]))
        assert sorted(map(_key, split["conflicts"])) == sorted(map(_key, whole["conflicts"]))
        assert set(split["warnings"]) == set(whole["warnings"])


def test_components_follow_debtors_decisions_and_disputes(tmp_path):
    doc = {"name": "parts", "as_of": "2024-09-30", "courts": "national", "parties": [{"id": "D", "kind": "enterprise"}],
           "cases": [{"id": k, "court": "苏州市吴江区人民法院", "filed": "2024-01-02", "obligation": "money",
                      **({"debtor": d} if d else {})}
                     for k, d in (("a1", "D"), ("a2", "D"), ("b1", None), ("b2", None), ("c1", None), ("e1", "E"))],
           "disputes": [{"id": "x", "courts": ["苏州市吴江区人民法院", "昆山市人民法院"], "kind": "other", "cases": ["b1", "b2"]}],
           "decisions": [{"kind": "urge", "by": "江苏省苏州市中级人民法院", "case": "c1", "date": "2024-09-01"},
                         {"kind": "centralize", "by": "江苏省苏州市中级人民法院", "debtor": "F", "date": "2024-09-02",
                          "to": "昆山市人民法院"}]}
    path = tmp_path / "parts.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    scenario = load_scenario(path)
    ids = sorted(sorted([scenario.cases[i].id for i in p.cases] + [f"decision{i}" for i in p.decisions]
                        + [f"party:{x}" for x in p.parties] + [f"dispute:{i}" for i in p.disputes])
                 for p in sweep.components(scenario))
    assert ids == sorted([["a1", "a2", "party:D"], ["b1", "b2", "dispute:0"], ["c1", "decision0"], ["decision1"], ["e1"]])


def test_sweep_command_streams_jsonl_csv_and_summary(tmp_path, capsys):
    demo = str(ROOT / "facts/examples/demo.yaml")
    assert main(["ask", demo, "--as-of", "2024-10-20", "--format", "json"]) == 0
    asked = json.loads(capsys.readouterr().out)["conclusions"]
    assert main(["sweep", demo, "--as-of", "2024-10-20", "--jobs", "2", "--batch", "1"]) == 0
    captured = capsys.readouterr()
    lines = [json.loads(line) for line in captured.out.splitlines()]
    assert sorted(map(_key, lines)) == sorted(map(_key, asked))
    assert "件案件" in captured.err and "已逾期" in captured.err
    out = tmp_path / "overdue.csv"
    assert main(["sweep", demo, "--as-of", "2024-10-20", "--overdue", "--format", "csv", "--out", str(out)]) == 0
    rows = out.read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("modality,actor,action")
    overdue = [c for c in asked if c.get("overdue")]
    assert overdue and len(rows) == 1 + len(overdue)
    assert all(",True," in row for row in rows[1:])


def test_sweep_actor_filter_and_bad_actor(capsys):
    demo = str(ROOT / "facts/examples/demo.yaml")
    assert main(["sweep", demo, "--as-of", "2024-09-30", "--actor", "昆山市人民法院"]) == 0
    actors = {json.loads(line)["actor"] for line in capsys.readouterr().out.splitlines()}
    assert actors == {"昆山市人民法院"}
    assert main(["sweep", demo, "--actor", "不存在的法院"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--actor" in err
    assert main(["sweep", demo, "--out", "/nonexistent-folder/out.jsonl"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--out" in err
    with pytest.raises(SystemExit) as exit_:
        main(["sweep", demo, "--jobs", "0"])
    assert exit_.value.code == 2 and "--jobs" in capsys.readouterr().err


def test_bad_input_found_in_a_worker_reaches_the_parent_whole():
    """A worker's InputError is pickled back to the parent; it must unpickle to the same one-line
    message (an exception that cannot be rebuilt would hang the pool's result thread)."""
    import pickle
    from crossexec.errors import InputError
    error = InputError("ledger.yaml", "cases[3].court", "expected a court", 12)
    again = pickle.loads(pickle.dumps(error))
    assert isinstance(again, InputError) and str(again) == str(error) and again.line == 12


def test_sweep_equals_ask_on_a_generated_ledger(tmp_path, rules):
    """A seeded ledger on the real 江苏 courts (bench/make_ledger.py): debtors with 1-5 cases,
    assets across courts, instructions, elevations, urging orders, centralizations and disputes;
    solved by two worker processes in small batches."""
    import sys
    sys.path.insert(0, str(ROOT / "bench"))
    from make_ledger import write
    path = tmp_path / "ledger.yaml"
    write(path, 150, seed=13)          # a seed whose ledger has every kind of decision below
    scenario = load_scenario(path)
    text = path.read_text(encoding="utf-8")
    assert all(f"kind: {k}" in text for k in ("centralize", "instruct", "elevate", "urge")) and "disputes:\n- " in text
    whole = to_json(solve(scenario, rules))
    split = _sweep(scenario, rules, batch=20, jobs=2)
    in_pieces = _sweep(sweep.read_in_pieces(str(path), None), rules, batch=20, jobs=2)
    assert in_pieces == split
    assert len(whole["conclusions"]) > 1000
    assert any("rank" in c for c in whole["conclusions"]) and any("ordinary_holder" in c for c in whole["conclusions"])
    assert sorted(map(_key, split["conclusions"])) == sorted(map(_key, whole["conclusions"]))
    assert set(split["warnings"]) == set(whole["warnings"])

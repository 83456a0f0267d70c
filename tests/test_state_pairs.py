"""A moved case gives the same answers whichever way its history is recorded (README, "Recording a
case's history"): (A) `court:` names the original court and the moves are decisions and events;
(B) `court:` names the current court and its filing, the decision names the original in `from`.
Each tests/state_pairs/<mode>_a.yaml has a twin <mode>_b.yaml."""
import json
from pathlib import Path

import pytest

from crossexec.load import load_scenario
from crossexec.rulebase import load_rulebase
from crossexec.render import to_json
from crossexec.solve import solve

PAIRS = Path(__file__).parent / "state_pairs"


@pytest.fixture(scope="module")
def rules():
    return load_rulebase()


MODES = sorted(p.name[:-len("_a.yaml")] for p in PAIRS.glob("*_a.yaml"))


def answer(path: Path, rules) -> dict:
    data = to_json(solve(load_scenario(path), rules))
    return {"conclusions": sorted(json.dumps(c, ensure_ascii=False, sort_keys=True) for c in data["conclusions"]),
            "warnings": data["warnings"]}


def test_every_mode_has_a_pair():
    assert {"instruct", "elevate", "centralize", "entrust"} <= set(MODES)
    for mode in MODES:
        assert (PAIRS / f"{mode}_b.yaml").is_file(), mode


@pytest.mark.parametrize("mode", MODES)
def test_both_encodings_give_the_same_answer(mode, rules):
    a, b = answer(PAIRS / f"{mode}_a.yaml", rules), answer(PAIRS / f"{mode}_b.yaml", rules)
    assert a["conclusions"], "the pair should conclude something"
    only_a = sorted(set(a["conclusions"]) - set(b["conclusions"]))
    only_b = sorted(set(b["conclusions"]) - set(a["conclusions"]))
    assert not only_a and not only_b, f"only (A): {only_a}\nonly (B): {only_b}"
    assert a["warnings"] == b["warnings"] == []

"""`crossexec mutate`: the mutants, the smoke run on one article, and the soundness of the test
selection (a scenario left out for a mutant must pass against it)."""
from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from crossexec import RULES, ROOT
from crossexec import mutate as mut
from crossexec import rulebase as rb
from crossexec.cli import main

SCENARIOS = ROOT / "tests" / "scenarios"
PLANTED = "a06_transfer_deadline/period=10/n1"      # 七日 → 十日 (the issue that asked for this tool)
ARTICLE = "6"


@pytest.fixture(scope="module")
def base():
    return rb.load_rulebase()


@pytest.fixture(scope="module")
def smoke():
    """`crossexec mutate --article 6 --plant …` over every scenario test, as the CLI runs it."""
    run = mut.mutate(RULES, [], {ARTICLE}, jobs=2, planted=[PLANTED])
    return run, mut.summary(run)


# -- the mutants --------------------------------------------------------------------------------------

def test_mutants_of_a_deadline_rule(base):
    rule = base.rules["a06_transfer_deadline"]
    changes = {f"{c.kind}/{c.position}": c for c in rb.mutations(rule, rb.court_positions(base))}
    assert {k: (changes[k].before, changes[k].after) for k in ("period-1/n1", "period+1/n1", "period*2/n1")} == \
        {"period-1/n1": ("7", "6"), "period+1/n1": ("7", "8"), "period*2/n1": ("7", "14")}
    assert "remove_not/b5" in changes and changes["remove_not/b5"].after == "files_sent(I,K)"
    assert {f"drop/b{i}" for i in range(1, 7)} <= set(changes)
    assert "court=R/h1" in changes and "court=O/h4" in changes          # original court <-> receiving court
    assert not any(k.startswith("court=D") or k.startswith("court=K") for k in changes)   # days and cases are not courts
    assert ',8,"day")' in str(changes["period+1/n1"].statement)


def test_modality_and_comparison_mutants(base):
    positions = rb.court_positions(base)
    elevate = {c.kind for c in rb.mutations(base.rules["a04_elevate"], positions)} if "a04_elevate" in base.rules else set()
    kinds = {c.kind for rule in base.rules.values() for c in rb.mutations(rule, positions)}
    assert {"modality=should", "modality=may", "modality=must", "modality=should_not", "modality=must_not",
            "cmp=<", "cmp=<=", "cmp=>", "cmp=>=", "drop", "add_not", "remove_not"} <= kinds
    assert not elevate or any(k.startswith("modality=") for k in elevate)


def test_mutant_ids_are_stable_and_unique(base):
    first, _ = mut.generate(base, {ARTICLE})
    again, _ = mut.generate(rb.load_rulebase(), {ARTICLE})
    assert [m.id for m in first] == [m.id for m in again]
    assert len({m.id for m in first}) == len(first)


def test_replace_changes_one_rule_only(base):
    rule = base.rules["a06_transfer_deadline"]
    mutated = base.replace(rule.label, rb.set_period_number(rule.statement, 0, 10))
    assert ',10,"day")' in mutated.rules[rule.label].text and ', 7, "day")' in base.rules[rule.label].text
    assert len(mutated.statements) == len(base.statements) and len(mutated.plain) == len(base.plain)
    changed = [i for i, (a, b) in enumerate(zip(base.statements, mutated.statements)) if str(a) != str(b)]
    assert changed and all(base.spans[rule.label][0] <= i < base.spans[rule.label][1] for i in changed)


# -- the smoke run: one article ------------------------------------------------------------------------

def test_planted_seven_to_ten_days_is_killed(smoke):
    run, data = smoke
    killed = {k["id"]: k["by"] for k in data["killed"]}
    assert PLANTED in killed, "art. 6 七日→十日 survives: some art. 6 scenario must have a deadline that no holiday hides"
    # the seven days are read by art. 6's duty, art. 7's thirty days before the transfer and (art. 14)
    # a centralization's transfer: the first scenario to fail is one of theirs
    assert any(f"tests/scenarios/{a}/" in killed[PLANTED] for a in ("a06", "a07", "a14")), killed[PLANTED]


def test_every_period_number_of_the_article_is_pinned(smoke):
    """Changing 七日 by one day either way, or doubling it, fails some scenario."""
    run, _ = smoke
    periods = [o for o in run.outcomes if o.mutant.kind.startswith("period")]
    assert len(periods) >= 7
    assert [o.mutant.id for o in periods if o.status != "killed"] == []


def test_changing_any_period_number_fails_some_scenario():
    """Every period number of rules/ (七日, 十五日, 三十日, 六个月 …) changed by one day or month either
    way, or doubled, makes `crossexec test` fail — `crossexec mutate --kind period` kills them all."""
    run = mut.mutate(RULES, [], None, jobs=2, kinds={"period"})
    numbers = {(o.mutant.label, o.mutant.position) for o in run.outcomes}
    assert len(numbers) >= 12 and len(run.outcomes) == 3 * len(numbers)
    assert [f"{o.mutant.id} ({o.mutant.diff()})" for o in run.outcomes if o.status != "killed"] == []


def test_report_per_article(smoke):
    _, data = smoke
    row = next(r for r in data["articles"] if r["article"] == ARTICLE)
    assert row["mutants"] == row["killed"] + row["survived"] + row["equivalent"] > 0
    assert row["score"] == round(row["killed"] / (row["mutants"] - row["equivalent"]), 3)
    assert data["total"]["mutants"] == sum(r["mutants"] for r in data["articles"])
    for s in data["survivors"]:
        assert s["diff"].startswith("rules/guidance/a06.lp:") and " → " in s["diff"] and s["article"] == ARTICLE
        assert s["id"].count("/") == 2
    json.dumps(data, ensure_ascii=False)


def test_selection_is_sound_on_a_sample(smoke):
    """A scenario left out for a mutant passes against it (20 pairs of each sort)."""
    run, _ = smoke
    tests = {t.path: t for t in mut.load_tests([])}
    base = rb.load_rulebase()
    fired, other = mut.left_out(run)
    assert fired and other
    rng = random.Random(14)
    for m, path in rng.sample(fired, min(20, len(fired))) + rng.sample(other, min(20, len(other))):
        assert mut.verdict(tests[path], base.replace(m.label, m.statement)) is None, (m.id, path)


def test_probe_agrees_with_the_answer_sets(smoke):
    """The self-check of every baseline: over its own answer set each rule as written fires
    exactly where its `_app` records say (a missing `#const` once broke this)."""
    run, _ = smoke
    assert [b.probe_problem for b in run.baselines if b.probe_problem] == []
    in_force = next(o for o in run.outcomes if o.mutant.label == "a06_transfer_files")
    assert in_force.ran > 0


# -- the command line ----------------------------------------------------------------------------------

def test_cli_text_and_json(capsys):
    args = ["mutate", str(SCENARIOS / "a06"), "--article", "a06", "--jobs", "1"]
    assert main(args + ["--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Mutation testing" in out and "a06" in out and "score" in out
    assert main(args + ["--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [r["article"] for r in data["articles"]] == ["6"]


@pytest.mark.parametrize("args, words", [
    (["--article", "99"], "--article"),
    (["--article", "x"], "--article"),
    (["--plant", "a06_transfer_deadline/period=ten/n1"], "--plant"),
    (["--plant", "a06_nothing/period=10/n1"], "no rule"),
    (["--plant", "a06_transfer_deadline/period=10/n9"], "n9"),
    (["--jobs", "0"], "--jobs"),
    (["--kind", "numbers"], "--kind"),
])
def test_bad_options_exit_2(capsys, args, words):
    assert main(["mutate", str(SCENARIOS / "a06" / "cancel_done.yaml"), *args]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_bad_equivalents_file_exit_2(tmp_path, capsys):
    bad = tmp_path / "eq.yaml"
    bad.write_text("a06_transfer_deadline/drop/b1: ''\n", encoding="utf-8")
    assert main(["mutate", str(SCENARIOS / "a06" / "cancel_done.yaml"), "--article", "6", "--equivalent", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "eq.yaml" in err and "reason" in err


def test_equivalents_file_is_valid_and_current():
    """Every entry names a mutant of today's rule base and gives a reason."""
    data = mut.load_equivalent(mut.EQUIVALENT_FILE)
    base = rb.load_rulebase()
    positions = rb.court_positions(base)
    every = {f"{r.label}/{c.kind}/{c.position}" for r in base.rules.values() for c in rb.mutations(r, positions)}
    assert [key for key in data if key not in every] == []

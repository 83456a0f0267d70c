"""The rule base loader: annotations are required, sources are checked, provenance is faithful."""
import shutil

import pytest

from crossexec import RULES
from crossexec.errors import InputError
from crossexec.load import load_scenario
from crossexec.rulebase import load_rulebase
from crossexec.solve import solve
from crossexec import ROOT


@pytest.fixture
def scratch_rules(tmp_path):
    target = tmp_path / "rules"
    shutil.copytree(RULES, target)
    return target


def test_every_shipped_rule_is_annotated():
    rules = load_rulebase()
    assert len(rules.rules) > 50
    for rule in rules.rules.values():
        assert rule.sources, rule.label


def test_rule_without_annotation_is_refused_with_file_and_line(scratch_rules):
    path = scratch_rules / "guidance" / "a04.lp"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "\nstray(K) :- case(K).\n", encoding="utf-8")
    line = len((text + "\n").splitlines()) + 1
    with pytest.raises(InputError) as info:
        load_rulebase(scratch_rules)
    assert info.value.file == "rules/guidance/a04.lp" and info.value.line == line
    assert "annotation" in str(info.value)


def test_unknown_source_and_duplicate_label_refused(scratch_rules):
    path = scratch_rules / "guidance" / "a04.lp"
    original = path.read_text(encoding="utf-8")
    path.write_text(original + "\n%@ a04_extra 某某规定第1条\nextra(K) :- case(K).\n", encoding="utf-8")
    with pytest.raises(InputError, match="unknown source"):
        load_rulebase(scratch_rules)
    path.write_text(original + "\n%@ a04_urge 指导意见第4条\nextra(K) :- case(K).\n", encoding="utf-8")
    with pytest.raises(InputError, match="already used"):
        load_rulebase(scratch_rules)


def test_syntax_error_reported_with_line(scratch_rules):
    path = scratch_rules / "guidance" / "a05.lp"
    path.write_text(path.read_text(encoding="utf-8") + "\n%@ a05_broken 指导意见第5条\nbroken(K :- case(K).\n", encoding="utf-8")
    with pytest.raises(InputError, match="not a valid ASP program"):
        load_rulebase(scratch_rules)


def test_sources_come_from_the_rule_that_derived_the_conclusion():
    """The answer's sources are read off the `_app` records of the rule instances that fired."""
    answer = solve(load_scenario(ROOT / "tests/scenarios/a06/transfer_within_seven_days.yaml"), load_rulebase())
    transfer = next(c for c in answer.conclusions if c.action == "transfer_files")
    assert transfer.rules == ["a06_transfer_files"]
    assert transfer.sources == ["指导意见第6条第1款"]
    assert str(transfer.deadline) == "2024-10-08"


def test_plain_and_instrumented_programs_agree():
    """Instrumentation must not change the answer (one check of faithfulness)."""
    import clingo
    from crossexec.encode import encode
    from crossexec.legaltime import LegalTimeContext
    rules = load_rulebase()
    scenario = load_scenario(ROOT / "facts/examples/demo.yaml")
    results = []
    for instrumented in (True, False):
        control = clingo.Control(["--warn=none"])
        rules.add_to(control, instrumented=instrumented)
        control.add("base", [], encode(scenario).program())
        control.ground([("base", [])], context=LegalTimeContext())
        with control.solve(yield_=True) as handle:
            model = next(iter(handle))
            shown = model.symbols(shown=True)
            results.append({s for s in shown if not s.name.startswith("_app_") and s.name != "_by"})
            if instrumented:   # provenance: which rule derived each conclusion, with its ground head
                by = {(s.arguments[0].string, s.arguments[1]) for s in shown if s.name == "_by"}
                holds = {s for s in shown if s.name == "holds"}
                assert by and all(clingo.Function(h.arguments[0].name, h.arguments[1:]) in {head for _, head in by}
                                  for h in holds)
    assert results[0] == results[1] and results[0]


def _shown(rules, scenario, **form) -> list[str]:
    import clingo
    from crossexec.encode import encode
    from crossexec.legaltime import LegalTimeContext
    control = clingo.Control(["--warn=none"])
    rules.add_to(control, **form)
    control.add("base", [], encode(scenario).program())
    control.ground([("base", [])], context=LegalTimeContext())
    with control.solve(yield_=True) as handle:
        return [sorted(map(str, model.symbols(shown=True))) for model in handle]


def test_labelled_program_shows_what_the_program_with_proofs_shows():
    """Answers without proofs (ask, sweep) ground the labelled program: the same shown atoms,
    `_by` included, on every scenario of tests/scenarios (its groups' shared files read as one)."""
    from crossexec.errors import InputError
    rules = load_rulebase()
    compared = 0
    for path in sorted((ROOT / "tests/scenarios").rglob("*.yaml")):
        try:
            scenario = load_scenario(path)
        except InputError:
            continue                      # a fragment merged into a group, or bad input on purpose
        proofs, labels = _shown(rules, scenario), _shown(rules, scenario, proofs=False)
        assert proofs == labels, path
        assert any(text.startswith("_by(") for text in labels[0]) or not any(
            text.startswith("holds(") for text in labels[0]), path
        compared += 1
    assert compared > 500


def test_labelled_program_of_a_mutant_is_the_mutant_s():
    """`replace` (a mutant) builds its own labelled program: the changed rule is in it."""
    rules = load_rulebase()
    label = "a06_transfer_files"
    statement = rules.rules[label].statement
    mutant = rules.replace(label, statement.update(body=statement.body[:-1]))
    assert str(mutant.rules[label].statement) in "\n".join(map(str, mutant.plain))
    texts = [str(s) for s in mutant.labelled]
    assert len(mutant.labelled) == len(rules.labelled) and texts != [str(s) for s in rules.labelled]


def test_local_rules_are_loaded_only_when_asked(tmp_path, capsys):
    """Art. 27: provincial rules in rules/local/ join the rule base with --local, not otherwise."""
    from crossexec.cli import main
    (tmp_path / "js.lp").write_text('%@ local_js_rules 指导意见第27条\nlocal_rules("js").\n', encoding="utf-8")
    demo = str(ROOT / "facts/examples/demo.yaml")
    assert main(["ask", demo, "--format", "json"]) == 0
    assert '"file_local_rules"' not in capsys.readouterr().out
    assert main(["ask", demo, "--format", "json", "--local", str(tmp_path)]) == 0
    assert '"file_local_rules"' in capsys.readouterr().out
    assert main(["ask", demo, "--local", str(tmp_path / "missing")]) == 2


def test_the_earliest_of_two_deadlines_governs(scratch_rules):
    """rules/core/modalities.lp, core_deadline_governs: with a second, shorter time limit for the
    same act the answer gives the earlier day; without it, art. 6's."""
    scenario = load_scenario(ROOT / "tests/scenarios/a06/transfer_within_seven_days.yaml")
    def transfer_deadline(rules):
        answer = solve(scenario, rules)
        return str(next(c for c in answer.conclusions if c.action == "transfer_files").deadline)
    assert transfer_deadline(load_rulebase(scratch_rules)) == "2024-10-08"
    path = scratch_rules / "guidance" / "a06.lp"
    path.write_text(path.read_text(encoding="utf-8") + '\n%@ a06_test_shorter 指导意见第6条\n'
                    'deadline_from(O, transfer_files, case(K), R, D, 2, "day") :- pending(I, K), move(I, K, R), '
                    'origin(I, K, O), decision_received(I, D).\n', encoding="utf-8")
    assert transfer_deadline(load_rulebase(scratch_rules)) == "2024-09-29"   # a make-up working Sunday

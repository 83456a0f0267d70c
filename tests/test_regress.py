"""Regression tests on statute interpretation (issue 7): `crossexec test`, snapshots, `crossexec
diff`, the pytest plugin, and that every article's rules are guarded by some failing scenario."""
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from crossexec import ROOT, RULES
from crossexec.cli import main
from crossexec.errors import InputError
from crossexec.expect import at_least, cites
from crossexec.load import load_scenario
from crossexec.regress import Runner, discover, has_expect, report
from crossexec.rulebase import load_rulebase

CASES = ROOT / "tests" / "regress_cases"
SCENARIOS = ROOT / "tests" / "scenarios"
TRANSFER = CASES / "transfer_after_instruction.yaml"
SIX_MONTH_CASES = {"applicant_under_six_months.yaml", "interference_under_six_months.yaml"}


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def with_expect(tmp_path, expect: str, name="case.yaml", source=TRANSFER) -> Path:
    """A copy of a fixture scenario with its `expect:` section replaced."""
    text = source.read_text(encoding="utf-8").split("expect:")[0] + "expect:\n" + expect
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def six_months_broken(tmp_path_factory) -> Path:
    """A scratch copy of rules/ in which the six months of art. 4 / 执行程序解释第13条 became three."""
    folder = tmp_path_factory.mktemp("broken") / "rules"
    shutil.copytree(RULES, folder)
    time = folder / "core" / "time.lp"
    text = time.read_text(encoding="utf-8")
    assert '6, "month"' in text
    time.write_text(text.replace('6, "month"', '3, "month"'), encoding="utf-8")
    return folder


# -- an expert adds a test by writing one file ---------------------------------------------------------

def test_one_yaml_file_is_a_test(tmp_path, capsys):
    shutil.copy(TRANSFER, tmp_path / "mine.yaml")
    code, out, _ = run(capsys, "test", tmp_path)
    assert code == 0
    assert "mine.yaml" in out and "通过" in out and "1 通过" in out


def test_fixtures_pass_and_files_without_expect_are_skipped(capsys):
    code, out, _ = run(capsys, "test", CASES)
    assert code == 0, out
    assert "1 个文件无 expect:，已跳过" in out
    assert "no_expectations.yaml" not in out


def test_english_report(tmp_path, capsys):
    path = with_expect(tmp_path, "  present:\n    - {modality: must, actor: 苏州市吴江区人民法院, action: transfer_files, case: c1, deadline: 2024-10-07}\n")
    code, out, _ = run(capsys, "test", "--lang", "en", path)
    assert code == 1
    assert "FAIL" in out and "deadline 2024-10-08, expected 2024-10-07" in out


# -- a failing expectation: exit 1, naming scenario, conclusion and article ---------------------------

def test_wrong_deadline_fails_naming_scenario_conclusion_and_article(tmp_path, capsys):
    path = with_expect(tmp_path, "  present:\n    - {modality: must, actor: 苏州市吴江区人民法院, action: transfer_files, case: c1, deadline: 2024-10-07}\n",
                       name="wrong_deadline.yaml")
    code, out, _ = run(capsys, "test", path)
    assert code == 1
    assert "wrong_deadline.yaml" in out and "expect.present[0]" in out
    assert "must 苏州市吴江区人民法院 transfer_files c1 -> 昆山市人民法院" in out      # what the rules concluded
    assert "期限 2024-10-08，期望 2024-10-07" in out                               # the difference
    assert "a06_transfer_files（指导意见第6条第1款，rules/guidance/a06.lp" in out    # the article


def test_missing_conclusion_lists_the_rules_that_could_derive_it(tmp_path, capsys):
    path = with_expect(tmp_path, "  present:\n    - {modality: must, actor: 苏州市吴江区人民法院, action: elevate, case: c1}\n")
    code, out, _ = run(capsys, "test", path)
    assert code == 1
    assert "没有同一主体、行为、对象的结论" in out
    assert "may a04_elevate（指导意见第4条第1款" in out and "should a10_elevate_after_two（指导意见第10条" in out


def test_unexpected_conclusion_shows_its_proof(tmp_path, capsys):
    path = with_expect(tmp_path, "  absent:\n    - {actor: 苏州市吴江区人民法院, action: transfer_files, case: c1}\n")
    code, out, _ = run(capsys, "test", path)
    assert code == 1
    assert "a06_transfer_files" in out and "core_deadline" in out and "民事诉讼法第85条" in out


@pytest.mark.parametrize("expect, ok", [
    # modality "at least": must satisfies should and may, not must_not
    ("present: [{modality: may, actor: 吴江区人民法院, action: stop_execution, case: c1}]", True),
    ("present: [{modality: should, actor: 吴江区人民法院, action: stop_execution, case: c1}]", True),
    ("present: [{modality: should_not, actor: 吴江区人民法院, action: stop_execution, case: c1}]", False),
    ("absent: [{modality: should, actor: 昆山市人民法院, action: skip_repeated_work, case: c1}]", True),   # only may
    ("absent: [{modality: may, actor: 昆山市人民法院, action: skip_repeated_work, case: c1}]", False),
    ("absent: [{actor: 昆山市人民法院, action: skip_repeated_work, case: c1}]", False),                    # any modality
    # target: omitted = any, none = no target court
    ("present: [{modality: must, actor: 吴江区人民法院, action: transfer_files, case: c1}]", True),
    ("present: [{modality: must, actor: 吴江区人民法院, action: transfer_files, case: c1, target: none}]", False),
    ("present: [{modality: must, actor: 吴江区人民法院, action: transfer_files, case: c1, target: 姑苏区人民法院}]", False),
    ("present: [{modality: must, actor: 吴江区人民法院, action: stop_execution, case: c1, target: none}]", True),
    # sources by prefix; rests_on anywhere in the proof
    ("present: [{modality: must, actor: 吴江区人民法院, action: transfer_files, case: c1, sources: [指导意见第6条第1款]}]", True),
    ("present: [{modality: must, actor: 吴江区人民法院, action: transfer_files, case: c1, sources: [指导意见第6条第2款]}]", False),
    ("present: [{modality: must, actor: 吴江区人民法院, action: transfer_files, case: c1, sources: [民事诉讼法第85条]}]", False),
    ("present: [{modality: must, actor: 吴江区人民法院, action: transfer_files, case: c1, rests_on: [民法典第203条]}]", True),
    ("present: [{modality: must, actor: 吴江区人民法院, action: transfer_files, case: c1, rests_on: [指导意见第9条]}]", False),
    # the object, and the actor, must be the same
    ("present: [{modality: must, actor: 昆山市人民法院, action: transfer_files, case: c1}]", False),
    ("absent: [{actor: applicant, action: apply_superior, case: c1}]", True),
    # rank and holder: how the answer presents the conclusion (a duty binds each court alone; no ranked target)
    ("present: [{modality: must, actor: 吴江区人民法院, action: transfer_files, case: c1, holder: sole}]", True),
    ("present: [{modality: must, actor: 吴江区人民法院, action: transfer_files, case: c1, holder: ordinary}]", False),
    ("present: [{modality: must, actor: 吴江区人民法院, action: transfer_files, case: c1, rank: 1}]", False),
])
def test_matching_semantics(tmp_path, capsys, expect, ok):
    path = with_expect(tmp_path, f"  {expect}\n")
    code, out, _ = run(capsys, "test", path)
    assert code == (0 if ok else 1), out


def test_source_prefix_is_a_whole_article():
    assert cites(["指导意见第6条第1款"], "指导意见第6条")
    assert not cites(["指导意见第10条"], "指导意见第1条")
    assert at_least("must", "may") and at_least("must_not", "should_not")
    assert not at_least("may", "should") and not at_least("must_not", "may") and at_least("may", None)


# -- bad expectations: exit 2 naming file and key path -----------------------------------------------

@pytest.mark.parametrize("expect, where, words", [
    ("present: [{modality: must, actor: 吴江区人民法院, action: transfer_file, case: c1}]", "expect.present[0].action", "transfer_files"),
    ("present: [{modality: must, actor: 吴江区人民法院, action: transfer_files, case: c1, colour: red}]", "expect.present[0].colour", "unknown key"),
    ("present: [{modality: must, actor: 海淀区人民法院, action: transfer_files, case: c1}]", "expect.present[0].actor", "unknown court"),
    ("present: [{modality: must, actor: 人民法院, action: transfer_files, case: c1}]", "expect.present[0].actor", "ambiguous"),
    ("present: [{modality: shall, actor: 吴江区人民法院, action: transfer_files, case: c1}]", "expect.present[0].modality", "must"),
    ("present: [{actor: 吴江区人民法院, action: transfer_files, case: c1}]", "expect.present[0].modality", "required"),
    ("present: [{modality: must, actor: 吴江区人民法院, action: transfer_files, case: c1, debtor: 某公司}]", "expect.present[0].debtor", "exactly one"),
    ("present: [{modality: must, actor: 吴江区人民法院, action: transfer_files}]", "expect.present[0].case", "exactly one"),
    ("present: [{modality: must, actor: 吴江区人民法院, action: transfer_files, case: c9}]", "expect.present[0].case", "unknown case"),
    ("present: [{modality: must, actor: 吴江区人民法院, action: transfer_files, case: c1, deadline: 2024-10-32}]", "expect.present[0].deadline", "date"),
    ("present: [{modality: must, actor: 吴江区人民法院, action: transfer_files, case: c1, deadline: 8 Oct}]", "expect.present[0].deadline", "YYYY-MM-DD"),
    ("present: [{modality: must, actor: 吴江区人民法院, action: transfer_files, case: c1, sources: 指导意见第6条}]", "expect.present[0].sources", "list"),
    ("present: [{modality: must, actor: 吴江区人民法院, action: transfer_files, case: c1, rests_on: [第6条]}]", "expect.present[0].rests_on[0]", "citation"),
    ("absent: [{actor: 吴江区人民法院, action: transfer_files, case: c1, target: 北京}]", "expect.absent[0].target", "unknown court"),
    ("present: [{modality: must, actor: 吴江区人民法院, action: transfer_files, case: c1, rank: 0}]", "expect.present[0].rank", "whole number"),
    ("present: [{modality: must, actor: 吴江区人民法院, action: transfer_files, case: c1, holder: solo}]", "expect.present[0].holder", "ordinary"),
    ("presence: []", "expect.presence", "unknown key"),
    ("present: {modality: must}", "expect.present", "list"),
])
def test_bad_expectation_is_input_error(tmp_path, capsys, expect, where, words):
    path = with_expect(tmp_path, f"  {expect}\n", name="bad.yaml")
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    assert caught.value.where == where and words in caught.value.expected and caught.value.line
    code, out, err = run(capsys, "test", tmp_path)
    assert code == 2
    assert "bad.yaml" in err and where in err and "Traceback" not in err + out


def test_a_test_scenario_must_fix_as_of(tmp_path):
    path = with_expect(tmp_path, "  absent: [{actor: 昆山市人民法院, action: elevate, case: c1}]\n")
    path.write_text(path.read_text(encoding="utf-8").replace("as_of: 2024-09-30\n", ""), encoding="utf-8")
    with pytest.raises(InputError, match="as_of"):
        load_scenario(path)


def test_missing_path_and_bad_yaml_exit_2(tmp_path, capsys):
    assert run(capsys, "test", tmp_path / "nowhere")[0] == 2
    (tmp_path / "broken.yaml").write_text("expect: [\n", encoding="utf-8")
    code, _, err = run(capsys, "test", tmp_path)
    assert code == 2 and "broken.yaml" in err


# -- breaking a rule on purpose ------------------------------------------------------------------------

def test_broken_six_months_fails_naming_scenario_conclusion_and_article(six_months_broken, capsys):
    code, out, _ = run(capsys, "test", "--rules", six_months_broken, CASES)
    assert code == 1
    details = out.split("失败详情")[1]
    for name in SIX_MONTH_CASES:
        assert name in details
    assert "objection_in_transfer.yaml" not in details and "transfer_after_instruction.yaml" not in details
    assert "may 江苏省苏州市中级人民法院 elevate c1" in details and "a04_elevate（指导意见第4条第1款" in details
    assert "may 申请执行人 apply_superior c1" in details and "民事诉讼法第237条" in details


def test_rules_without_answer_set_fail_the_scenario(tmp_path, capsys):
    """A rule base that contradicts the facts fails the test (exit 1): the rules are what is tested."""
    folder = tmp_path / "rules"
    shutil.copytree(RULES, folder)
    with (folder / "core" / "cases.lp").open("a", encoding="utf-8") as f:
        f.write("\n%@ test_paradox 本库约定\nparadox :- case(_), not paradox.\n")   # no stable model
    code, out, _ = run(capsys, "test", "--rules", folder, TRANSFER)
    assert code == 1 and "没有回答集" in out and "transfer_after_instruction.yaml" in out


def affected(out: str) -> set[str]:
    """The scenarios a diff report lists: their header lines are not indented."""
    return {Path(line.split(" — ")[0]).name for line in out.splitlines() if " — " in line and not line.startswith(" ")}


def test_diff_lists_exactly_the_affected_scenarios(six_months_broken, capsys):
    code, out, _ = run(capsys, "diff", "--rules", six_months_broken, CASES)
    assert code == 0
    assert affected(out) == SIX_MONTH_CASES
    assert "- may 江苏省苏州市中级人民法院 elevate c1" in out      # in the old (broken) answer, not the new
    code, out, _ = run(capsys, "diff", "--rules", RULES, "--rules", six_months_broken, CASES)   # folder vs folder
    assert code == 0 and affected(out) == SIX_MONTH_CASES
    assert "+ may 江苏省苏州市中级人民法院 elevate c1" in out


def test_diff_reports_changed_reasons(tmp_path, capsys):
    """Same conclusions, different reasons: a rule's citation changes."""
    folder = tmp_path / "rules"
    shutil.copytree(RULES, folder)
    a06 = folder / "guidance" / "a06.lp"
    a06.write_text(a06.read_text(encoding="utf-8").replace("%@ a06_transfer_files 指导意见第6条第1款",
                                                           "%@ a06_transfer_files 指导意见第6条"), encoding="utf-8")
    code, out, _ = run(capsys, "diff", "--rules", folder, CASES)
    assert code == 0 and affected(out) == {"transfer_after_instruction.yaml", "objection_in_transfer.yaml"}
    assert "~ must 苏州市吴江区人民法院 transfer_files c1 -> 昆山市人民法院: 依据 [指导意见第6条] → [指导意见第6条第1款]" in out


def test_diff_with_git_refs(capsys):
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    code, out, _ = run(capsys, "diff", "--rules", "HEAD", "--rules", "HEAD", CASES)
    assert code == 0 and "均无变化" in out
    code, _, err = run(capsys, "diff", "--rules", "no-such-ref-xyz", CASES)
    assert code == 2 and "no-such-ref-xyz" in err


# -- snapshots -----------------------------------------------------------------------------------------

def test_update_writes_stable_snapshots_that_are_then_checked(tmp_path, capsys):
    shutil.copy(TRANSFER, tmp_path / "t.yaml")
    assert run(capsys, "test", "--update", tmp_path)[0] == 0
    snap = tmp_path / "t.snapshot.json"
    first = snap.read_bytes()
    data = json.loads(first)
    transfer = next(c for c in data["conclusions"] if c["action"] == "transfer_files")
    assert transfer["deadline"] == "2024-10-08" and "a06_transfer_deadline" in transfer["proof"]["rules"]
    assert "民事诉讼法第85条" in transfer["proof"]["sources"]
    assert run(capsys, "test", "--update", tmp_path)[0] == 0 and snap.read_bytes() == first   # deterministic
    assert discover([tmp_path]) == [tmp_path / "t.yaml"]                                     # not a scenario
    code, out, _ = run(capsys, "test", tmp_path)
    assert code == 0, out
    transfer["deadline"] = "2024-10-09"
    snap.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, out, _ = run(capsys, "test", tmp_path)
    assert code == 1 and "t.snapshot.json" in out and "期限 2024-10-09 → 2024-10-08" in out


# -- the pytest plugin ---------------------------------------------------------------------------------

def pytest_in(folder: Path, *args) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args], cwd=folder,
                          capture_output=True, text=True, env=env)


def test_plugin_collects_scenarios_with_expect_only(tmp_path):
    scenarios = tmp_path / "tests" / "scenarios" / "a06"
    scenarios.mkdir(parents=True)
    (tmp_path / "pytest.ini").write_text("[pytest]\ntestpaths = tests\n", encoding="utf-8")
    shutil.copy(TRANSFER, scenarios / "ok.yaml")
    with_expect(scenarios, "  absent: [{actor: 吴江区人民法院, action: transfer_files, case: c1}]\n", name="wrong.yaml")
    shutil.copy(CASES / "no_expectations.yaml", scenarios / "plain.yaml")
    (scenarios / "gone.snapshot.json").write_text("{}", encoding="utf-8")   # a snapshot is never a test
    (tmp_path / "facts").mkdir()
    shutil.copy(TRANSFER, tmp_path / "facts" / "elsewhere.yaml")
    shutil.copy(TRANSFER, tmp_path / "tests" / "fixture.yaml")
    listed = pytest_in(tmp_path, "--collect-only", "-q", ".")
    items = [line for line in listed.stdout.splitlines() if "::" in line]
    assert sorted(items) == ["tests/scenarios/a06/ok.yaml::ok", "tests/scenarios/a06/wrong.yaml::wrong"], listed.stdout
    result = pytest_in(tmp_path, "-q")
    assert result.returncode == 1
    assert "1 failed, 1 passed" in result.stdout
    assert "expect.absent[0]" in result.stdout and "a06_transfer_files（指导意见第6条第1款" in result.stdout


def test_plain_pytest_collects_each_repository_scenario_once():
    listed = pytest_in(ROOT, "--collect-only", "-q")
    items = [line for line in listed.stdout.splitlines() if ".yaml::" in line]
    expected = sorted(str(p.relative_to(ROOT)) for p in SCENARIOS.rglob("*.yaml") if has_expect(p))
    assert sorted(i.split("::")[0] for i in items) == expected
    assert not any("regress_cases" in i or "facts/" in i for i in items)


# -- every article is guarded: emptying its rules makes some scenario fail -----------------------------

def article_files() -> list[Path]:
    return sorted((RULES / "guidance").glob("a*.lp"))


@pytest.fixture(scope="module")
def baseline():
    """Every scenario test under the full rule base: {path: Result}."""
    runner = Runner(load_rulebase(), record_labels=True)
    return runner.rules, {p: runner.run(p) for p in discover([SCENARIOS]) if has_expect(p)}


@pytest.mark.parametrize("article", [p.name for p in article_files()])
def test_emptying_an_article_fails_some_scenario(article, tmp_path, baseline):
    """`crossexec test --rules COPY` with rules/guidance/<article> emptied exits 1, through a scenario
    that passes with the full rules.

    To stay fast, the article's own folder (tests/scenarios/aNN/) is tried first and the search stops
    at the first scenario that now fails; a scenario in which no rule of the file fired is not run
    again (removing rules that did not fire leaves a stratified program's answer set as it was).
    CROSSEXEC_FULL_COVERAGE=1 runs every such scenario and checks the whole report's exit code."""
    rules, before = baseline
    own = {label for label, rule in rules.rules.items() if rule.file == f"guidance/{article}"}
    if not own:
        pytest.skip(f"rules/guidance/{article} has no rules (not normative)")
    folder = tmp_path / "rules"
    shutil.copytree(RULES, folder)
    (folder / "guidance" / article).write_text("", encoding="utf-8")
    runner = Runner(load_rulebase(folder))
    full = os.environ.get("CROSSEXEC_FULL_COVERAGE") == "1"
    home = SCENARIOS / article[:-3]
    order = sorted(before, key=lambda p: (not p.is_relative_to(home), str(p)))
    after = dict(before)
    for path in order:
        r = before[path]
        if not (r.labels & own or r.status != "pass" or r.warnings):
            continue
        after[path] = runner.run(path)
        if after[path].status == "fail" and r.status == "pass" and not full:
            break
    newly = [p for p, r in after.items() if r.status == "fail" and before[p].status == "pass"]
    assert newly, (f"article {article[:-3]} lacks failing coverage: emptying rules/guidance/{article} fails no "
                   "scenario under tests/scenarios/ that passes with the full rules")
    out = io.StringIO()
    code = report(list(after.values()), runner, out=out)
    assert code == 1, f"emptying rules/guidance/{article}: expected exit 1, got {code}:\n{out.getvalue()}"

"""Issue 13: hostile and broken input is refused in one clean line (exit 2), never a hang, never a
wrong answer, never a file touched. Each test is one class of attack from the issue."""
import json
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
import yaml

from crossexec import ROOT
from crossexec.cli import main
from crossexec.load import MAX_COURT_DEPTH, load_scenario
from crossexec.errors import InputError

DEMO = ROOT / "facts" / "examples" / "demo.yaml"
COURTS = """\
courts:
  - {id: spc, name: 最高人民法院, level: supreme}
  - {id: js, name: 江苏省高级人民法院, level: high, parent: spc}
  - {id: sz, name: 江苏省苏州市中级人民法院, level: intermediate, parent: js}
  - {id: gs, name: 苏州市姑苏区人民法院, level: basic, parent: sz}
  - {id: wj, name: 苏州市吴江区人民法院, level: basic, parent: sz}
"""
CASE = """\
cases:
  - id: c1
    court: gs
    filed: 2023-06-15
    obligation: money
    debtor: 某公司
"""


def run(argv, capsys, limit: float = 20.0):
    """(exit code, stdout, stderr) of the command, which must finish within `limit` seconds."""
    started = time.monotonic()
    code = main([str(a) for a in argv])
    assert time.monotonic() - started < limit
    out, err = capsys.readouterr()
    return code, out, err


def one_clean_line(err: str, *expected: str, limit: int = 1500) -> str:
    """An exit-2 message: one line, no control character, bounded, naming what is expected."""
    assert err.startswith("crossexec: ") and err.endswith("\n") and err.count("\n") == 1, err[:500]
    line = err[:-1]
    assert line.isprintable() or all(ch.isprintable() or ch == "\u3000" for ch in line), line[:500]
    assert len(line) <= limit, len(line)
    for text in expected:
        assert text in line, line
    return line


def refused(tmp_path, capsys, text: str, *expected: str, limit: int = 1500) -> str:
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    code, out, err = run(["ask", path, "--format", "json"], capsys)
    assert code == 2 and out == "", (code, err[:500])
    return one_clean_line(err, str(path), *expected, limit=limit)


# -- denial of service ----------------------------------------------------------------------------

BOMB = "[" + ", ".join(['&a0 ["x","x","x","x","x","x","x","x","x"]'] + [
    f"&a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]) + "]"


def test_alias_bomb_refused_at_once(tmp_path, capsys):
    """Nine wide, eight deep: 43 million strings if every alias were expanded."""
    text = "courts:\n  - {id: spc, level: supreme, name: " + BOMB + "}\n"
    started = time.monotonic()
    line = refused(tmp_path, capsys, text, "courts[0].name", "expected text, got a list")
    assert time.monotonic() - started < 2 and len(line) < 300


def test_alias_bomb_in_an_ignored_place_costs_nothing(tmp_path, capsys):
    lines = ['x0: &a0 ["x","x","x","x","x","x","x","x","x"]']
    lines += [f"x{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 12)]
    started = time.monotonic()
    refused(tmp_path, capsys, "\n".join(lines) + "\ncourts: national\n", "x0", "unknown key")
    assert time.monotonic() - started < 2


@pytest.mark.parametrize("text", ["courts: &r [*r]\n", "courts: &r {a: *r}\n", "courts: [&r [[*r]]]\n"])
def test_self_referencing_alias_refused(tmp_path, capsys, text):
    refused(tmp_path, capsys, text, "courts", "alias inside its own anchor")


def test_aliases_pyyaml_writes_are_accepted(tmp_path, capsys):
    """yaml.safe_dump writes an anchor and an alias for a value used twice (here a date): such a
    file is read as if the value were written out."""
    day = date(2024, 1, 10)
    data = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    data["decisions"][0].update(date=day, received=day)
    data["cases"][1]["events"][0]["date"] = day
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    assert "&id001" in text and "*id001" in text
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    code, out, err = run(["ask", path, "--format", "json"], capsys)
    assert code == 0, err
    assert load_scenario(path).decisions[0].received == day


def test_merge_key_refused_in_one_line(tmp_path, capsys):
    refused(tmp_path, capsys, "courts:\n  - <<: {id: spc}\n    name: a\n    level: supreme\n", ":2:", "merge keys")
    refused(tmp_path, capsys, "x: &x {id: spc}\ncourts:\n  - <<: *x\n    name: a\n    level: supreme\n", ":3:", "merge keys")


@pytest.mark.parametrize("tag", ["!foo bar", "!!python/object/apply:os.system ['true']", "!!binary aGk=", "!!set {a}"])
def test_unknown_tags_refused_in_one_line(tmp_path, capsys, tag):
    refused(tmp_path, capsys, f"courts: {tag}\n", ":1:", "courts", "tag")


@pytest.mark.parametrize("nesting", ["[" * 20000 + "]" * 20000, "{a: " * 3000 + "1" + "}" * 3000,
                                     "\n".join("  " * i + "- " for i in range(200))])
def test_deep_nesting_refused(tmp_path, capsys, nesting):
    refused(tmp_path, capsys, "courts: " + nesting + "\n", "nest")


def test_large_file_refused_before_reading(tmp_path, capsys):
    path = tmp_path / "big.yaml"
    with open(path, "wb") as f:
        f.truncate(11 * 1024 * 1024)          # sparse: 11 MB of NUL bytes
    code, _, err = run(["ask", path], capsys)
    assert code == 2
    one_clean_line(err, "bytes")


@pytest.mark.parametrize("make", ["dev_zero", "fifo", "folder"])
def test_not_a_regular_file(tmp_path, capsys, make):
    if make == "dev_zero":
        path = Path("/dev/zero")
        if not path.exists():
            pytest.skip("no /dev/zero here")
    elif make == "fifo":
        path = tmp_path / "pipe.yaml"
        os.mkfifo(path)
    else:
        path = tmp_path
    code, _, err = run(["ask", path], capsys, limit=5)
    assert code == 2
    one_clean_line(err, "regular file")


def test_court_chain_2000_deep_refused_fast(tmp_path, capsys):
    courts = [{"id": "k0", "name": "k0", "level": "supreme"}] + [
        {"id": f"k{i}", "name": f"k{i}", "level": "basic", "parent": f"k{i - 1}"} for i in range(1, 2000)]
    text = yaml.safe_dump({"as_of": date(2024, 9, 30), "courts": courts}, allow_unicode=True)
    started = time.monotonic()
    refused(tmp_path, capsys, text, "parent", f"more than {MAX_COURT_DEPTH} courts above")
    assert time.monotonic() - started < 2


def test_court_tree_check_is_linear():
    """Wide and moderately deep trees load in time proportional to their size (the old check
    walked every court up to the root)."""
    from crossexec.load import _ScenarioReader
    from crossexec.model import Court

    def tree(n):                      # n chains of MAX_COURT_DEPTH courts under one root
        courts = {"r": Court("r", "r", "supreme", None, None, None, path="courts[0]")}
        for i in range(n):
            parent = "r"
            for d in range(MAX_COURT_DEPTH):
                cid = f"c{i}_{d}"
                courts[cid] = Court(cid, cid, "basic", parent, None, None, path=f"courts[{cid}]")
                parent = cid
        return courts

    def seconds(n):
        courts, reader = tree(n), _ScenarioReader("t.yaml")
        started = time.perf_counter()
        reader.check_tree(courts)
        return time.perf_counter() - started
    small, large = min(seconds(200) for _ in range(3)), min(seconds(1600) for _ in range(3))
    assert large < 16 * small + 0.05          # 8× the courts: linear gives ~8×, quadratic-in-depth far more


def test_court_cycle_still_named(tmp_path, capsys):
    text = ("courts:\n  - {id: a, name: 甲, level: basic, parent: b}\n"
            "  - {id: b, name: 乙, level: basic, parent: a}\n")
    refused(tmp_path, capsys, text, "cycle", "甲", "乙")


# -- wrong answers --------------------------------------------------------------------------------

@pytest.mark.parametrize("field,value", [("id", '"spc\\0x"'), ("id", '"c1\\0a"'), ("name", '"a\\x1b[2Jb"'),
                                         ("name", '"a\\u202eb"'), ("name", '"a\\tb"')])
def test_control_characters_refused(tmp_path, capsys, field, value):
    text = ("courts:\n  - {id: spc, name: 最高人民法院, level: supreme}\n"
            f"  - {{{'id: x, name: ' + value if field == 'name' else 'name: y, id: ' + value}, level: high, parent: spc}}\n")
    line = refused(tmp_path, capsys, text, ":3:", f"courts[1].{field}", "control character")
    assert "\\" in line


def test_nul_in_case_ids_does_not_merge_cases(tmp_path):
    text = COURTS + CASE + CASE.replace("cases:\n", "").replace("id: c1", 'id: "c1\\0b"')
    text = text.replace("id: c1\n", 'id: "c1\\0a"\n', 1)
    path = tmp_path / "s.yaml"
    path.write_text("as_of: 2024-03-01\n" + text, encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_scenario(path)
    assert "cases[0].id" in str(e.value) and "\\x00" in str(e.value)


def test_decision_before_its_case_was_filed_refused(tmp_path, capsys):
    text = ("as_of: 2024-03-01\n" + COURTS + CASE + "decisions:\n"
            "  - {kind: elevate, by: sz, case: c1, date: 2023-01-10, received: 2023-01-10}\n")
    refused(tmp_path, capsys, text, "decisions[0].date", "before the case existed")


def test_decision_before_a_move_to_the_filing_court_accepted(tmp_path):
    """README, "Recording a case's history": `filed` is the receiving court's filing after an instruction: still accepted."""
    text = ("as_of: 2024-03-01\n" + COURTS + CASE.replace("court: gs", "court: wj") + "decisions:\n"
            "  - {kind: instruct, by: sz, case: c1, date: 2023-01-10, received: 2023-01-10, to: wj}\n")
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_scenario(path).decisions[0].to == "wj"


def test_decision_before_the_application_refused(tmp_path, capsys):
    text = ("as_of: 2024-03-01\n" + COURTS + CASE.replace("court: gs", "court: wj").replace(
        "filed: 2023-06-15", "filed: 2023-06-15\n    applied: 2023-02-01") + "decisions:\n"
            "  - {kind: instruct, by: sz, case: c1, date: 2023-01-10, received: 2023-01-10, to: wj}\n")
    refused(tmp_path, capsys, text, "decisions[0].date", "application (2023-02-01)")


# -- internal errors where input is at fault --------------------------------------------------------

@pytest.mark.parametrize("edit,where", [
    (("as_of: 2024-09-30", "as_of: 9999-12-31"), "as_of"),
    (("{from: 2023-08-01, to: 2023-09-30", "{from: 0001-01-01, to: 2023-09-30"), "cases[0].excluded_periods[0].from"),
    (("filed: 2023-06-15", "filed: 1899-12-31"), "cases[0].filed"),
    (("measure_expires: 2024-10-20", "measure_expires: 3000-01-01"), "cases[1].assets[0].measure_expires"),
])
def test_dates_out_of_range(tmp_path, capsys, edit, where):
    text = DEMO.read_text(encoding="utf-8")
    assert edit[0] in text
    refused(tmp_path, capsys, text.replace(edit[0], edit[1], 1), where, "1900-01-01 to 2999-12-31")


def test_dates_at_the_ends_of_the_range_answered(tmp_path, capsys):
    text = DEMO.read_text(encoding="utf-8").replace("as_of: 2024-09-30", "as_of: 2999-12-31").replace(
        "{from: 2023-08-01, to: 2023-09-30", "{from: 1900-01-01, to: 2999-12-31").replace(
        "filed: 2023-06-15", "filed: 1900-01-01").replace("found: 2023-06-15", "found: 1900-01-01")
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    code, out, err = run(["ask", path, "--format", "json"], capsys)
    assert code == 0, err
    assert json.loads(out)["as_of"] == "2999-12-31"


@pytest.mark.parametrize("item,where", [
    ("{modality: may, actor: sz, action: " + BOMB + ", case: c1}", "expect.present[0].action"),
    ("{modality: " + BOMB + ", actor: sz, action: elevate, case: c1}", "expect.present[0].modality"),
    ("{modality: may, actor: sz, action: elevate, case: c1, sources: " + BOMB + "}", "expect.present[0].sources"),
    ("{modality: [may], actor: sz, action: elevate, case: c1}", "expect.present[0].modality"),
    ("{modality: may, actor: sz, action: [elevate], case: c1}", "expect.present[0].action"),
    ("{modality: may, actor: [sz], action: elevate, case: c1}", "expect.present[0].actor"),
    ("{modality: may, actor: sz, action: elevate, case: [c1]}", "expect.present[0].case"),
    ("{modality: may, actor: sz, action: elevate, case: c1, target: {a: 1}}", "expect.present[0].target"),
])
def test_lists_where_a_value_is_expected_in_expect(tmp_path, capsys, item, where):
    text = "as_of: 2024-03-01\n" + COURTS + CASE + f"expect:\n  present:\n    - {item}\n"
    refused(tmp_path, capsys, text, where)


@pytest.mark.parametrize("value,where", [
    ("cases: [[c1]]", "disputes[0].cases[0]"), ("kind: [other]", "disputes[0].kind"),
    ("courts: [[gs], wj]", "disputes[0].courts[0]")])
def test_lists_where_a_value_is_expected_in_disputes(tmp_path, capsys, value, where):
    dispute = {"id": "d1", "courts": "[gs, wj]", "kind": "other"}
    key, _, val = value.partition(": ")
    dispute[key] = val
    text = ("as_of: 2024-03-01\n" + COURTS + CASE + "disputes:\n  - {"
            + ", ".join(f"{k}: {v}" for k, v in dispute.items()) + "}\n")
    refused(tmp_path, capsys, text, where)


@pytest.mark.parametrize("conclusion,where", [
    ('{"modality":"may","actor":"江苏省高级人民法院","action":"elevate","case":"c1","target":[1]}', "CONCLUSION.target"),
    ('{"modality":"may","actor":"江苏省高级人民法院","action":"elevate","case":"c1","target":5}', "CONCLUSION.target"),
    ('{"modality":"may","actor":"江苏省高级人民法院","action":"elevate","case":["c1"]}', "CONCLUSION.case"),
    ('{"modality":"may","actor":"江苏省高级人民法院","action":"elevate","case":' + "9" * 5000 + "}", "CONCLUSION"),
    ("[" * 4000 + "]" * 4000, "CONCLUSION"),
    ('{"a":' * 4000 + "1" + "}" * 4000, "CONCLUSION"),
    ("[" * 20000 + "]" * 20000, "CONCLUSION"),
    ('{"modality":"may","actor":"江苏省高级人民法院","action":"elevate","case":"c1","x":' + "[" * 3000 + "]" * 3000 + "}",
     "CONCLUSION"),
])
@pytest.mark.parametrize("command", ["why", "whynot"])
def test_why_whynot_bad_json_conclusions(capsys, command, conclusion, where):
    code, out, err = run([command, DEMO, conclusion], capsys)
    assert code == 2 and out == "", err[:300]
    one_clean_line(err, where)


def test_check_out_unwritable_refused_before_the_search(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    started = time.monotonic()
    code, out, err = run(["check", "--out", blocker / "sub"], capsys)
    assert code == 2 and time.monotonic() - started < 5
    one_clean_line(err, "--out", "folder")


# -- one line -------------------------------------------------------------------------------------

def test_key_path_with_newlines_and_escape_codes_is_escaped(tmp_path, capsys):
    text = 'courts:\n  - {"id\\nTraceback (most recent call last):\\x1b[2J": spc}\n'
    line = refused(tmp_path, capsys, text, ":2:")
    assert "\\n" in line and "\\x1b" in line


def test_unknown_key_with_escape_codes_is_escaped(tmp_path, capsys):
    text = 'as_of: 2024-03-01\n' + COURTS.replace("level: supreme}", 'level: supreme, "\\u202ekey": 1}')
    refused(tmp_path, capsys, text, ":3:")


def test_long_values_are_cut(tmp_path, capsys):
    text = 'courts:\n  - {id: spc, name: a, level: "' + "x" * 3_000_000 + '"}\n'
    line = refused(tmp_path, capsys, text, "courts[0].level", "…", limit=800)
    assert line.count("x") < 400


def test_long_key_paths_are_cut(tmp_path, capsys):
    text = "courts:\n  - id: spc\n    name: a\n    level: supreme\n    ? " + "k" * 100_000 + "\n    : 1\n"
    line = refused(tmp_path, capsys, text, "courts[0].kkk", "unknown key", "…", limit=1500)
    assert line.count("k") < 800


def test_bad_as_of_is_one_line_without_usage(capsys):
    for value in ("2024-13-01", "9999-12-31", "\x1b[2Jx"):
        with pytest.raises(SystemExit) as e:
            main(["ask", str(DEMO), "--as-of", value])
        assert e.value.code == 2
        one_clean_line(capsys.readouterr().err, "--as-of")


def test_text_output_escapes_control_characters(monkeypatch, capsys):
    """Names cannot hold control characters (the loader refuses them), but text output escapes
    any that reach it another way (here: a court name changed after loading)."""
    import crossexec.load as load
    original = load.load_scenario

    def hostile(*args, **kwargs):
        scenario = original(*args, **kwargs)
        for court in scenario.courts.values():
            court.name = court.name + "\x1b[2J\r"
        return scenario
    monkeypatch.setattr(load, "load_scenario", hostile)
    code, out, _ = run(["ask", DEMO], capsys)
    assert code == 0 and "\x1b" not in out and "\r" not in out and "\\x1b[2J\\r" in out


@pytest.mark.parametrize("text, kept_newlines, alone", [
    ("第一行\n\u3000第二行\xa0", "第一行\n\u3000第二行\xa0", "第一行\\n\u3000第二行\xa0"),   # spaces are kept
    ("\u3000a\x1b[2J\nb\u202e", "\u3000a\\x1b[2J\nb\\u202e", "\u3000a\\x1b[2J\\nb\\u202e"),
    ("a\u2028b\r\n", "a\\u2028b\\r\n", "a\\u2028b\\r\\n"),
    ("\ufeff\u200b\xad", "\\ufeff\\u200b\\xad", "\\ufeff\\u200b\\xad"),            # format characters (Cf)
])
def test_escape_keeps_spaces_and_newlines_and_escapes_control_and_format_characters(text, kept_newlines, alone):
    from crossexec.errors import escape
    assert escape(text, keep_newlines=True) == kept_newlines and escape(text) == alone


# -- security -------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["--output=OUT", "-o", "--remote=x", "HEAD --output=OUT", "no-such-ref"])
@pytest.mark.parametrize("command", ["test", "diff"])
def test_rules_never_passed_to_git_as_an_option(tmp_path, capsys, monkeypatch, command, value):
    monkeypatch.chdir(tmp_path)
    value = value.replace("OUT", str(tmp_path / "victim"))
    (tmp_path / "victim").write_text("keep me")
    code, out, err = run([command, f"--rules={value}", ROOT / "tests" / "scenarios" / "a15"], capsys)
    assert code == 2
    one_clean_line(err, "--rules", "git ref")
    assert (tmp_path / "victim").read_text() == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["victim"]


def test_rules_as_a_commit_still_works(capsys):
    code, out, err = run(["test", "--rules", "HEAD", ROOT / "tests" / "scenarios" / "a15"], capsys, limit=60)
    assert code == 0, err


SCRIPT = '#script (python)\nimport os\nos.system("touch PWNED")\n#end.\n'


@pytest.mark.parametrize("how", ["local_file", "local_include", "rules_folder"])
def test_script_blocks_refused_outside_rules(tmp_path, capsys, monkeypatch, how):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "evil.lp").write_text(SCRIPT + "%@ local_x 本库约定\np.\n", encoding="utf-8")
    if how == "local_file":
        argv = ["ask", DEMO, "--local", tmp_path / "evil.lp"]
    elif how == "local_include":
        (tmp_path / "inc.lp").write_text('#include "evil.lp".\n', encoding="utf-8")
        argv = ["ask", DEMO, "--local", tmp_path / "inc.lp"]
    else:
        import shutil
        shutil.copytree(ROOT / "rules", tmp_path / "rules")
        (tmp_path / "rules" / "core" / "evil.lp").write_text(SCRIPT, encoding="utf-8")
        argv = ["ask", DEMO, "--rules", tmp_path / "rules"]
    code, out, err = run(argv, capsys)
    assert code == 2 and out == ""
    one_clean_line(err, "#script", ":1:")
    assert not (tmp_path / "PWNED").exists()


# -- test and snapshots ---------------------------------------------------------------------------

def _scenarios(tmp_path) -> Path:
    import shutil
    folder = tmp_path / "s"
    shutil.copytree(ROOT / "tests" / "scenarios" / "a15", folder)
    return folder


def test_snapshots_written_atomically(tmp_path, capsys, monkeypatch):
    folder = _scenarios(tmp_path)
    written = []
    import crossexec.files as files
    real_replace = os.replace
    monkeypatch.setattr(files.os, "replace", lambda a, b: (written.append((Path(a), Path(b))), real_replace(a, b))[1])
    code, _, _ = run(["test", folder, "--update"], capsys, limit=60)
    assert code == 0
    snapshots = sorted(folder.glob("*.snapshot.json"))
    assert len(snapshots) == len(list(folder.glob("*.yaml"))) > 1 and sorted(b for _, b in written) == snapshots
    assert all(a.parent == b.parent and a.name.endswith(".tmp") for a, b in written)
    assert not list(folder.glob("*.tmp")) and not list(folder.glob(".*.tmp"))


def test_interrupted_snapshot_write_leaves_the_old_one(tmp_path, monkeypatch):
    from crossexec.files import write_atomic
    target = tmp_path / "x.snapshot.json"
    target.write_text('{"old": true}\n')
    import crossexec.files as files
    monkeypatch.setattr(files.os, "replace", lambda a, b: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, '{"new": true}\n')
    assert target.read_text() == '{"old": true}\n' and [p.name for p in tmp_path.iterdir()] == ["x.snapshot.json"]


@pytest.mark.parametrize("content", ["", "{", "[1]", '{"conclusions": 5}', '{"conclusions": [{"modality": "may", "actor": "x"}]}',
                                     "[" * 50000])
def test_broken_snapshot_fails_only_its_scenario(tmp_path, capsys, content):
    folder = _scenarios(tmp_path)
    assert run(["test", folder, "--update"], capsys, limit=60)[0] == 0
    (folder / "single_case.snapshot.json").write_text(content, encoding="utf-8")
    code, out, err = run(["test", folder], capsys, limit=60)
    assert code == 1, err
    rows = [line for line in out.splitlines() if ".yaml" in line and line.startswith("  ")]
    assert len(rows) == len(list(folder.glob("*.yaml"))) > 1 and sum("single_case.yaml" in r for r in rows) == 1
    assert all(("通过" in r) != ("single_case.yaml" in r) for r in rows), rows
    assert "not a readable snapshot" in out and "--update" in out


def test_crashing_scenario_is_a_row_and_the_run_goes_on(tmp_path, capsys, monkeypatch):
    folder = _scenarios(tmp_path)
    import crossexec.regress as regress
    real_solve = regress.solve

    def solve(scenario, *args, **kwargs):
        if "single_case" in scenario.file:
            raise ZeroDivisionError("a bug")
        return real_solve(scenario, *args, **kwargs)
    monkeypatch.setattr(regress, "solve", solve)
    code, out, err = run(["test", folder], capsys, limit=60)
    assert code == 3
    rows = [line for line in out.splitlines() if ".yaml" in line and line.startswith("  ")]
    scenarios = len(list(folder.glob("*.yaml")))     # art. 15's folder: the count grows with its tests
    assert len(rows) == scenarios > 1
    assert any("single_case.yaml" in r and "ZeroDivisionError" in r for r in rows)
    assert sum("通过" in r for r in rows) == scenarios - 1
    assert "internal error" in err and "single_case.yaml" in err


def test_scenario_folder_with_a_fifo_does_not_block(tmp_path, capsys):
    folder = _scenarios(tmp_path)
    os.mkfifo(folder / "pipe.yaml")
    code, out, _ = run(["test", folder], capsys, limit=60)
    assert code == 0 and "pipe.yaml" not in out


def test_hostile_file_names_in_the_table_are_escaped(tmp_path, capsys):
    folder = _scenarios(tmp_path)
    (folder / "single_case.yaml").rename(folder / "single\x1b[2J\ncase.yaml")
    code, out, _ = run(["test", folder], capsys, limit=60)
    assert code == 0 and "\x1b" not in out and "single\\x1b[2J\\ncase.yaml" in out


def test_cli_subprocess_one_line_and_no_traceback(tmp_path):
    """The real entry point, as a user runs it: the alias bomb is one line on stderr, exit 2."""
    path = tmp_path / "bomb.yaml"
    path.write_text("courts:\n  - {id: spc, level: supreme, name: " + BOMB + "}\n")
    result = subprocess.run([sys.executable, "-m", "crossexec.cli", "ask", str(path)], capture_output=True,
                            text=True, timeout=20)
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "courts[0].name" in result.stderr


def test_rules_folder_without_rules_refused(tmp_path, capsys):
    """An empty rule base would answer "no conclusions" with exit 0: a wrong answer."""
    for command in (["ask", DEMO], ["why", DEMO, "may 江苏省高级人民法院 elevate c1"]):
        code, out, err = run(command + ["--rules", tmp_path / "nothing"], capsys)
        assert code == 2 and out == ""
        one_clean_line(err, "--rules", "core/")


def test_fifo_among_rule_files_does_not_block(tmp_path, capsys):
    import shutil
    shutil.copytree(ROOT / "rules", tmp_path / "rules")
    os.mkfifo(tmp_path / "rules" / "core" / "pipe.lp")
    for command in (["ask", DEMO, "--rules", tmp_path / "rules"], ["check", "--static-only", "--rules", tmp_path / "rules"]):
        code, out, err = run(command, capsys, limit=10)
        assert code == 2, (command, err)
        assert "pipe.lp" in err and "regular file" in err


@pytest.mark.parametrize("raw", ["\x1b", "\x00", "\x07"])
def test_raw_control_characters_in_the_file_named_by_line(tmp_path, capsys, raw):
    refused(tmp_path, capsys, f"as_of: 2024-01-01\ncourts: \"a{raw}b\"\n", ":2:", "not valid YAML", "#x00")


# -- encoding: text from a file is always a quoted string ------------------------------------------

from hypothesis import given, settings, strategies as st  # noqa: E402


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('"\\\n\r\t ).:-a某'))
               | st.characters(exclude_categories=["Cs"], exclude_characters="\x00")))
def test_encoded_strings_are_quoted_as_clingo_quotes_them(text):
    """encode writes facts as text: a string is quoted exactly as clingo prints a string symbol,
    and reads back as that one string (a quote, a backslash or a newline cannot end it early)."""
    import clingo
    from crossexec.encode import quote
    assert quote(text) == str(clingo.String(text))
    assert clingo.parse_term(f"f({quote(text)})").arguments == [clingo.String(text)]


def test_a_constant_that_is_not_a_name_is_refused_not_spliced():
    from crossexec.encode import Encoding, const
    with pytest.raises(ValueError):
        Encoding().add("x", "status", "c1", const("open). evil(1"))

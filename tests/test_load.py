"""Bad input: exit code 2 and one message naming file, key path and what was expected."""
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from crossexec.cli import main
from crossexec.errors import InputError
from crossexec.load import load_scenario

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
    court: 姑苏区人民法院
    filed: 2023-06-15
    obligation: money
    debtor: 某公司
"""


def write(tmp_path, text: str) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text("as_of: 2024-03-01\n" + textwrap.dedent(text), encoding="utf-8")
    return path


BAD = [
    ("unknown key", COURTS + CASE.replace("    debtor: 某公司\n", "    debtor: 某公司\n    colour: red\n"),
     "cases[0].colour", "unknown key"),
    ("wrong type", COURTS + CASE.replace("debtor: 某公司", "debtor: [a, b]"), "cases[0].debtor", "expected text"),
    ("impossible date", COURTS + CASE.replace("2023-06-15", "2024-02-30"), "cases[0].filed", "no such day"),
    ("quoted impossible date", COURTS + CASE.replace("2023-06-15", '"2023-02-29"'), "cases[0].filed", "no such day"),
    ("not a date", COURTS + CASE.replace("2023-06-15", "yesterday"), "cases[0].filed", "YYYY-MM-DD"),
    ("application after filing", COURTS + CASE.replace("    filed: 2023-06-15\n", "    filed: 2023-06-15\n    applied: 2023-06-20\n"),
     "cases[0].applied", "cannot come after"),
    ("period in wrong order", COURTS + CASE + "    excluded_periods:\n      - {from: 2023-09-01, to: 2023-08-01, reason: appraisal}\n",
     "cases[0].excluded_periods[0].to", "on or after"),
    ("events out of order", COURTS + CASE + "    events:\n      - {date: 2023-09-01, type: measure}\n      - {date: 2023-08-01, type: measure}\n",
     "cases[0].events[1].date", "oldest first"),
    ("asset found date", COURTS + CASE + "    assets:\n      - {id: a1, found: 2023-13-01}\n", "cases[0].assets[0].found", "no such day"),
    ("unknown court", COURTS + CASE.replace("姑苏区人民法院", "火星人民法院"), "cases[0].court", "unknown court"),
    ("ambiguous court", COURTS + CASE.replace("court: 姑苏区人民法院", "court: 苏州市"), "cases[0].court", "ambiguous"),
    ("cycle", COURTS.replace("level: supreme}", "level: supreme, parent: gs}"), "courts[0].parent", "cycle"),
    ("duplicate court id", COURTS + "  - {id: gs, name: 别的法院, level: basic, parent: sz}\n", "courts[5].id", "duplicate court"),
    ("duplicate case id", COURTS + CASE + CASE.replace("cases:\n", ""), "cases[1].id", "duplicate case"),
    ("duplicate key", COURTS + CASE.replace("    debtor: 某公司\n", "    debtor: 某公司\n    debtor: 别人\n"),
     "cases[0].debtor", "appears twice"),
    ("missing case", COURTS + CASE + "decisions:\n  - {kind: elevate, by: sz, case: c9, date: 2024-01-01}\n",
     "decisions[0].case", "unknown case"),
    # issue 11: histories that cannot be real are refused
    ("decision before the case existed", COURTS + CASE + "decisions:\n  - {kind: elevate, by: sz, case: c1, date: 2023-01-10}\n",
     "decisions[0].date", "before the case existed"),
    ("intermediate court under an intermediate court",
     COURTS + "  - {id: wx, name: 江苏省无锡市中级人民法院, level: intermediate, parent: sz}\n" + CASE,
     "courts[5].parent", "higher level"),
    ("against on an event that is no objection", COURTS + CASE + "    events:\n      - {date: 2023-09-01, type: measure, against: gs}\n",
     "cases[0].events[0].against", "objection events only"),
    ("neither filed nor applied", COURTS + CASE.replace("    filed: 2023-06-15\n", ""), "cases[0].filed", "`applied`"),
    ("unknown circumstance", COURTS + CASE + "    circumstances: [bad_weather]\n", "cases[0].circumstances[0]", "expected one of"),
    ("unknown level", COURTS.replace("level: basic, parent: sz}\n  - {id: wj", "level: county, parent: sz}\n  - {id: wj"),
     "courts[3].level", "expected one of"),
    ("missing required", COURTS + CASE.replace("    obligation: money\n", ""), "cases[0].obligation", "required"),
    ("received before made", COURTS + CASE + "decisions:\n  - {kind: elevate, by: sz, case: c1, date: 2024-01-05, received: 2024-01-01}\n",
     "decisions[0].received", "before it is made"),
    ("objection by a court", COURTS + CASE + "    events:\n      - {date: 2023-09-01, type: objection, by: sz}\n",
     "cases[0].events[0].by", "objection"),
]


@pytest.mark.parametrize("text,where,expected", [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_input_names_key_path(tmp_path, text, where, expected):
    path = write(tmp_path, text)
    with pytest.raises(InputError) as info:
        load_scenario(path)
    assert info.value.where == where
    assert expected in str(info.value)
    assert str(path) in str(info.value)


def test_bad_input_exit_code_2_one_message_no_traceback(tmp_path, capsys):
    path = write(tmp_path, COURTS + CASE.replace("2023-06-15", "2024-02-30"))
    assert main(["ask", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "s.yaml:11: cases[0].filed:" in err and "Traceback" not in err


def test_bad_yaml_and_missing_file(tmp_path, capsys):
    path = tmp_path / "broken.yaml"
    path.write_text("courts: [a\n", encoding="utf-8")
    assert main(["ask", str(path)]) == 2
    assert main(["ask", str(tmp_path / "nope.yaml")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_bad_as_of_option_exit_2(tmp_path):
    path = write(tmp_path, COURTS + CASE)
    result = subprocess.run([sys.executable, "-m", "crossexec.cli", "ask", str(path), "--as-of", "2024-02-30"],
                            capture_output=True, text=True)
    assert result.returncode == 2 and "real date" in result.stderr


# ASP syntax, quotes and backslashes; control characters (a newline) are refused instead (issue 13,
# test_control_characters_refused)
HOSTILE = 'a). :- b( "quoted" \\ back\\slash %comment'


def test_hostile_names_round_trip(tmp_path, capsys):
    """Text from YAML reaches ASP only as quoted strings: nothing is spliced in as code."""
    text = COURTS + CASE.replace("debtor: 某公司", "debtor: " + json.dumps(HOSTILE)) + \
        "    circumstances: [illegal_interference]\n"
    court = "苏州\"中院\\n" + HOSTILE
    text = text.replace("name: 江苏省苏州市中级人民法院", "name: " + json.dumps(court))
    path = write(tmp_path, text)
    assert main(["ask", str(path), "--format", "json", "--as-of", "2024-09-01"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert {c["actor"] for c in answer["conclusions"] if c["action"] == "elevate"} >= {court, "最高人民法院"}
    scenario = load_scenario(path)
    assert scenario.cases[0].debtor == HOSTILE
    from crossexec.encode import encode
    facts = encode(scenario).facts
    debtors = [f.arguments[1].string for f in facts if f.name == "case_debtor"]
    assert debtors == [HOSTILE]


def test_moved_case_may_name_its_receiver_with_an_earlier_decision(tmp_path):
    """Recorded the second way (README), the case names the court a decision moved it to and that
    court's own filing, which comes after the decision: not a date before the case existed."""
    text = COURTS + CASE.replace("姑苏区人民法院", "吴江区人民法院").replace("2023-06-15", "2023-09-01") + (
        "decisions:\n  - {kind: instruct, by: sz, case: c1, date: 2023-08-20, received: 2023-08-21, to: wj, from: gs}\n")
    scenario = load_scenario(write(tmp_path, text))
    assert scenario.decisions[0].from_ == "gs"


def test_unfiled_application_loads(tmp_path):
    text = COURTS + CASE.replace("    filed: 2023-06-15\n", "    applied: 2023-06-15\n")
    case = load_scenario(write(tmp_path, text)).cases[0]
    assert case.filed is None and str(case.applied) == "2023-06-15"

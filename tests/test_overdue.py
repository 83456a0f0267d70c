"""A passed deadline is flagged (issue 12, part 3). The deadline is the last day still in time,
so a duty is overdue only from the day after it (deadline < as_of)."""
import json

import pytest

from crossexec.cli import main

DEMO = "facts/examples/demo.yaml"
TRANSFER = "transfer_files"     # the demo's transfer duty: 期限 2024-10-08 (moved over National Day)


def _json(capsys, *args):
    assert main(["ask", DEMO, "--format", "json", *args]) == 0
    return json.loads(capsys.readouterr().out)


def _transfer(answer):
    return next(c for c in answer["conclusions"] if c["action"] == TRANSFER)


@pytest.mark.parametrize("as_of,overdue,days", [
    ("2024-09-30", False, 0),
    ("2024-10-08", False, 0),    # the last day itself is still in time
    ("2024-10-09", True, 1),
    ("2024-10-20", True, 12),
])
def test_json_marks_overdue_deadlines(capsys, as_of, overdue, days):
    c = _transfer(_json(capsys, "--as-of", as_of))
    assert c["deadline"] == "2024-10-08"
    assert (c["overdue"], c["days_overdue"]) == (overdue, days)


def test_json_adds_the_keys_only_where_there_is_a_deadline(capsys):
    answer = _json(capsys, "--as-of", "2024-10-09")
    for c in answer["conclusions"]:
        assert ("overdue" in c) == (c["deadline"] is not None), c
        assert {"modality", "actor", "action", "deadline", "sources", "rule"} <= set(c)


def test_text_says_how_many_days(capsys):
    assert main(["ask", DEMO, "--as-of", "2024-10-11"]) == 0
    line = next(l for l in capsys.readouterr().out.splitlines() if TRANSFER in l)
    assert "期限 2024-10-08（期满日遇法定节假日顺延；已逾期 3 日）" in line
    assert main(["ask", DEMO, "--as-of", "2024-10-11", "--lang", "en"]) == 0
    line = next(l for l in capsys.readouterr().out.splitlines() if TRANSFER in l)
    assert "overdue by 3 day(s)" in line


def test_text_does_not_flag_a_deadline_not_yet_passed(capsys):
    assert main(["ask", DEMO, "--as-of", "2024-10-08"]) == 0
    assert "已逾期" not in capsys.readouterr().out


def test_ask_overdue_lists_only_overdue_duties(capsys):
    every = _json(capsys, "--as-of", "2024-10-09")
    only = _json(capsys, "--as-of", "2024-10-09", "--overdue")
    assert only["conclusions"] and len(only["conclusions"]) < len(every["conclusions"])
    assert all(c["overdue"] for c in only["conclusions"])
    assert {c["action"] for c in only["conclusions"]} == {c["action"] for c in every["conclusions"]
                                                          if c.get("overdue")}
    assert _json(capsys, "--as-of", "2024-10-08", "--overdue")["conclusions"] == []

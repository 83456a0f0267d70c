"""Ledgers as JSON Lines, CSV and XLSX (crossexec/ledger.py), `sweep --article/--format xlsx`, and
`why` solving only the component of its conclusion (issue 15)."""
from __future__ import annotations

import csv
import datetime
import json
from pathlib import Path

import pytest
import yaml

from crossexec import RULES
from crossexec.cli import main
from crossexec.explain import parse_conclusion, why_graph
from crossexec.load import load_scenario
from crossexec.render import conclusion_json
from crossexec.rulebase import load_rulebase
from crossexec.solve import solve
from crossexec.sweep import component_of
from test_sweep import GROUPS

ROOT = Path(__file__).parent.parent
SECTIONS = (("parties", "party"), ("cases", "case"), ("disputes", "dispute"), ("decisions", "decision"))


def _plain(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def to_jsonl(doc: dict, path: Path) -> Path:
    """A scenario document as a JSON Lines ledger: the header, then one line per item."""
    doc = _plain(doc)
    lines = [{k: doc[k] for k in ("name", "as_of") if k in doc}]
    if doc["courts"] == "national":
        lines[0]["courts"] = "national"
    else:
        lines += [{"court": c} for c in doc["courts"]]
    for section, kind in SECTIONS:
        lines += [{kind: item} for item in doc.get(section) or ()]
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
    return path


def _same(a, b) -> None:
    for attr in ("name", "as_of", "courts", "national", "parties", "cases", "disputes", "decisions"):
        assert getattr(a, attr) == getattr(b, attr), attr


@pytest.mark.parametrize("name,doc", GROUPS, ids=[g[0] for g in GROUPS])
def test_jsonl_ledger_reads_as_the_yaml(name, doc, tmp_path):
    yaml_file = tmp_path / "ledger.yaml"
    yaml_file.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    _same(load_scenario(yaml_file), load_scenario(to_jsonl(doc, tmp_path / "ledger.jsonl")))


CASES = [  # a court's case list on the national courts
    {"id": "k1", "number": "（2024）苏0509执100号", "court": "苏州市吴江区人民法院", "filed": "2024-01-10",
     "obligation": "money", "applicants": ["张某", "李某"], "debtor": "某公司", "status": "open",
     "assets": [{"id": "a1", "location": "昆山市人民法院", "found": "2024-01-10", "main": True}],
     "events": [{"date": "2024-03-01", "type": "objection", "by": "debtor"}]},
    {"id": "k2", "court": "昆山市人民法院", "filed": "2024-02-01", "obligation": "money", "applicants": ["王某"],
     "debtor": "某公司", "circumstances": ["illegal_interference", "passive"]},
]
HEADER = {"name": "案件清单", "as_of": "2024-09-30", "courts": "national"}


def _rows(zh: bool):
    from crossexec.ledger import COLUMNS
    header = [zh_name if zh else key for key, zh_name, _ in COLUMNS]
    rows = []
    for case in CASES:
        row = []
        for key, _, how in COLUMNS:
            value = case.get(key)
            row.append("" if value is None else "、".join(value) if how == "words"
                       else json.dumps(value, ensure_ascii=False) if how == "json" else value)
        rows.append(row)
    return header, rows


@pytest.mark.parametrize("zh", [True, False], ids=["chinese-headers", "keys"])
def test_csv_case_list_reads_as_the_yaml(tmp_path, zh):
    header, rows = _rows(zh)
    path = tmp_path / "cases.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows([header] + rows)
    yaml_file = tmp_path / "cases.yaml"
    yaml_file.write_text(yaml.safe_dump({**HEADER, "cases": CASES}, allow_unicode=True), encoding="utf-8")
    expected = load_scenario(yaml_file)
    got = load_scenario(path, datetime.date(2024, 9, 30))
    for attr in ("courts", "cases", "parties"):
        assert getattr(got, attr) == getattr(expected, attr), attr


def test_xlsx_case_list_reads_as_the_csv(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    header, rows = _rows(zh=True)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        filed = header.index("立案日期")
        row[filed] = datetime.datetime.fromisoformat(row[filed])     # a real date cell, as Excel writes it
        sheet.append(row)
    book.save(tmp_path / "cases.xlsx")
    with open(tmp_path / "cases.csv", "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([_rows(zh=True)[0]] + _rows(zh=True)[1])
    a, b = load_scenario(tmp_path / "cases.xlsx"), load_scenario(tmp_path / "cases.csv")
    assert a.cases == b.cases and len(a.cases) == 2


BAD = [  # (file name, content, what the one-line message must contain)
    ("l.jsonl", '{"courts": "national"}\n{"case": {"id": "k1",}}\n', "l.jsonl:2: not valid JSON"),
    ("l.jsonl", '{"courts": "national"}\n{"case": {"id": "k1", "id": "k2"}}\n', "l.jsonl:2: the key 'id' appears twice"),
    ("l.jsonl", '{"courts": "national"}\n{"cases": {"id": "k1"}}\n', "l.jsonl:2: expected one key saying what the line holds"),
    ("l.jsonl", '{"courts": "national", "colour": 1}\n', "l.jsonl:1: colour: unknown key 'colour' in the header line"),
    ("l.jsonl", '{"as_of": "2024-09-30"}\n', "courts: expected the courts"),
    ("l.jsonl", '{"courts": "national"}\n{"case": {"id": "k1", "court": "昆山市人民法院", "filed": "2024-01-10", '
                '"obligation": "money", "applicants": ["a\\u001b"]}}\n', "l.jsonl:2: cases[0].applicants[0]: control character"),
    ("l.jsonl", '{"courts": "national"}\n{"case": {"id": "k1", "court": "昆山市人民法院", "filed": "2024-01-10", '
                '"obligation": "money", "applicants": [1.5]}}\n', "cases[0].applicants[0]: expected text, a date or a whole number"),
    ("l.jsonl", '{"courts": "national"}\n{"case": {"id": "k1", "court": "昆山市人民法院", "filed": "2024-13-10", '
                '"obligation": "money"}}\n', "l.jsonl:2: cases[0].filed: expected a real calendar date"),
    ("l.csv", "案件标识,法院\nk1,昆山市人民法院\n", "l.csv:1: column 2: unknown column '法院'"),
    ("l.csv", "案件标识,执行法院,立案日期,义务,财产\nk1,昆山市人民法院,2024-01-10,money,[{\n",
     "l.csv:2: cases[0].assets: expected a JSON list in this cell"),
    ("l.csv", "", "l.csv: the table is empty"),
    ("l.xlsx", "not a zip", "l.xlsx: not a readable .xlsx workbook"),
]


@pytest.mark.parametrize("name,content,message", BAD, ids=[b[2][:40] for b in BAD])
def test_bad_ledger_exit_2_with_one_line(tmp_path, capsys, name, content, message):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert main(["sweep", str(path), "--jobs", "1"]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "Traceback" not in err
    assert message in err, err


def test_article_filter_matches_the_article_and_its_paragraphs_only():
    from crossexec.expect import cites
    assert cites(["指导意见第1条"], "指导意见第1条") and cites(["指导意见第1条第2款"], "指导意见第1条")
    assert not cites(["指导意见第12条"], "指导意见第1条") and not cites(["指导意见第12条第1款"], "指导意见第1条")


def test_sweep_article_and_xlsx(tmp_path, capsys):
    openpyxl = pytest.importorskip("openpyxl")
    demo = ROOT / "facts" / "examples" / "demo.yaml"
    assert main(["sweep", str(demo), "--jobs", "1", "--out", str(tmp_path / "all.jsonl")]) == 0
    assert main(["sweep", str(demo), "--jobs", "1", "--article", "6", "--out", str(tmp_path / "a6.jsonl")]) == 0
    assert main(["sweep", str(demo), "--jobs", "1", "--article", "6", "--format", "xlsx",
                 "--out", str(tmp_path / "a6.xlsx")]) == 0
    every = [json.loads(x) for x in (tmp_path / "all.jsonl").read_text(encoding="utf-8").splitlines()]
    art6 = [json.loads(x) for x in (tmp_path / "a6.jsonl").read_text(encoding="utf-8").splitlines()]
    cites6 = [r for r in every if any(s == "指导意见第6条" or s.startswith("指导意见第6条第") for s in r["sources"])]
    assert art6 == cites6 and 0 < len(art6) < len(every)
    sheet = openpyxl.load_workbook(tmp_path / "a6.xlsx", read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("modality", "actor", "action") and len(rows) == len(art6) + 1
    assert [(r[0], r[1], r[2]) for r in rows[1:]] == [(r["modality"], r["actor"], r["action"]) for r in art6]
    assert main(["sweep", str(demo), "--format", "xlsx"]) == 2          # a workbook needs --out
    assert "--format xlsx writes a workbook" in capsys.readouterr().err


@pytest.fixture(scope="module")
def rules():
    return load_rulebase(RULES)


def _shown(g) -> str:
    """The proof as `why` prints it (Chinese and English): the steps, the statute, the facts with
    their file, key path and line. (Node ids hold decision indices, which a component renumbers.)"""
    from crossexec import graphs
    from crossexec.explain import fold_internal
    return "".join(graphs.render(fold_internal(g), "text", lang) for lang in ("zh", "en"))


def test_why_on_a_component_is_the_proof_on_the_whole(tmp_path, rules):
    """`why`/`whynot` solve only the component of the conclusion's object: its proof is the proof
    the whole scenario gives, line for line (the largest merged scenario of test_sweep.py)."""
    name, doc = max(GROUPS, key=lambda g: len(g[1]["cases"]))
    path = tmp_path / "ledger.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    scenario = load_scenario(path)
    whole = solve(scenario, rules, explain=True)
    checked = 0
    for c in whole.conclusions[::max(1, len(whole.conclusions) // 25)]:
        if c.object.name == "area":
            continue
        text = json.dumps(conclusion_json(whole, c), ensure_ascii=False)
        query = parse_conclusion(text, whole, str(path))
        part = component_of(scenario, c.object.name, c.object.arguments[0].string)
        assert len(part.cases) < len(scenario.cases)
        a, b = why_graph(whole, query), why_graph(solve(part, rules, explain=True), query)
        assert a is not None and _shown(a) == _shown(b), text
        checked += 1
    assert checked >= 10

"""The scenario format as data: every key of every section, its type, whether it is required, and
its meaning in Chinese and English.

The loader (load.py) takes the keys it accepts and requires from here, and the vocabularies from
facts/vocab.yaml; docs/scenario-format.md and the JSON Schema docs/scenario.schema.json are
generated from the same two sources, so the three cannot drift apart:

    python -m crossexec.scenario_format           # rewrite both files
    python -m crossexec.scenario_format --check   # exit 1 if either is stale (a test does this)

Types: `text`, `date` (YYYY-MM-DD, bare or quoted), `flag` (true/false), `court` (a court
reference: id, name or a name people use, see facts/courts/README.md), `actor` (a court, or a
person of `objectors`), `enum:<vocabulary>`, `list:<type>`, `section:<name>` (a mapping with the
keys of that section), `courts` (`national` or a list of courts), `expect` (tests only)."""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass

from . import ROOT, vocab

DOC = ROOT / "docs" / "scenario-format.md"
SCHEMA = ROOT / "docs" / "scenario.schema.json"


@dataclass(frozen=True)
class Key:
    name: str
    type: str
    zh: str
    en: str
    required: bool = False
    default: str | None = None


SECTIONS: dict[str, tuple[str, str, tuple[Key, ...]]] = {
    "scenario": ("情形（文件顶层）", "The scenario (top level of the file)", (
        Key("name", "text", "情形名称", "a name for the scenario", default="the file name"),
        Key("as_of", "date", "提问之日：在此之后的事实视为尚不知道", "the day the question is asked; later facts are not yet known",
            default="--as-of, else today"),
        Key("courts", "courts", "法院：`national`（全国法院名录 facts/courts/）或法院列表",
            "courts: `national` (the national hierarchy in facts/courts/) or a list of courts", required=True),
        Key("parties", "list:section:party", "当事人", "parties"),
        Key("cases", "list:section:case", "执行案件", "execution cases"),
        Key("disputes", "list:section:dispute", "法院之间的执行争议（第22条）", "execution disputes between courts (art. 22)"),
        Key("decisions", "list:section:decision", "已作出的交叉执行决定，按日期先后", "cross-execution decisions already made, oldest first"),
        Key("expect", "expect", "预期结论（仅用于测试，见 tests/scenarios/README.md）",
            "expected conclusions (tests only, see tests/scenarios/README.md)"),
    )),
    "court": ("法院（`courts` 为列表时）", "A court (when `courts` is a list)", (
        Key("id", "text", "法院标识，文件内唯一", "court id, unique in the file", required=True),
        Key("name", "text", "法院全称，文件内唯一", "the court's full name, unique in the file", required=True),
        Key("level", "enum:levels", "法院层级", "level", required=True),
        Key("parent", "text", "上一级法院的标识或全称（最高人民法院无）", "id or full name of the court above (none for the Supreme People's Court)"),
        Key("kind", "enum:court_kinds", "专门法院的类别", "kind of a special court"),
        Key("area", "text", "辖区的行政区划代码（6位）", "administrative division code of its area (6 digits)"),
    )),
    "party": ("当事人", "A party", (
        Key("id", "text", "当事人名称或标识，案件的 `debtor` 用它", "party name or id, used by a case's `debtor`", required=True),
        Key("kind", "enum:party_kinds", "当事人类别", "kind of party", required=True),
        Key("domicile", "court", "住所地所在辖区的法院", "the court whose area holds the domicile"),
        Key("insolvent", "flag", "资产不足以清偿全部债务或者明显缺乏清偿能力", "assets insufficient to pay all debts, or clearly unable to pay",
            default="false"),
    )),
    "case": ("执行案件", "An execution case", (
        Key("id", "text", "案件标识，文件内唯一", "case id, unique in the file", required=True),
        Key("number", "text", "案号（仅用于显示）", "case number (for display)"),
        Key("cause", "text", "案由，如“买卖合同纠纷”（仅用于起草文书）", "cause of action, e.g. 买卖合同纠纷 (for drafted documents only)"),
        Key("judgment", "text", "执行依据：生效法律文书，如“××人民法院(2022)……民初……号民事判决”（仅用于起草文书）",
            "the effective legal document enforced (for drafted documents only)"),
        Key("court", "court", "执行法院：原执行法院，或案件已移送并立案的现执行法院（README「Recording a case's history」）",
            "the executing court: the original court, or the court the case was moved to and that filed it (README, \"Recording a case's history\")",
            required=True),
        Key("filed", "date", "该法院立案日期；未写则为尚未立案的申请（须写 applied，第14条）",
            "the day that court filed the case; omitted: an application not yet filed (give `applied`, art. 14)"),
        Key("applied", "date", "收到申请执行书之日（民事诉讼法第237条）", "the day the application was received (Civil Procedure Law art. 237)",
            default="filed"),
        Key("obligation", "enum:obligations", "执行依据确定的义务", "the obligation to be enforced", required=True),
        Key("applicants", "list:text", "申请执行人", "applicants"),
        Key("debtor", "text", "被执行人（parties 中的 id）；同一被执行人的案件为关联案件", "the debtor (a party id); cases of one debtor are related"),
        Key("status", "enum:case_statuses", "案件状态", "status", default="open"),
        Key("circumstances", "list:enum:circumstances", "法院已查明的情形", "circumstances a court has found"),
        Key("assets", "list:section:asset", "财产", "assets"),
        Key("excluded_periods", "list:section:excluded_period", "不计入六个月的期间（执行程序解释第13条）",
            "periods not counted in the six months (SPC Interpretation on Execution Procedure art. 13)"),
        Key("events", "list:section:event", "案件中发生的事，按日期先后", "what happened in the case, oldest first"),
    )),
    "asset": ("财产", "An asset", (
        Key("id", "text", "财产标识，案件内唯一", "asset id, unique in the case", required=True),
        Key("location", "court", "财产所在地辖区的法院", "the court whose area holds the asset"),
        Key("found", "date", "发现之日（立案日 = 申请时已知）", "the day it became known (the filing day = known at application)", required=True),
        Key("disposed", "flag", "已执行完结（处置并分配）", "disposed of and paid out", default="false"),
        Key("main", "flag", "主要财产", "main asset", default="false"),
        Key("measure_expires", "date", "查控措施期限届满日", "the day the seizure measure expires"),
        Key("custody", "flag", "款物在法院控制之下（执行款、扣押物）：第6条的未处置款物", "money or things in the court's custody (art. 6)",
            default="false"),
    )),
    "excluded_period": ("不计入的期间", "An excluded period", (
        Key("from", "date", "开始日", "first day", required=True),
        Key("to", "date", "结束日（不早于开始日）", "last day (not before the first)", required=True),
        Key("reason", "enum:exclusion_reasons", "事由", "reason", required=True),
    )),
    "event": ("事件", "An event", (
        Key("date", "date", "日期", "date", required=True),
        Key("type", "enum:event_types", "事件类型", "type of event", required=True),
        Key("by", "actor", "由谁：法院，或 applicant / debtor / third_party", "by whom: a court, or applicant / debtor / third_party"),
        Key("for", "enum:actions", "批准事件所批准的行为；报请事件（report_up）所报请的 elevate 或 instruct（用于起草文书）",
            "the act approved (approval events); the act a report_up asks for, elevate or instruct (for drafted documents)"),
        Key("against", "court", "异议事件：被异议的执行行为是哪个法院作出的（执行异议复议规定第4条）",
            "objection events: the court whose act is objected to"),
    )),
    "dispute": ("执行争议", "An execution dispute", (
        Key("id", "text", "争议标识，文件内唯一", "dispute id, unique in the file", required=True),
        Key("courts", "list:court", "争议法院（至少两个不同法院）", "the courts in dispute (at least two)", required=True),
        Key("kind", "enum:dispute_kinds", "争议类型", "kind of dispute", required=True),
        Key("cases", "list:text", "涉及的案件（cases 中的 id）", "the cases concerned (case ids)"),
        Key("negotiations", "list:section:negotiation", "各轮协商，按日期先后", "negotiation rounds, oldest first"),
    )),
    "negotiation": ("协商", "A negotiation round", (
        Key("between", "list:court", "协商的法院", "the courts that negotiated", required=True),
        Key("result", "enum:negotiation_results", "结果", "result", required=True),
        Key("date", "date", "日期", "date"),
    )),
    "decision": ("交叉执行决定", "A cross-execution decision", (
        Key("kind", "enum:decision_kinds", "决定类型", "kind of decision", required=True),
        Key("by", "court", "作出决定的法院", "the deciding court", required=True),
        Key("case", "text", "所涉案件（cases 中的 id）；或写 `debtor`", "the case (a case id); or give `debtor`"),
        Key("debtor", "text", "集中执行的被执行人", "the debtor (centralized execution)"),
        Key("date", "date", "决定日期", "the day of the decision", required=True),
        Key("received", "date", "相关法院收到决定之日", "the day the courts concerned received it"),
        Key("to", "court", "接受指令、集中执行或受委托的法院（指令执行必填）", "the court instructed, centralizing or entrusted (required for instruct)"),
        Key("from", "court", "原执行法院（案件已写明接受法院时）", "the original executing court (when the case already names the receiving court)"),
        Key("deadline", "date", "督促执行令指定的期限（第10条）", "the day fixed by an order to execute (art. 10)"),
    )),
}

VOCABULARIES = {   # enum name -> (facts/vocab.yaml section, 中文, English)
    "levels": ("levels", "法院层级", "court levels"),
    "court_kinds": ("court_kinds", "专门法院类别", "kinds of special courts"),
    "party_kinds": ("party_kinds", "当事人类别", "kinds of party"),
    "obligations": ("obligations", "义务类别", "obligations"),
    "case_statuses": ("case_statuses", "案件状态", "case statuses"),
    "circumstances": ("circumstances", "法院查明的情形", "circumstances"),
    "exclusion_reasons": ("exclusion_reasons", "不计入期间的事由", "reasons for excluded periods"),
    "event_types": ("event_types", "事件类型", "event types"),
    "objectors": ("objectors", "可提出异议的人", "who may object"),
    "decision_kinds": ("decision_kinds", "决定类型", "decision kinds"),
    "dispute_kinds": ("dispute_kinds", "争议类型", "dispute kinds"),
    "negotiation_results": ("negotiation_results", "协商结果", "negotiation results"),
    "actions": ("actions", "行为", "actions"),
}


def keys(section: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(allowed keys, required keys) of a section, in the documented order: what load.py accepts."""
    entries = SECTIONS[section][2]
    return tuple(k.name for k in entries), tuple(k.name for k in entries if k.required)


def values(enum: str) -> dict:
    return vocab.table(VOCABULARIES[enum][0])


# -- JSON Schema ---------------------------------------------------------------------------------------

_TEXT = {"type": ["string", "integer"]}
_DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "format": "date"}


def _type_schema(kind: str) -> dict:
    if kind.startswith("list:"):
        return {"type": "array", "items": _type_schema(kind[5:])}
    if kind.startswith("section:"):
        return {"$ref": f"#/definitions/{kind[8:]}"}
    if kind.startswith("enum:"):
        table = values(kind[5:])
        return {"enum": list(table), "enumDescriptions": [f"{v['zh']} — {v['en']}" for v in table.values()]}
    if kind == "courts":
        return {"oneOf": [{"const": "national", "description": "全国法院名录 — the national court hierarchy"},
                          {"type": "array", "minItems": 1, "items": {"$ref": "#/definitions/court"}}]}
    if kind == "expect":
        return {"type": "object", "description": "tests/scenarios/README.md"}
    return {"text": _TEXT, "court": _TEXT, "actor": _TEXT, "date": _DATE, "flag": {"type": "boolean"}}[kind]


def _section_schema(section: str) -> dict:
    zh, en, entries = SECTIONS[section]
    properties = {}
    for k in entries:
        prop = dict(_type_schema(k.type))
        prop["description"] = f"{k.zh} — {k.en}" + (f"（默认 / default: {k.default}）" if k.default else "")
        properties[k.name] = prop
    out = {"type": "object", "description": f"{zh} — {en}", "properties": properties,
           "additionalProperties": False}
    required = [k.name for k in entries if k.required]
    if required:
        out["required"] = required
    return out


def json_schema() -> dict:
    top = _section_schema("scenario")
    return {"$schema": "http://json-schema.org/draft-07/schema#",
            "title": "crossexec scenario（交叉执行情形）",
            "description": "Generated by `python -m crossexec.scenario_format` from crossexec/scenario_format.py "
                           "and facts/vocab.yaml; do not edit by hand. See docs/scenario-format.md.",
            **{k: v for k, v in top.items() if k != "description"},
            "definitions": {s: _section_schema(s) for s in SECTIONS if s != "scenario"}}


def schema_text() -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"


# -- Markdown ------------------------------------------------------------------------------------------

_TYPE_WORDS = {"text": "文本 text", "date": "日期 date", "flag": "true/false", "court": "法院 court",
               "actor": "法院或人 court or person", "courts": "`national` 或法院列表 / or list",
               "expect": "映射 mapping"}


def _type_words(kind: str) -> str:
    if kind.startswith("list:"):
        return f"列表 list of {_type_words(kind[5:])}"
    if kind.startswith("section:"):
        return f"[{kind[8:]}](#{kind[8:]})"          # GitHub keeps the underscore in anchors
    if kind.startswith("enum:"):
        return f"[{kind[5:]}](#{kind[5:]})"
    return _TYPE_WORDS[kind]


INTRO = """# 情形文件格式 / The scenario format

<!-- Generated by `python -m crossexec.scenario_format` from crossexec/scenario_format.py and
facts/vocab.yaml. Do not edit by hand: a test fails when this file and the loader disagree. -->

情形文件是一个 YAML 文件，描述法院、当事人、案件、事件和已作出的决定；`crossexec ask FILE` 回答各法院
可以、应当、不得做什么。A scenario is one YAML file: courts, parties, cases, events and the decisions
already made; `crossexec ask FILE` answers what each court may, should or must (not) do.

- Start from `crossexec init my-case.yaml` (a commented scenario that `crossexec ask` answers) or
  from [facts/examples/demo.yaml](../facts/examples/demo.yaml).
- Editors: the JSON Schema [scenario.schema.json](scenario.schema.json) is generated from the same
  model as this page. With VS Code's YAML extension (redhat.vscode-yaml), put this first line in a
  scenario (the path relative to the file):
  `# yaml-language-server: $schema=../docs/scenario.schema.json` — keys, values and the Chinese
  names of the vocabulary are then completed and checked as you type. `crossexec init` writes it.
- **Dates** are written `YYYY-MM-DD`, bare or quoted. Lists of events, negotiations and decisions
  are written oldest first.
- **Courts** are named by id, full name, or a name people use (`杭州中院`, `北京三中院`,
  `昆山法院`, `浙江省杭州市西湖区人民法院`): see
  [facts/courts/README.md](../facts/courts/README.md#names-people-use). A name that fits several
  courts is an error that lists them.
- **Bad input** stops with exit code 2 and one line naming the file, the line, the key path
  (`cases[0].assets[1].found`) and what was expected. Unknown keys are errors, never ignored.
- `court` and `filed` of a case are the court now responsible and its filing day: after an
  instruction or elevation the receiving court's filing starts a new execution period (art. 6);
  the history lives in `decisions`.
"""


def markdown() -> str:
    out = [INTRO]
    for section, (zh, en, entries) in SECTIONS.items():
        out += [f"## {section}", "", f"{zh} — {en}", "",
                "| 键 key | 类型 type | 必填 required | 含义 | meaning |", "|---|---|---|---|---|"]
        for k in entries:
            default = f"（默认 {k.default}）" if k.default else ""
            out.append(f"| `{k.name}` | {_type_words(k.type)} | {'是 yes' if k.required else ''} | "
                       f"{k.zh}{default} | {k.en}{' (default: ' + k.default + ')' if k.default else ''} |")
        out.append("")
    out += ["## 词表 / Vocabularies", "",
            "From [facts/vocab.yaml](../facts/vocab.yaml); ids are fixed once published.", ""]
    for enum, (_, zh, en) in VOCABULARIES.items():
        out += [f"### {enum}", "", f"{zh} — {en}", "", "| id | 中文 | English |", "|---|---|---|"]
        out += [f"| `{k}` | {v['zh']} | {v['en']} |" for k, v in values(enum).items()]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def outputs() -> dict:
    return {DOC: markdown(), SCHEMA: schema_text()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="write docs/scenario-format.md and docs/scenario.schema.json")
    parser.add_argument("--check", action="store_true", help="exit 1 if a committed file is stale")
    args = parser.parse_args(argv)
    stale = [p for p, text in outputs().items()
             if not p.exists() or p.read_text(encoding="utf-8") != text]
    if args.check:
        for p in stale:
            print(f"stale: {p.relative_to(ROOT)} (run python -m crossexec.scenario_format)", file=sys.stderr)
        return 1 if stale else 0
    for p, text in outputs().items():
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

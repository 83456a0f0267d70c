"""`crossexec draft`: one of the guidance's ten 文书样式, filled from a scenario and the proof of a
conclusion (README.md, "Drafting documents"). Python decides no legal question here: the conclusion
must hold (else exit 1 with `whynot`'s reason), the grounds are read off its proof, the legal basis
is the form's own citations and the conclusion's sources."""
from __future__ import annotations

import os
import re
import sys
from datetime import date
from pathlib import Path

import clingo
import networkx as nx

from . import vocab
from .errors import InputError, escape
from .forms import Form, Paragraph, Segment, data, fill, load_forms, unfilled

DIGITS = "〇一二三四五六七八九"
MOVE_NAMES = {"elevate": "提级执行", "instruct": "指令执行"}


class Refused(Exception):
    """The conclusion does not support a document (exit 1)."""


# -- citing the law ------------------------------------------------------------------------------------

def chinese_number(n: int) -> str:
    """237 → 二百三十七 (article numbers as statutes print them)."""
    units = ["", "十", "百", "千"]
    digits = [int(d) for d in str(n)]
    out, zero = "", False
    for i, d in enumerate(digits):
        place = len(digits) - i - 1
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += ("" if (d == 1 and place == 1 and not out) else DIGITS[d]) + units[place]
    return out or "〇"


SOURCE = re.compile(r"^(?P<doc>[^第]+)第(?P<art>\d+)条(?:第(?P<para>\d+)款)?(?:第(?P<item>\d+)项)?$")


def _parts(source: str):
    m = SOURCE.match(source)
    return None if m is None else (m["doc"], int(m["art"]), int(m["para"] or 0), int(m["item"] or 0))


def cite(sources: list[str]) -> str:
    """“《中华人民共和国民事诉讼法》第二百三十七条、《…指导意见》第4条第1款”: each document once, in the
    order of facts/forms/citations.yaml, its articles in order; a whole article or paragraph absorbs
    a narrower citation of itself only when it is cited too (the narrower one is kept, the broader dropped)."""
    titles = data("citations.yaml")
    parsed = sorted({p for s in sources if (p := _parts(s)) and p[0] in titles},
                    key=lambda p: (list(titles).index(p[0]), p[1:]))
    kept = [p for p in parsed if not any(q != p and q[:2] == p[:2] and _narrower(q, p) for q in parsed)]
    groups: dict[str, list[str]] = {}
    for doc, art, para, item in kept:
        chinese = titles[doc]["numerals"] == "chinese"
        num = chinese_number if chinese else str
        text = f"第{num(art)}条" + (f"第{num(para)}款" if para else "") + (f"第{num(item)}项" if item else "")
        groups.setdefault(doc, []).append(text)
    return "、".join(titles[doc]["title"] + "、".join(arts) for doc, arts in groups.items())


def _narrower(q, p) -> bool:
    """q cites a part of what p cites (第4条第1款 within 第4条)."""
    return (p[2] == 0 and q[2] != 0) or (p[2] == q[2] and p[3] == 0 and q[3] != 0)


def chinese_date(day: date) -> str:
    """二〇二四年九月三十日: the date a court signs a document."""
    year = "".join(DIGITS[int(d)] for d in str(day.year))
    return f"{year}年{chinese_number(day.month)}月{chinese_number(day.day)}日"


def body_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# -- choosing the form ---------------------------------------------------------------------------------

def default_form(forms: dict[int, Form], action: str, kind: str) -> Form | None:
    for f in forms.values():
        if action in f.default_for or f"{action}:{kind}" in f.default_for:
            return f
    return None


def choose_form(forms: dict[int, Form], action: str, kind: str, number: int | None, file: str) -> Form:
    if number is None:
        form = default_form(forms, action, kind)
        if form is None:
            raise InputError(file, "CONCLUSION.action",
                             f"no 文书样式 serves {action} ({vocab.name(vocab.ACTIONS, action)}); "
                             "crossexec draft --list shows the forms and their acts")
        return form
    form = forms[number]
    if action not in form.acts:
        raise InputError(file, "--form", f"样式{number}（{form.name}，{form.use}）does not serve {action}; "
                         f"it serves {', '.join(form.acts)}")
    return form


def list_forms() -> str:
    lines = []
    for f in load_forms().values():
        acts = "、".join(f"{a}（{vocab.name(vocab.ACTIONS, a.split(':')[0])}）" for a in f.acts)
        default = f"；默认用于 {', '.join(f.default_for)}" if f.default_for else "；用 --form 选用"
        lines.append(f"{f.number:>2}  {f.name}（{f.use}）  {f.file}\n    适用：{acts}{default}")
    return "\n".join(lines) + "\n"


# -- reading the answer --------------------------------------------------------------------------------

class Facts:
    """What a form asks, read from the scenario and the answer's atoms (never decided here)."""

    def __init__(self, answer):
        self.answer, self.scenario = answer, answer.scenario
        self.cases = {k.id: k for k in self.scenario.cases}

    def name(self, court_id: str | None) -> str | None:
        return None if court_id is None else self.scenario.court_name(court_id)

    def pairs(self, predicate: str) -> list[tuple]:
        return [tuple(a.string if a.type == clingo.SymbolType.String else a.name for a in s.arguments)
                for s in self.answer.atoms if s.name == predicate]

    def executing(self, case_id: str) -> str | None:
        return next((c for k, c in self.pairs("executing") if k == case_id), None)

    def direct_superior(self, court: str) -> str | None:
        return self.scenario.courts[court].parent if court in self.scenario.courts else None

    def area(self, court: str) -> list[str]:
        """The courts under `court`, in the scenario's order."""
        below = {c for s, c in self.pairs("superior") if s == court}
        return [c for c in self.scenario.courts if c in below]

    def title(self, case_id: str) -> list[Segment] | None:
        """×××与××× : the applicants and the debtor (申请执行人与被执行人)."""
        case = self.cases[case_id]
        if not case.applicants and not case.debtor:
            return None
        left = Segment("、".join(case.applicants), "filled") if case.applicants else \
            Segment("×××", "unfilled", "申请执行人")
        right = Segment(case.debtor, "filled") if case.debtor else Segment("×××", "unfilled", "被执行人")
        return [left, Segment("与"), right]

    def case_phrase(self, case_id: str) -> list[Segment]:
        """×××与×××……（写明案由）一案（案号：…）"""
        segs = self.title(case_id) or [Segment("×××与×××", "unfilled", "当事人")]
        number = self.cases[case_id].number
        return segs + [facts_cause(self.cases[case_id]), Segment("一案（案号：")] + \
            [Segment(number, "filled") if number else Segment("……", "unfilled", "案号"), Segment("）")]

    def events(self, case_id: str, kind: str) -> list:
        return [e for e in self.cases[case_id].events if e.type == kind and e.date <= self.scenario.as_of]

    def reported_move(self, case_id: str) -> str | None:
        """elevate or instruct: what the executing court's report (report_up event, `for:`) asked for."""
        asked = [e.for_ for e in self.events(case_id, "report_up") if e.for_ in MOVE_NAMES]
        return asked[-1] if asked else None

    def urge_deadline(self, actor: str, case_id: str) -> date | None:
        for d in self.scenario.decisions:
            if d.kind == "urge" and d.case == case_id and d.by == actor and getattr(d, "deadline", None):
                return d.deadline
        return None


def facts_cause(case) -> Segment:
    return Segment(case.cause, "filled") if case.cause else Segment("……（写明案由）", "unfilled", "案由")


def shared_cause(cases) -> str | None:
    """The cause of action of several cases, when they have one and the same."""
    causes = {k.cause for k in cases}
    return causes.pop() if len(causes) == 1 else None


def grounds(g: nx.DiGraph, case_id: str | None = None) -> list[str]:
    """The grounds the proof rests on, in the words and order of facts/forms/grounds.yaml."""
    atoms = []
    for _, d in g.nodes(data=True):
        if d["kind"] in ("atom", "fact"):
            atoms.append(clingo.parse_term(d["atom"]))
    phrases: list[str] = []
    entries = data("grounds.yaml")["grounds"]
    specific = {e["value"] for e in entries if e["atom"] == "circumstance" and "value" in e}
    for entry in entries:
        for a in atoms:
            if a.name != entry["atom"]:
                continue
            if case_id is not None and a.arguments and a.arguments[0].type == clingo.SymbolType.String \
                    and a.name in ("circumstance", "a04_overdue", "a04_situation", "a18_situation") \
                    and a.arguments[0].string != case_id:
                continue
            if entry["atom"] == "circumstance" and "value" not in entry:
                if a.arguments[1].name in specific:
                    continue
                phrase = vocab.name(vocab.CIRCUMSTANCES, a.arguments[1].name)
            elif "value" in entry:
                if len(a.arguments) < 2 or a.arguments[1].name != entry["value"]:
                    continue
                phrase = entry["zh"]
            else:
                phrase = entry["zh"]
            if phrase not in phrases:
                phrases.append(phrase)
    return phrases


# -- building the values of one form -------------------------------------------------------------------

def values_for(form: Form, c, g: nx.DiGraph, facts: Facts, day: date | None, file: str) -> dict:
    actor = c.actor.string
    v: dict = {"author": facts.name(actor), "year": str(day.year) if day else None,
               "date": chinese_date(day) if day else None}
    sources = list(form.basis) + list(c.sources)
    kind = c.object.name
    obj = c.object.arguments[0].string
    target = c.target.string if c.target.type == clingo.SymbolType.String else None
    builder = {1: _urge, 2: _request_move, 3: _decision_move, 4: _reply, 5: _request_centralize,
               6: _decision_centralize, 7: _request_joint, 8: _decision_joint, 9: _request_dispute,
               10: _decision_dispute}[form.number]
    if kind == "case" and form.number not in (5, 6, 9, 10):
        case = facts.cases[obj]
        executing = facts.executing(obj) or case.court
        v.update(case_title=facts.title(obj), case_number=case.number, executing_court=facts.name(executing),
                 cause=case.cause, judgment=case.judgment,
                 filed=body_date(case.filed) if case.filed else None)
    else:
        executing = None
    v["ground"] = "，".join(grounds(g, obj if kind == "case" else None)) or None
    extra_sources = builder(v, c, facts, actor, obj, target, executing, g, file) or []
    if c.action == "report_up" and form.number == 2:
        # 样式2 cites 民事诉讼法第237条 for a request after six months unexecuted (art. 4's ground);
        # a report under 执行工作若干规定第15条 rests on its special circumstances alone
        sources = [x for x in sources if x not in form.basis]
    # forms 6 and 8 state the grounds after their purpose: “为便于……工作，鉴于……，依照”
    v["since_ground"] = "鉴于" + v["ground"] if v["ground"] else None
    v["basis"] = cite(_direct_only(sources + extra_sources, form, facts, actor, executing))
    return v


def _direct_only(sources, form, facts, actor, executing):
    """民事诉讼法第237条 gives the power to the 上一级 only: a higher superior acts under 执行工作若干
    规定第74条, so a form by (or to) a court that is not the 上一级 does not cite 第237条."""
    if executing is None or form.number not in (1, 2, 3):
        return sources
    author_or_addressee = actor if actor != executing else None
    if author_or_addressee is not None and facts.direct_superior(executing) != author_or_addressee:
        return [s for s in sources if not s.startswith("民事诉讼法第237条")]
    return sources


def _urge(v, c, facts, actor, case_id, target, executing, g, file):
    deadline = facts.urge_deadline(actor, case_id)
    v["urge_deadline"] = body_date(deadline) if deadline else None


def _request_move(v, c, facts, actor, case_id, target, executing, g, file):
    if c.action == "report_up":
        if not any(r.startswith("zxgd15") for r in c.rules + c.supporting):
            raise InputError(file, "CONCLUSION.action", "no 文书样式 serves this report: 样式2 asks for 提级执行 "
                             "(执行工作若干规定第15条); the guidance has no form for other reports (第14条 层报)")
        v["author"], v["addressee"] = facts.name(actor), facts.name(target)
        v["move_name"] = "提级执行"              # 执行工作若干规定第15条: 报请上级人民法院执行
    else:
        v["author"], v["addressee"] = facts.name(executing), facts.name(actor)
        v["move_name"] = MOVE_NAMES[c.action]


def _decision_move(v, c, facts, actor, case_id, target, executing, g, file):
    v["move_name"] = MOVE_NAMES[c.action]
    if c.action == "elevate":
        v["receiver"] = "本院"
        v["addressees"] = facts.name(executing)
    else:
        v["receiver"] = facts.name(target)
        v["addressees"] = [Segment(facts.name(executing), "filled"), Segment("、"),
                           Segment(facts.name(target), "filled") if target else
                           Segment("××××人民法院", "unfilled", "受指令执行法院")]
    factor = _factors_phrase(facts, c, target)          # 指导意见第2条's factors naming the court instructed
    if factor and v["ground"]:
        v["ground"] += "，" + factor
    if facts.events(case_id, "report_up"):
        asked = facts.reported_move(case_id)
        v["reported"] = f"{facts.name(executing)}报请本院{MOVE_NAMES.get(asked, '提级执行/指令执行')}，" if asked \
            else f"{facts.name(executing)}报请本院，"


def _reply(v, c, facts, actor, case_id, target, executing, g, file):
    if not facts.events(case_id, "report_up"):
        raise Refused(f"批复答复下级法院的报请，而案件 {case_id} 没有执行法院报请的记录"
                      "（cases[].events 中 type: report_up）")
    held = {h.arguments[0].name for h in facts.answer.atoms if h.name == "holds" and len(h.arguments) == 5
            and h.arguments[1] == c.actor and h.arguments[2].name in MOVE_NAMES
            and h.arguments[3] == c.object}
    if held & {"must", "should"}:
        raise Refused(f"{facts.name(actor)}对案件 {case_id} 依法应当或一般应当指令执行或提级执行，"
                      "不能起草不同意的批复（crossexec why 可见其依据）")
    v["executing_court"] = facts.name(executing)
    asked = facts.reported_move(case_id)            # what the report asked for (its `for:`), if recorded
    if asked:
        v["move_name"] = MOVE_NAMES[asked]
        title = facts.title(case_id) or [Segment("……", "unfilled", "当事人")]
        v["refusal"] = [Segment("不同意")] + title + [Segment("一案由本院提级执行" if asked == "elevate"
                                                            else "一案指令执行")]
    if c.action in MOVE_NAMES:
        if asked and asked != c.action:
            raise Refused(f"报请的是{MOVE_NAMES[asked]}，批复应答复所报请的事项（结论为{MOVE_NAMES[c.action]}）")
        v["move_name"] = MOVE_NAMES[c.action]
        title = facts.title(case_id) or [Segment("……", "unfilled", "当事人")]
        v["refusal"] = [Segment("不同意")] + title + [Segment("一案由本院提级执行" if c.action == "elevate"
                                                            else "一案指令执行")]
    if c.action == "grant_request":
        who = "、".join(facts.cases[case_id].applicants) or "申请执行人"
        asked = facts.events(case_id, "applicant_requests_no_transfer")
        v["reason_refused"] = (f"申请执行人{who}于{body_date(asked[0].date)}申请不进行指令或者提级执行，"
                               f"依照{cite(c.sources)}规定，一般应予准许") if asked else None


def _debtor_cases(facts, superior, debtor):
    """The debtor's open cases held by the courts under `superior` (or by it), in the scenario's order."""
    area = set(facts.area(superior)) | {superior}
    open_cases = {k for (k,) in facts.pairs("open")}
    return [k for k in facts.scenario.cases if k.debtor == debtor and k.id in open_cases
            and (facts.executing(k.id) or k.court) in area]


def _filings(facts, cases) -> list[Segment]:
    parts = []
    for k in cases:
        title = facts.title(k.id) or [Segment("×××与×××", "unfilled", "当事人")]
        parts += title + [facts_cause(k)]
        parts += [Segment("一案，本院于"), Segment(body_date(k.filed), "filled") if k.filed else
                  Segment("××××年××月××日", "unfilled", "立案日期"), Segment("立案执行，案号为"),
                  Segment(k.number, "filled") if k.number else Segment("（××××）执……号", "unfilled", "案号"),
                  Segment("；")]
    if parts:
        parts[-1] = Segment("")
    return parts


def _factors_phrase(facts, c, target) -> str | None:
    if not target or not c.factors:
        return None
    names = "、".join(vocab.name(vocab.FACTORS, f) for f, _ in c.factors)
    return f"{facts.name(target)}为{names}法院"


def _request_centralize(v, c, facts, actor, debtor, target, executing, g, file):
    if not target or target == actor:
        raise Refused("报请集中执行的请示由下级法院提出：请给出将负责集中执行的下级法院（“-> 法院”）")
    v["author"], v["addressee"], v["debtor"] = facts.name(target), facts.name(actor), debtor
    cases = _debtor_cases(facts, actor, debtor)
    own = [k for k in cases if (facts.executing(k.id) or k.court) == target]
    v["case_count_word"] = "等多案" if len(cases) > 1 else "一案"
    v["cause"] = shared_cause(cases)
    v["own_cases"] = _filings(facts, own) or None
    factor = _factors_phrase(facts, c, target)
    if v["ground"] and factor:
        v["ground"] += "，" + factor


def _decision_centralize(v, c, facts, actor, debtor, target, executing, g, file):
    cases = _debtor_cases(facts, actor, debtor)
    v["debtor"], v["cause"] = debtor, shared_cause(cases)
    v["addressees"] = "、".join(facts.name(x) for x in facts.area(actor)) or None
    creditors = list(dict.fromkeys(a for k in cases for a in k.applicants))
    v["creditors"] = "、".join(creditors) if creditors else [Segment("×××", "unfilled", "申请执行人")]
    v["case_count"] = str(len(cases))
    v["case_list"] = [Segment("、".join(k.number for k in cases if k.number), "filled")] + \
        ([Segment("等", "text"), Segment("……", "unfilled", "案号")] if any(not k.number for k in cases) else [])
    v["target_court"] = facts.name(target)
    factor = _factors_phrase(facts, c, target)
    if factor:
        v["ground"] = "，".join(x for x in (v["ground"], factor) if x)
    return []


def _request_joint(v, c, facts, actor, case_id, target, executing, g, file):
    v["author"], v["addressee"] = facts.name(executing), facts.name(actor)


def _decision_joint(v, c, facts, actor, case_id, target, executing, g, file):
    # 指导意见第19条: the assisting courts the answer recommends (rank 1) for this superior and case
    chosen = [x.target.string for x in facts.answer.conclusions
              if x.action == "select_assisting_court" and x.actor == c.actor and x.object == c.object
              and x.target.type == clingo.SymbolType.String and x.rank == 1]
    if c.action == "select_assisting_court" and target:
        chosen = [target]
    v["assisting_courts"] = "、".join(facts.name(x) for x in chosen) or None
    v["addressees"] = [Segment(facts.name(executing), "filled")] + (
        [Segment("、"), Segment(v["assisting_courts"], "filled")] if chosen else
        [Segment("、"), Segment("××××人民法院、……", "unfilled", "协助执行法院")])
    sources = []
    for x in facts.answer.conclusions:
        if x.action == "select_assisting_court" and x.actor == c.actor and x.object == c.object and x.rank == 1:
            sources += x.sources
    return sources


def _dispute(facts, dispute_id, file):
    d = next(x for x in facts.scenario.disputes if x.id == dispute_id)
    return d, data("grounds.yaml")["disputes"]


def _sides(facts, d, speaker: str | None) -> list[Segment]:
    """我院执行的……一案，与××××人民法院执行的……一案"""
    segs: list[Segment] = []
    for i, court in enumerate(d.courts):
        cases = [k for k in d.cases if (facts.executing(k) or facts.cases[k].court) == court]
        segs.append(Segment("，与" if i else ""))
        segs.append(Segment("我院") if court == speaker else Segment(facts.name(court), "filled"))
        segs.append(Segment("执行的"))
        if cases:
            for j, k in enumerate(cases):
                segs += ([Segment("、")] if j else []) + facts.case_phrase(k)
        else:
            segs += [Segment("×××与×××……（写明案由、案号）一案", "unfilled", "争议各方案件")]
    return segs


def _dispute_kind(facts, d, kinds) -> str | None:
    return kinds.get(d.kind)


def _request_dispute(v, c, facts, actor, dispute_id, target, executing, g, file):
    d, kinds = _dispute(facts, dispute_id, file)
    v["author"], v["addressee"] = facts.name(actor), facts.name(target)
    v["dispute_title"] = [Segment("、".join(facts.name(x) for x in d.courts), "filled"), Segment("之间")]
    speaker = actor if actor in d.courts else None
    v["sides"] = _sides(facts, d, speaker)
    v["dispute_ground"] = _dispute_kind(facts, d, kinds)


def _decision_dispute(v, c, facts, actor, dispute_id, target, executing, g, file):
    d, kinds = _dispute(facts, dispute_id, file)
    v["addressees"] = "、".join(facts.name(x) for x in d.courts)
    v["sides"] = _sides(facts, d, None)
    v["dispute_ground"] = _dispute_kind(facts, d, kinds)
    v["ground"] = None                  # the coordinating court's reasoning: the proof says only that it must coordinate


# -- drafting ------------------------------------------------------------------------------------------

def draft(answer, query, form_number: int | None, day: date | None, file: str):
    """(form, paragraphs) for a conclusion that holds; Refused with the reason otherwise."""
    from .explain import why_graph, explainer, MAX_DEPTH
    from . import graphs
    forms = load_forms()
    form = choose_form(forms, query.action, query.object.name, form_number, file)
    if query.modality not in vocab.POSITIVE:
        raise Refused(f"“{query.text}”是禁止性结论，不能据以起草文书")
    barred = [h for h in answer.atoms if h.name == "holds" and len(h.arguments) == 5
              and h.arguments[0].name in vocab.NEGATIVE and h.arguments[1] == query.actor
              and h.arguments[2].name == query.action and h.arguments[3] == query.object
              and (query.target is None or h.arguments[4] == query.target)]
    if barred:
        names = "、".join(vocab.name(vocab.MODALITIES, h.arguments[0].name) for h in barred)
        raise Refused(f"“{query.text}”：{names}（crossexec why 可见依据），不能起草{form.name}")
    g = why_graph(answer, query)
    if g is None:
        reason = graphs.render(explainer(answer).whynot(query, 2), "text", "zh")
        raise Refused(f"“{query.text}”不成立，不能起草{form.name}。理由（whynot）：\n{reason.rstrip()}")
    root = g.graph["roots"][0]
    held = clingo.parse_term(g.nodes[root]["atom"]) if root.startswith("atom:") else None
    c = next((c for c in answer.conclusions if held is not None and c.atom == clingo.Function(
        held.arguments[0].name, list(held.arguments[1:]))), None)
    if c is None:
        c = next(c for c in answer.conclusions if c.action == query.action and c.actor == query.actor
                 and c.object == query.object and (query.target is None or c.target == query.target))
    values = values_for(form, c, g, Facts(answer), day, file)
    return form, fill(form, values), c


def render_markdown(form: Form, paragraphs: list[Paragraph]) -> str:
    """For review and diffs: the placeholders left are marked ==…==."""
    out = [f"<!-- {form.heading}；{form.file} -->"]
    prefix = {"court": "## ", "title": "# ", "heading": "### "}
    for p in paragraphs:
        text = "".join(f"=={s.text}==" if s.kind == "unfilled" else s.text for s in p.segments)
        out.append(prefix.get(p.style, "") + text)
    return "\n\n".join(out) + "\n"


def run_draft(args) -> int:
    if args.list:
        sys.stdout.write(list_forms())
        return 0
    if not args.scenario:
        raise InputError("crossexec draft", "SCENARIO", "expected a scenario file (or --list)")
    from .explain import parse_conclusion
    from .load import load_scenario
    from . import RULES
    from .rulebase import load_rulebase
    from .solve import solve
    scenario = load_scenario(args.scenario, args.as_of)
    answer = solve(scenario, load_rulebase(args.rules or RULES), explain=True)
    if args.all:
        return _draft_all(answer, args)
    if not args.conclusion:
        raise InputError(args.scenario, "CONCLUSION", 'expected a conclusion such as "may 某中院 elevate c1" (or --all)')
    out = Path(args.out) if args.out else None
    if out is not None and out.suffix not in (".docx", ".md"):
        raise InputError(args.scenario, "--out", f"expected a file ending .docx or .md, got {escape(str(out))}")
    if out is not None and not (out.parent.is_dir() and os.access(out.parent, os.W_OK)):
        raise InputError(args.scenario, "--out", f"expected a file in a folder that exists and can be written, got {escape(str(out))}")
    query = parse_conclusion(args.conclusion, answer, args.scenario)
    try:
        form, paragraphs, _ = draft(answer, query, args.form, args.date, args.scenario)
    except Refused as e:
        print(f"crossexec: {escape(str(e), keep_newlines=True)}", file=sys.stderr)
        return 1
    _write(form, paragraphs, out)
    _report(form, paragraphs, out)
    return 0


def _write(form, paragraphs, out: Path | None):
    if out is None:
        sys.stdout.write(escape(render_markdown(form, paragraphs), keep_newlines=True))
    elif out.suffix == ".md":
        out.write_text(render_markdown(form, paragraphs), encoding="utf-8")
    else:
        from .docx_out import write_docx
        write_docx(form, paragraphs, out)


def _report(form, paragraphs, out):
    left = unfilled(paragraphs)
    where = f" → {out}" if out else ""
    print(f"样式{form.number} {form.name}（{form.use}）{where}", file=sys.stderr)
    print("未填写：" + ("、".join(left) if left else "无"), file=sys.stderr)


def _draft_all(answer, args) -> int:
    """Every form the answer supports: the default form of each conclusion that has one, each power
    once (on its ordinary holder), into a folder."""
    from .explain import Query
    forms = load_forms()
    folder = Path(args.out or "drafts")
    if folder.suffix:
        raise InputError(args.scenario, "--out", f"expected a folder for --all, got {escape(str(folder))}")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InputError(args.scenario, "--out", f"cannot create the folder {escape(str(folder))}: {e.strerror}") from None
    written = 0
    for c in answer.conclusions:
        if c.modality not in vocab.POSITIVE or c.holder == "also":
            continue
        form = default_form(forms, c.action, c.object.name)
        if form is None:
            continue
        query = Query(c.modality, c.actor, c.action, c.object, c.target,
                      f"{c.modality} {c.actor.string} {c.action} {c.object.arguments[0].string}")
        try:
            form, paragraphs, _ = draft(answer, query, form.number, args.date, args.scenario)
        except Refused as e:          # cannot happen for a conclusion of the answer, but say so if it does
            print(f"crossexec: {escape(str(e).splitlines()[0])}", file=sys.stderr)
            continue
        target = f"_{answer.scenario.court_name(c.target.string)}" if c.target.type == clingo.SymbolType.String else ""
        stem = f"{form.number:02d}_{form.name}_{answer.scenario.court_name(c.actor.string)}_{c.action}_" \
               f"{c.object.arguments[0].string}{target}"
        stem = re.sub(r"[^\w\u4e00-\u9fff-]", "_", stem)
        _write(form, paragraphs, folder / f"{stem}.docx")
        _write(form, paragraphs, folder / f"{stem}.md")
        _report(form, paragraphs, folder / f"{stem}.docx")
        written += 1
    print(f"{written} 份文书 → {folder}", file=sys.stderr)
    return 0

"""Answers as text (Chinese first, English with --lang en) and as JSON (docs/answer-format.md)."""
from __future__ import annotations

import json
from functools import lru_cache
from typing import NamedTuple

import clingo

from . import vocab
from .legaltime import compute_period, from_day
from .solve import Answer, Conclusion, _inner, _term

LABELS = {
    "zh": {"scenario": "情形", "as_of": "截至", "none": "（无结论）", "deadline": "期限", "sources": "依据",
           "conflicts": "冲突（同一行为既应当又不得）", "warnings": "提示", "case": "案件", "debtor": "被执行人",
           "dispute": "执行争议", "area": "辖区", "other_courts": "辖区内其他法院", "shifted": "期满日遇法定节假日顺延", "and": "与",
           "overdue": "已逾期 {n} 日", "any_superior": "上级法院均可", "any_superior_not": "各上级法院均同", "if": "如决定{x}"},
    "en": {"scenario": "Scenario", "as_of": "as of", "none": "(no conclusions)", "deadline": "deadline",
           "sources": "sources", "conflicts": "Conflicts (both must and must not)", "warnings": "Warnings",
           "case": "case", "debtor": "debtor", "dispute": "dispute", "area": "area of", "other_courts": "another court of its area",
           "shifted": "last day fell on a rest day and was moved to the next working day", "and": "and",
           "overdue": "overdue by {n} day(s)", "any_superior": "any superior court may", "any_superior_not": "so for every superior court",
           "if": "if {x} is decided"},
}


def actor_name(answer: Answer, actor: clingo.Symbol, lang: str = "zh") -> str:
    if actor.type == clingo.SymbolType.String:
        return answer.scenario.court_name(actor.string)
    return vocab.name(vocab.ACTORS, actor.name, lang)


def object_fields(obj: clingo.Symbol, answer: Answer | None = None) -> dict:
    kind, value = obj.name, obj.arguments[0].string
    fields = {"case": value if kind == "case" else None, "debtor": value if kind == "debtor" else None,
              "dispute": value if kind == "dispute" else None}
    if kind == "area":          # a high court's area (art. 27); the key appears only then
        fields["area"] = answer.scenario.court_name(value) if answer else value
    return fields


def target_name(answer: Answer, target: clingo.Symbol) -> str | None:
    return answer.scenario.court_name(target.string) if target.type == clingo.SymbolType.String else None


def deadline_computation(answer: Answer, c: Conclusion):
    """The period computation behind a deadline conclusion (None if the rule gave the day itself).

    Several periods may run for the same act (from two receipts, say); the one shown is the one
    that gives the deadline the rules chose (the earliest: rules/core/modalities.lp), tried in
    the order of their start, length and unit, so that the answer never depends on the order in
    which a set of atoms happens to be read."""
    if c.deadline is None:
        return None
    if "deadline_from" not in answer.indexes:        # once per answer: the text prints many deadlines
        index = answer.indexes["deadline_from"] = {}
        for text in answer.shown.get("deadline_from", ()):     # deadline_from(A,Act,O,T,Start,N,Unit)
            body, start, n, unit = _inner(text).rsplit(",", 3)
            unit_name = _term(unit).string if unit.startswith('"') else unit
            index.setdefault(body, []).append((int(start), int(n), unit_name))
        for periods in index.values():
            periods.sort()
    actor, obj, target = c.texts()
    for start, n, unit in answer.indexes["deadline_from"].get(f"{actor},{c.action},{obj},{target}", ()):
        computation = compute_period(from_day(start), n, unit, deadline=True, calendar=answer.context.calendar)
        if computation.end == c.deadline:
            return computation
    return None


def days_overdue(answer: Answer, c: Conclusion) -> int | None:
    """How many days a deadline has passed on the day asked (None without a deadline).

    The deadline is the last day on which the act is still in time (民法典第203条: a period ends at
    24:00 of its last day), so a duty is overdue only from the day after: deadline < as_of. Asked on
    the last day itself, it is not overdue (0)."""
    if c.deadline is None:
        return None
    return max(0, (answer.scenario.as_of - c.deadline).days)


def query_form(answer: Answer, c: Conclusion, with_actor: bool = True) -> str:
    """The conclusion as `why`/`whynot` accept it: modality actor action object [-> target]."""
    parts = [c.modality] + ([actor_name(answer, c.actor)] if with_actor else [])
    obj = c.object.arguments[0].string
    parts += [c.action, answer.scenario.court_name(obj) if c.object.name == "area" else obj]
    target = target_name(answer, c.target)
    return " ".join(parts) + (f" -> {target}" if target else "")


def to_json(answer: Answer) -> dict:
    return {
        "scenario": answer.scenario.name,
        "as_of": answer.scenario.as_of.isoformat(),
        "conclusions": [conclusion_json(answer, c) for c in answer.conclusions],
        "conflicts": [{"positive": conclusion_json(answer, p), "negative": conclusion_json(answer, n)}
                      for p, n in answer.conflicts],
        "warnings": answer.warnings,
    }


def conclusion_json(answer: Answer, c: Conclusion) -> dict:
    late = days_overdue(answer, c)
    overdue = {} if late is None else {"overdue": late > 0, "days_overdue": late}
    terms = plain_terms(answer, c)
    return {"modality": c.modality, "actor": terms.actor, "action": c.action, "action_zh": _action_zh(c.action),
            **terms.object, "target": terms.target,
            "deadline": c.deadline.isoformat() if c.deadline else None,
            "sources": c.sources, "rule": c.rules[0] if c.rules else None, **overdue, **_presentation(c)}


class PlainTerms(NamedTuple):
    """A conclusion's actor, object and target as the JSON answer writes them."""
    actor_id: str            # a court id, or applicant | debtor
    actor: str               # the court's name, or applicant | debtor
    object_kind: str         # case | debtor | dispute | area
    object: dict             # the JSON answer's object fields (case, debtor, dispute, area)
    target: str | None       # the target court's name


def plain_terms(answer: Answer, c: Conclusion) -> PlainTerms:
    """Read from clingo's symbols once per distinct actor, object and target of an answer (kept in
    answer.indexes by their text), not once per conclusion: a batch has thousands of conclusions
    about a few hundred objects, and every symbol accessor is a call into clingo's C library."""
    indexes = answer.indexes.get("plain_terms")
    if indexes is None:
        indexes = answer.indexes["plain_terms"] = {"actor": {}, "object": {}, "target": {}}
    actors, objects, targets = indexes["actor"], indexes["object"], indexes["target"]
    actor_text, object_text, target_text = c.texts()
    actor = actors.get(actor_text)
    if actor is None:
        string = c.actor.type == clingo.SymbolType.String
        actor = actors[actor_text] = ((c.actor.string, answer.scenario.court_name(c.actor.string)) if string
                                      else (c.actor.name, c.actor.name))
    obj = objects.get(object_text)
    if obj is None:
        obj = objects[object_text] = (c.object.name, object_fields(c.object, answer))
    if target_text in targets:
        target = targets[target_text]
    else:
        target = targets[target_text] = target_name(answer, c.target)
    return PlainTerms(actor[0], actor[1], obj[0], obj[1], target)


@lru_cache(maxsize=1024)
def _action_zh(action: str) -> str:
    return vocab.name(vocab.ACTIONS, action, "zh")


def _presentation(c: Conclusion) -> dict:
    """Fields only where they apply (docs/answer-format.md): whether this court is the ordinary
    holder of a power several superiors hold, and the decision a duty depends on."""
    out = {}
    if c.holder:
        out["ordinary_holder"] = c.holder == "ordinary"
    if c.condition:
        out["condition"] = c.condition
    if c.rank is not None:
        out["rank"] = c.rank
        out["factors"] = [{"factor": f, "factor_zh": vocab.name(vocab.FACTORS, f, "zh"), "sources": src}
                          for f, src in c.factors]
        out["recommended"] = c.rank == 1 and bool(c.factors)
    return out


def ranking_note(c: Conclusion, lang: str) -> str:
    """推荐（主要财产所在地，指导意见第2条）, or 第2位, for a target ranked by the law's factors."""
    if c.rank is None:
        return ""
    reasons = [f"{vocab.name(vocab.FACTORS, f, lang)}，{'、'.join(src)}" if lang == "zh"
               else f"{vocab.name(vocab.FACTORS, f, lang)}, {', '.join(src)}" for f, src in c.factors]
    head = (("推荐" if lang == "zh" else "recommended") if c.rank == 1 and c.factors
            else (f"第{c.rank}位" if lang == "zh" else f"rank {c.rank}"))
    inner = ("；" if lang == "zh" else "; ").join([head] + reasons)
    return f"【{inner}】" if lang == "zh" else f" [{inner}]"


def render_json(answer: Answer) -> str:
    return dumps_indented(to_json(answer))


def dumps_indented(data) -> str:
    """`json.dumps(data, ensure_ascii=False, indent=2)`, character for character. With an indent
    the standard library encodes in pure Python (4 of `ask`'s 20 s on 10,000 cases); orjson writes
    the same text in a tenth of the time. It refuses a lone surrogate (a `\\ud800` escape in a
    double-quoted YAML string), which the standard library writes as it is: then it writes it."""
    try:
        import orjson
        return orjson.dumps(data, option=orjson.OPT_INDENT_2).decode()
    except (ImportError, TypeError):
        return json.dumps(data, ensure_ascii=False, indent=2)


def describe_object(answer: Answer, obj: clingo.Symbol, lang: str) -> str:
    words = LABELS[lang]
    kind, value = obj.name, obj.arguments[0].string
    if kind == "area":
        return f"{words['area']} {answer.scenario.court_name(value)}"
    if kind == "case":
        if "cases" not in answer.indexes:
            answer.indexes["cases"] = {}
            for k in answer.scenario.cases:
                answer.indexes["cases"].setdefault(k.id, k)
        case = answer.indexes["cases"].get(value)
        number = f"（{case.number}）" if case and case.number else ""
        return f"{words['case']} {value}{number}"
    return f"{words[kind]} {value}"


def conclusion_line(answer: Answer, c: Conclusion, lang: str = "zh", attached: list[Conclusion] = ()) -> str:
    words = LABELS[lang]
    sep = "　" if lang == "zh" else "  "
    act = vocab.name(vocab.ACTIONS, c.action, lang)
    marks = []
    if c.condition:
        marks.append(words["if"].format(x=vocab.name(vocab.DECISION_KINDS, c.condition, lang)))
    if c.holder == "ordinary":
        marks.append(words["any_superior" if c.modality in vocab.POSITIVE else "any_superior_not"])
    for duty in attached:                 # e.g. art. 2's weighing, printed with the act it goes with
        entry = vocab.ACTIONS.get(duty.action, {})
        note = entry.get(f"note_{lang}") or vocab.name(vocab.ACTIONS, duty.action, lang)
        marks.append(f"{note}，{'、'.join(duty.sources)}" if lang == "zh" else f"{note}, {', '.join(duty.sources)}")
    if marks:
        act += f"（{'；'.join(marks)}）" if lang == "zh" else f" ({'; '.join(marks)})"
    parts = [vocab.name(vocab.MODALITIES, c.modality, lang), act, describe_object(answer, c.object, lang)]
    target = target_name(answer, c.target)
    if target:
        parts[-1] += f" → {target}" + ranking_note(c, lang)
    elif c.action in TARGET_ACTS and c.target.type == clingo.SymbolType.Function and c.target.name == "none":
        parts[-1] += " → " + words["other_courts"]
    if c.deadline:
        notes = []
        computation = deadline_computation(answer, c)
        if computation and computation.holiday_shift:
            notes.append(words["shifted"])
        late = days_overdue(answer, c)
        if late:
            notes.append(words["overdue"].format(n=late))
        note = (f"（{'；'.join(notes)}）" if lang == "zh" else f" ({'; '.join(notes)})") if notes else ""
        parts.append(f"{words['deadline']} {c.deadline.isoformat()}{note}")
    parts.append(f"{words['sources']} {'、'.join(c.sources) if lang == 'zh' else ', '.join(c.sources)}")
    return sep.join(parts) + f"{sep}[{query_form(answer, c, with_actor=False)}]"


# Acts whose target `none` reads "another court of its area" (rules/guidance/a02.lp, target_act/1).
TARGET_ACTS = ("instruct", "centralize")

_LEVEL_ORDER = {"supreme": 0, "high": 1, "intermediate": 2, "basic": 3}


def _actor_order(answer: Answer, actor: clingo.Symbol) -> tuple:
    """Courts from the top of the hierarchy down, then the parties."""
    if actor.type != clingo.SymbolType.String:
        return (9, actor.name)
    court = answer.scenario.courts.get(actor.string)
    return (_LEVEL_ORDER.get(court.level, 5) if court else 5, answer.scenario.court_name(actor.string))


def shown_lines(answer: Answer, all_superiors: bool = False) -> list[tuple[Conclusion, list[Conclusion]]]:
    """The conclusions the text answer prints, each with the duties printed on its line.  A power
    several superiors hold is printed once, on its ordinary holder (rules/core/holders.lp), unless
    `all_superiors`; a duty that goes with an act (attaches_to/2) is printed on that act's line
    when the same court has that act for the same object."""
    hosts: dict[tuple, list[Conclusion]] = {}
    for c in answer.conclusions:
        hosts.setdefault((c.actor, c.object), []).append(c)
    out = []
    for c in answer.conclusions:
        if c.holder == "also" and not all_superiors:
            continue
        acts = answer.attaches_to.get(c.action)
        if acts and any(h.action in acts and h.modality in vocab.POSITIVE for h in hosts[(c.actor, c.object)]):
            continue                      # printed on its acts' lines (hidden with them under a lower holder)
        attached = [d for d in hosts[(c.actor, c.object)] if c.action in answer.attaches_to.get(d.action, ())
                    and c.modality in vocab.POSITIVE]
        out.append((c, attached))
    return out


def render_text(answer: Answer, lang: str = "zh", explain=None, all_superiors: bool = False) -> str:
    """Grouped by actor (courts by name, then applicant/debtor), one line per conclusion.
    `explain(conclusion) -> str` adds a short reason under each line (ask --explain)."""
    words = LABELS[lang]
    lines = [f"{words['scenario']}：{answer.scenario.name}（{words['as_of']} {answer.scenario.as_of.isoformat()}）"
             if lang == "zh" else f"{words['scenario']}: {answer.scenario.name} ({words['as_of']} {answer.scenario.as_of.isoformat()})"]
    groups: dict[str, list[tuple[Conclusion, list[Conclusion]]]] = {}
    for c, attached in shown_lines(answer, all_superiors):
        groups.setdefault(actor_name(answer, c.actor, lang), []).append((c, attached))
    if not groups:
        lines += ["", words["none"]]
    for actor in sorted(groups, key=lambda a: _actor_order(answer, groups[a][0][0].actor)):
        lines += ["", actor]
        for c, attached in groups[actor]:
            lines.append("  " + conclusion_line(answer, c, lang, attached))
            if explain:
                lines += ["      " + row for row in explain(c).splitlines()]
    if answer.conflicts:
        lines += ["", words["conflicts"]]
        for p, n in answer.conflicts:
            lines.append(f"  {actor_name(answer, p.actor, lang)}: {query_form(answer, p, False)} {words['and']} "
                         f"{query_form(answer, n, False)}")
            if explain:
                lines += ["      " + row for row in (explain(p) + "\n" + explain(n)).splitlines()]
    if answer.warnings:
        lines += ["", words["warnings"]] + [f"  ! {w}" for w in answer.warnings]
    return "\n".join(lines) + "\n"


def ranking_explanation(answer: Answer, c: Conclusion, lang: str = "zh") -> list[str]:
    """For `why` on a ranked target: its rank, the factors naming it, and against which other
    candidates which factor decided (decided_by/6 of rules/core/ranking.lp)."""
    if c.rank is None:
        return []
    key = (c.actor, clingo.Function(c.action), c.object)
    wins, losses = [], []
    for atom in answer.atoms:
        if atom.name != "decided_by" or len(atom.arguments) != 6 or tuple(atom.arguments[:3]) != key:
            continue
        winner, loser, factor = atom.arguments[3], atom.arguments[4], vocab.name(vocab.FACTORS, atom.arguments[5].name, lang)
        if winner == c.target:
            wins.append((target_name(answer, loser), factor))
        elif loser == c.target:
            losses.append((target_name(answer, winner), factor))
    zh = lang == "zh"
    lines = [("排序：" if zh else "Ranking: ") + (ranking_note(c, lang).strip("【】 []") or "—")]
    for other, factor in sorted(wins):
        lines.append(f"  优于 {other}：{factor}" if zh else f"  ahead of {other}: {factor}")
    for other, factor in sorted(losses):
        lines.append(f"  次于 {other}：{factor}" if zh else f"  behind {other}: {factor}")
    return lines

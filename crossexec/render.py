"""Answers as text (Chinese first, English with --lang en) and as JSON (docs/answer-format.md)."""
from __future__ import annotations

import json

import clingo

from . import vocab
from .legaltime import compute_period, from_day
from .solve import Answer, Conclusion

LABELS = {
    "zh": {"scenario": "情形", "as_of": "截至", "none": "（无结论）", "deadline": "期限", "sources": "依据",
           "conflicts": "冲突（同一行为既应当又不得）", "warnings": "提示", "case": "案件", "debtor": "被执行人",
           "dispute": "执行争议", "shifted": "期满日遇法定节假日顺延", "and": "与",
           "overdue": "已逾期 {n} 日"},
    "en": {"scenario": "Scenario", "as_of": "as of", "none": "(no conclusions)", "deadline": "deadline",
           "sources": "sources", "conflicts": "Conflicts (both must and must not)", "warnings": "Warnings",
           "case": "case", "debtor": "debtor", "dispute": "dispute",
           "shifted": "last day fell on a rest day and was moved to the next working day", "and": "and",
           "overdue": "overdue by {n} day(s)"},
}


def actor_name(answer: Answer, actor: clingo.Symbol, lang: str = "zh") -> str:
    if actor.type == clingo.SymbolType.String:
        return answer.scenario.court_name(actor.string)
    return vocab.name(vocab.ACTORS, actor.name, lang)


def object_fields(obj: clingo.Symbol) -> dict:
    kind, value = obj.name, obj.arguments[0].string
    return {"case": value if kind == "case" else None, "debtor": value if kind == "debtor" else None,
            "dispute": value if kind == "dispute" else None}


def target_name(answer: Answer, target: clingo.Symbol) -> str | None:
    return answer.scenario.court_name(target.string) if target.type == clingo.SymbolType.String else None


def deadline_computation(answer: Answer, c: Conclusion):
    """The period computation behind a deadline conclusion (None if the rule gave the day itself)."""
    for atom in answer.atoms:
        if atom.name == "deadline_from" and len(atom.arguments) == 7:
            a, act, o, t, start, n, unit = atom.arguments
            if (a, act.name, o, t) == c.key:
                unit_name = unit.string if unit.type == clingo.SymbolType.String else unit.name
                return compute_period(from_day(start.number), n.number, unit_name, deadline=True,
                                      calendar=answer.context.calendar)
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
    parts += [c.action, c.object.arguments[0].string]
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
    return {"modality": c.modality, "actor": c.actor.name if c.actor.type != clingo.SymbolType.String
            else answer.scenario.court_name(c.actor.string),
            "action": c.action, "action_zh": vocab.name(vocab.ACTIONS, c.action, "zh"),
            **object_fields(c.object), "target": target_name(answer, c.target),
            "deadline": c.deadline.isoformat() if c.deadline else None,
            "sources": c.sources, "rule": c.rules[0] if c.rules else None, **overdue}


def render_json(answer: Answer) -> str:
    return json.dumps(to_json(answer), ensure_ascii=False, indent=2)


def describe_object(answer: Answer, obj: clingo.Symbol, lang: str) -> str:
    words = LABELS[lang]
    kind, value = obj.name, obj.arguments[0].string
    if kind == "case":
        case = next((k for k in answer.scenario.cases if k.id == value), None)
        number = f"（{case.number}）" if case and case.number else ""
        return f"{words['case']} {value}{number}"
    return f"{words[kind]} {value}"


def conclusion_line(answer: Answer, c: Conclusion, lang: str = "zh") -> str:
    words = LABELS[lang]
    sep = "　" if lang == "zh" else "  "
    parts = [vocab.name(vocab.MODALITIES, c.modality, lang), vocab.name(vocab.ACTIONS, c.action, lang),
             describe_object(answer, c.object, lang)]
    target = target_name(answer, c.target)
    if target:
        parts[-1] += f" → {target}"
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


_LEVEL_ORDER = {"supreme": 0, "high": 1, "intermediate": 2, "basic": 3}


def _actor_order(answer: Answer, actor: clingo.Symbol) -> tuple:
    """Courts from the top of the hierarchy down, then the parties."""
    if actor.type != clingo.SymbolType.String:
        return (9, actor.name)
    court = answer.scenario.courts.get(actor.string)
    return (_LEVEL_ORDER.get(court.level, 5) if court else 5, answer.scenario.court_name(actor.string))


def render_text(answer: Answer, lang: str = "zh", explain=None) -> str:
    """Grouped by actor (courts by name, then applicant/debtor), one line per conclusion.
    `explain(conclusion) -> str` adds a short reason under each line (ask --explain)."""
    words = LABELS[lang]
    lines = [f"{words['scenario']}：{answer.scenario.name}（{words['as_of']} {answer.scenario.as_of.isoformat()}）"
             if lang == "zh" else f"{words['scenario']}: {answer.scenario.name} ({words['as_of']} {answer.scenario.as_of.isoformat()})"]
    groups: dict[str, list[Conclusion]] = {}
    for c in answer.conclusions:
        groups.setdefault(actor_name(answer, c.actor, lang), []).append(c)
    if not groups:
        lines += ["", words["none"]]
    for actor in sorted(groups, key=lambda a: _actor_order(answer, groups[a][0].actor)):
        lines += ["", actor]
        for c in groups[actor]:
            lines.append("  " + conclusion_line(answer, c, lang))
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

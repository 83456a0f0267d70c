"""Ground and solve one scenario against the rule base; collect conclusions with their sources.

Which modality wins, what counts as a conflict and what is shown are decided in
rules/core/modalities.lp; this module only reads the answer set."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import clingo

from . import rulebase as rb
from . import vocab
from .encode import Encoding, encode
from .errors import InputError
from .legaltime import LegalTimeContext, from_day
from .model import Scenario


@dataclass
class Conclusion:
    modality: str
    actor: clingo.Symbol
    action: str
    object: clingo.Symbol          # case("c1") | debtor("某公司") | dispute("d1")
    target: clingo.Symbol          # a court string, or the constant none
    deadline: date | None = None
    rules: list[str] = field(default_factory=list)      # labels of the rules that derived it
    supporting: list[str] = field(default_factory=list) # rules deriving the same act, weaker modality
    sources: list[str] = field(default_factory=list)
    holder: str | None = None      # a power several superiors hold: "ordinary" (the lowest) or "also"
    condition: str | None = None   # the decision it depends on (rules/core/holders.lp, conditional_on/2)
    rank: int | None = None        # a target court among the candidates (rules/core/ranking.lp)
    factors: list[tuple[str, list[str]]] = field(default_factory=list)   # (factor, its sources)

    @property
    def atom(self) -> clingo.Symbol:
        return clingo.Function(self.modality, [self.actor, clingo.Function(self.action), self.object, self.target])

    @property
    def key(self) -> tuple:
        return (self.actor, self.action, self.object, self.target)


@dataclass
class Answer:
    scenario: Scenario
    encoding: Encoding
    context: LegalTimeContext
    rulebase: rb.RuleBase
    atoms: set[clingo.Symbol]                      # shown atoms, or all atoms when explaining
    apps: list[tuple[str, clingo.Symbol]]          # (label, variable tuple) of rule instances that fired
                                                   # (explain=True only: every atom is kept)
    derived: list[tuple[str, clingo.Symbol]] = field(default_factory=list)   # (label, ground head) of the
                                                   # rules concluding a modality, a void step or a factor
    conclusions: list[Conclusion] = field(default_factory=list)
    conflicts: list[tuple[Conclusion, Conclusion]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    attaches_to: dict[str, set[str]] = field(default_factory=dict)   # duty → the acts it goes with
    indexes: dict[str, dict] = field(default_factory=dict)   # built once by render (cases, deadline_from)

    def call(self, name: str, args: list[clingo.Symbol]) -> clingo.Symbol:
        result = getattr(self.context, name)(*args)
        return result[0] if isinstance(result, list) else result


MODAL = ("must", "should", "may", "should_not", "must_not")
POSITIVE, NEGATIVE = ("must", "should", "may"), ("must_not", "should_not")   # strongest first


def solve(scenario: Scenario, rules: rb.RuleBase, explain: bool = False) -> Answer:
    """One answer set. `explain` keeps every atom (for why/whynot), not only the conclusions."""
    encoding = encode(scenario)
    context = LegalTimeContext()
    control = clingo.Control(["--warn=none"])
    rules.add_to(control)
    control.add("base", [], encoding.program())
    control.ground([("base", [])], context=context)
    models: list[tuple[list[clingo.Symbol], list[clingo.Symbol]]] = []
    with control.solve(yield_=True) as handle:
        for model in handle:
            models.append((model.symbols(shown=True), model.symbols(atoms=True) if explain else []))
            if len(models) > 1:
                break
    if not models:
        raise InputError(scenario.file, "", "the facts contradict a constraint of the rule base (no answer set); "
                         "run `crossexec check` to locate it")
    shown, every = models[0]
    answer = Answer(scenario, encoding, context, rules, set(every or shown), [])
    answer.warnings = list(encoding.warnings) + list(context.calendar.warnings)
    if len(models) > 1:
        answer.warnings.append("规则库对本情形有多个回答集（存在非分层否定），仅显示第一个。")
    for atom in every:
        record = rb.app_record(atom)
        if record:
            answer.apps.append(record)
    grouped: dict[str, list[clingo.Symbol]] = {}     # reading a symbol's name crosses into C: once
    for atom in shown:
        grouped.setdefault(atom.name, []).append(atom)
    answer.derived = [(label.string, head) for label, head in (a.arguments for a in grouped.pop(rb.BY, ()))]
    _collect_conclusions(answer, grouped)
    answer.warnings += state_warnings(answer, grouped)
    return answer


def _heads_cited(answer: Answer, head_name: str, key) -> dict:
    """key(ground head) → the sources of the rules that derived it, in the statute's order, for the
    fired rules whose head is `head_name` (their `_by` atoms are shown: rulebase.WARNING_HEADS)."""
    out: dict = {}
    rules = answer.rulebase.rules
    for label, head in answer.derived:
        rule = rules[label]
        if rule.head_signature[0] == head_name:
            cited = out.setdefault(key(head), [])
            cited += [s for s in rule.sources if s not in cited]
    for cited in out.values():
        cited.sort(key=_source_order)
    return out


def _factor_sources(answer: Answer) -> dict[tuple, dict[str, list[str]]]:
    """(actor, act, object, target) → {factor: the sources of the rules that name it}."""
    out: dict[tuple, dict[str, list[str]]] = {}
    for (target, factor), sources in _heads_cited(answer, "factor", lambda h: (tuple(h.arguments[:4]),
                                                                               h.arguments[4].name)).items():
        out.setdefault(target, {})[factor] = sources
    return out


def state_warnings(answer: Answer, shown: dict[str, list[clingo.Symbol]]) -> list[str]:
    """Decisions the rules found void (rules/core/state.lp, void_decision/2), with the sources of
    the rules that void them, and cases whose history is recorded ambiguously."""
    scenario, out = answer.scenario, []
    cited = _heads_cited(answer, "void_step", lambda h: (h.arguments[0].number, h.arguments[2].name))
    by_index = {d.index if d.index is not None else i: d for i, d in enumerate(scenario.decisions)}
    for atom in sorted(shown.get("void_decision", ()), key=lambda a: (a.arguments[0].number, str(a.arguments[1]))):
        index, reason = atom.arguments[0].number, atom.arguments[1].name
        d = by_index[index]
        by = scenario.courts[d.by].name if d.by in scenario.courts else d.by
        sources = "、".join(sorted(cited.get((index, reason), []), key=_source_order))
        out.append(f"决定 {d.path}（{vocab.name(vocab.DECISION_KINDS, d.kind)}，{by}）不发生效力，未据以推出任何义务："
                   f"{vocab.name(vocab.VOID_REASONS, reason)}（{sources}）。")
    for atom in shown.get("ambiguous_origin", ()):
        case = atom.arguments[0].string
        out.append(f"案件{case}的 court 指向受移送的法院，但决定未写明原执行法院（from），移送案卷材料的记录也不能确定它（没有记录，或不止一个法院移送）："
                   "原执行法院不明，其义务无法确定（移送前提出的异议暂由 court 所写法院审查）。请在决定中加 from，或将 court 写为原执行法院。")
    return out


def _collect_conclusions(answer: Answer, shown: dict[str, list[clingo.Symbol]]) -> None:
    """`holds(M,A,Act,O,T)` is the strongest modality per family (rules/core/modalities.lp)."""
    derived = _modal_derivations(answer)
    deadlines: dict[tuple, date] = {}
    for atom in shown.get("deadline_governs", ()):      # the earliest, chosen by rules/core/modalities.lp
        a, act, o, t, day = atom.arguments
        deadlines[(a, act.name, o, t)] = from_day(day.number)
    by_key: dict[tuple, list[Conclusion]] = {}
    for atom in shown.get("holds", ()):
        m, a, act, o, t = atom.arguments
        c = Conclusion(m.name, a, act.name, o, t, deadlines.get((a, act.name, o, t)))
        # The strongest modality's rules come first (`rule` in the JSON answer); weaker derivations
        # of the same act in the same family support it and are cited too (a 一般应当 of art. 3
        # rests on the 可以 of art. 4).
        c.rules = sorted(derived.get(c.atom, []))
        family = POSITIVE if c.modality in POSITIVE else NEGATIVE
        for weaker in family[family.index(c.modality) + 1:]:
            atom = clingo.Function(weaker, c.atom.arguments)
            c.supporting += [label for label in sorted(derived.get(atom, [])) if label not in c.rules]
        c.sources = _sources(answer.rulebase, c.rules + c.supporting)
        answer.conclusions.append(c)
        by_key.setdefault(c.key, []).append(c)
    for atom in shown.get("conflict", ()):
        if len(atom.arguments) == 4:
            pair = by_key.get(tuple([atom.arguments[0], atom.arguments[1].name, *atom.arguments[2:]]), [])
            positive = [c for c in pair if c.modality in ("must", "should", "may")]
            negative = [c for c in pair if c.modality in ("must_not", "should_not")]
            if positive and negative:
                answer.conflicts.append((positive[0], negative[0]))
    holders = {}
    for name, kind in (("ordinary_holder", "ordinary"), ("also_held", "also")):
        for atom in shown.get(name, ()):
            m, a, act, o, t = atom.arguments
            holders[(m.name, a, act.name, o, t)] = kind
    conditions = {a.arguments[0].name: a.arguments[1].name for a in shown.get("conditional_on", ())}
    for atom in shown.get("attaches_to", ()):
        answer.attaches_to.setdefault(atom.arguments[0].name, set()).add(atom.arguments[1].name)
    ranks = {tuple(a.arguments[:4]): a.arguments[4].number for a in shown.get("rank", ())}
    factors = _factor_sources(answer)
    for c in answer.conclusions:
        c.holder = holders.get((c.modality, *c.key))
        c.condition = conditions.get(c.action)
        key = (c.actor, clingo.Function(c.action), c.object, c.target)
        if key in ranks and c.modality in POSITIVE:
            c.rank, c.factors = ranks[key], sorted(factors.get(key, {}).items())
    answer.conclusions.sort(key=sort_key)


def _modal_derivations(answer: Answer) -> dict[clingo.Symbol, list[str]]:
    out: dict[clingo.Symbol, list[str]] = {}
    rules = answer.rulebase.rules
    for label, head in answer.derived:
        if rules[label].head_signature[0] in MODAL and label not in out.setdefault(head, []):
            out[head].append(label)
    return out


def _sources(rules: rb.RuleBase, labels: list[str]) -> list[str]:
    seen: list[str] = []
    for label in labels:
        for source in rules.rules[label].sources:
            if source not in seen:
                seen.append(source)
    return sorted(seen, key=_source_order)


def _source_order(source: str) -> tuple:
    import re
    order = ["指导意见", "民事诉讼法", "执行程序解释", "执行工作若干规定", "民诉法解释", "民法典"]
    head = next((i for i, p in enumerate(order) if source.startswith(p)), len(order))
    numbers = [int(n) for n in re.findall(r"\d+", source)]
    return (head, numbers)


_MODAL_ORDER = {m: i for i, m in enumerate(MODAL)}


def sort_key(c: Conclusion) -> tuple:
    return (str(c.actor), str(c.object), _MODAL_ORDER[c.modality], c.action, str(c.target))

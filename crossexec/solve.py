"""Ground and solve one scenario against the rule base; collect conclusions with their sources.

Which modality wins, what counts as a conflict and what is shown are decided in
rules/core/modalities.lp; this module only reads the answer set."""
from __future__ import annotations

import gc
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

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
    # clingo's text of actor, object and target (str of each symbol): how conclusions sort and how
    # render indexes them, without crossing into clingo's C library per conclusion
    terms: tuple[str, str, str] | None = field(default=None, repr=False, compare=False)

    def texts(self) -> tuple[str, str, str]:
        if self.terms is None:
            self.terms = (str(self.actor), str(self.object), str(self.target))
        return self.terms

    @property
    def atom(self) -> clingo.Symbol:
        return clingo.Function(self.modality, [self.actor, clingo.Function(self.action), self.object, self.target])

    @property
    def key(self) -> tuple:
        return (self.actor, self.action, self.object, self.target)


class ShownAtoms(list):
    """The shown atoms of an answer without proofs: read in order by the few who read them (the
    drafts, a ranking's explanation), searched more rarely; the set is built on the first search,
    not for every answer (hashing a symbol is a call into clingo's C library: 10,000 cases show
    900,000 atoms)."""
    _set: set | None = None

    def __contains__(self, atom) -> bool:
        if self._set is None:
            self._set = set(self)
        return atom in self._set


@dataclass
class Answer:
    scenario: Scenario
    encoding: Encoding
    context: LegalTimeContext
    rulebase: rb.RuleBase
    atoms: "set[clingo.Symbol] | ShownAtoms"       # shown atoms, or all atoms when explaining
    apps: list[tuple[str, clingo.Symbol]]          # (label, variable tuple) of rule instances that fired
                                                   # (explain=True only: every atom is kept)
    derived: list[tuple[str, str]] = field(default_factory=list)   # (label, ground head as clingo prints it)
                                                   # of the rules concluding a modality, a void step or a factor
    conclusions: list[Conclusion] = field(default_factory=list)
    conflicts: list[tuple[Conclusion, Conclusion]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    attaches_to: dict[str, set[str]] = field(default_factory=dict)   # duty → the acts it goes with
    indexes: dict[str, dict] = field(default_factory=dict)   # built once by render (cases, deadline_from)
    shown: dict[str, list[str]] = field(default_factory=dict)  # texts of the shown atoms by predicate
                                                   # (`_by` apart): render reads them, not `atoms`

    def call(self, name: str, args: list[clingo.Symbol]) -> clingo.Symbol:
        result = getattr(self.context, name)(*args)
        return result[0] if isinstance(result, list) else result


MODAL = ("must", "should", "may", "should_not", "must_not")
POSITIVE, NEGATIVE = ("must", "should", "may"), ("must_not", "should_not")   # strongest first
_WEAKER = {m: family[family.index(m) + 1:] for family in (POSITIVE, NEGATIVE) for m in family}


def solve(scenario: Scenario, rules: rb.RuleBase, explain: bool = False) -> Answer:
    """One answer set. `explain` keeps every atom (for why/whynot), not only the conclusions."""
    encoding = encode(scenario)
    context = LegalTimeContext()
    control = clingo.Control(["--warn=none"])
    rules.add_to(control, proofs=explain)      # without proofs: no `_app` record per rule instance
    control.add("base", [], encoding.program())
    control.ground([("base", [])], context=context)
    models: list[tuple[list[clingo.Symbol], list[clingo.Symbol]]] = []
    with control.solve(yield_=True) as handle:
        for model in handle:
            models.append((list(model.symbols(shown=True)), list(model.symbols(atoms=True)) if explain else []))
            if len(models) > 1:
                break
    if not models:
        raise InputError(scenario.file, "", "the facts contradict a constraint of the rule base (no answer set); "
                         "run `crossexec check` to locate it")
    shown, every = models[0]
    answer = Answer(scenario, encoding, context, rules, set(every) if explain else ShownAtoms(shown), [])
    answer.warnings = list(encoding.warnings) + list(context.calendar.warnings)
    if len(models) > 1:
        answer.warnings.append("规则库对本情形有多个回答集（存在非分层否定），仅显示第一个。")
    for atom in every:
        record = rb.app_record(atom)
        if record:
            answer.apps.append(record)
    with no_collection():
        grouped = answer.shown = _by_name(shown)
        answer.derived = [_by_record(text) for text in grouped.pop(rb.BY, ())]
        _collect_conclusions(answer, grouped)
        answer.warnings += state_warnings(answer, grouped)
    return answer


@contextmanager
def no_collection():
    """Reading an answer (or a ledger, in sweep) makes tens of thousands of objects and no garbage:
    the cyclic collector, run every 700 allocations, would only scan them again and again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# --- reading the shown atoms ---------------------------------------------------------------------
# Each shown atom crosses into clingo's C library once, for its text (`str`); everything after that
# works on that text. clingo prints a symbol one way only, so two terms are equal exactly when
# their texts are, and the text of an atom's arguments can serve as a key. Where an atom's
# structure is needed, the arguments are cut off the text at places a constant, a number or a
# string literal makes unambiguous (a string literal ends at its first unescaped quote), and a
# term is turned back into a clingo symbol by clingo's own parser, once per distinct text.

_STRING = r'"(?:[^"\\]|\\.)*"'
_SIMPLE = r"-?[A-Za-z0-9_']+"                       # a constant or a number
_BY = re.compile(rf'_by\(({_STRING}),(.*)\)\Z', re.S)
# actor, act, object, target: the arguments of holds/5 after the modality (and of ranks, deadlines)
_ACT_TERMS = re.compile(rf"({_STRING}|{_SIMPLE}),([a-z_'][A-Za-z0-9_']*),(.*),({_STRING}|{_SIMPLE})\Z", re.S)


def _by_name(shown: list[clingo.Symbol]) -> dict[str, list[str]]:
    """The texts of the shown atoms, by predicate name."""
    grouped: dict[str, list[str]] = {}
    for text in texts_of(shown):
        grouped.setdefault(text.partition("(")[0], []).append(text)
    return grouped


def texts_of(symbols: list[clingo.Symbol]) -> list[str]:
    """`[str(s) for s in symbols]`. `str` of a symbol asks clingo's C library twice (the size,
    then the text) and allocates two buffers each time; this asks the same two functions with one
    buffer kept for all, 40% faster on the 900,000 shown atoms of a 10,000-case answer. It uses
    clingo's internal binding (`clingo._internal`, stable across clingo 5); where that is missing or
    reads a probe differently (`_FAST_TEXT` is then None) it is `str` itself."""
    return [str(s) for s in symbols] if _FAST_TEXT is None else _texts(symbols, *_FAST_TEXT)


def _texts(symbols, ffi, size_of, text_of) -> list[str]:
    size, capacity = ffi.new("size_t*"), 256
    buffer, out, unpack = ffi.new("char[]", capacity), [], ffi.unpack
    for symbol in symbols:
        if not size_of(symbol._rep, size):
            out.append(str(symbol))                    # clingo's own error, raised by `str`
            continue
        n = size[0]
        if n > capacity:
            capacity = 2 * n
            buffer = ffi.new("char[]", capacity)
        if not text_of(symbol._rep, buffer, n):
            out.append(str(symbol))
            continue
        out.append(unpack(buffer, n - 1).decode())
    return out


def _fast_text() -> tuple | None:
    probe = [clingo.String('某"\\\n' * 100), clingo.Function("f", [clingo.Number(-3), clingo.Function("a")]),
             clingo.Tuple_([clingo.Infimum, clingo.Supremum])]
    try:
        from clingo._internal import _ffi, _lib
        fast = (_ffi, _lib.clingo_symbol_to_string_size, _lib.clingo_symbol_to_string)
        return fast if _texts(probe, *fast) == [str(s) for s in probe] else None
    except Exception:  # noqa: BLE001 — any change in clingo's internals: `str`
        return None


_FAST_TEXT = _fast_text()


def _by_record(text: str) -> tuple[str, str]:
    """`_by("label",Head)` → (label, the text of Head)."""
    end = text.index('"', 5)                          # after `_by("`
    if "\\" not in text[5:end]:                       # no escape: the label's literal ends here
        return text[5:end], text[end + 2:-1]
    label, head = _BY.match(text).groups()
    return _term(label).string, head


def _inner(text: str) -> str:
    """The arguments of an atom as text: `p(a,b)` → `a,b`."""
    return text[text.index("(") + 1:-1]


@lru_cache(maxsize=65536)
def _term(text: str) -> clingo.Symbol:
    """A term's text back into a clingo symbol (clingo's own parser: exact)."""
    return clingo.parse_term(text)


def _act_terms(body: str) -> tuple[str, str, str, str]:
    """`A,Act,O,T` (clingo's text) → the texts of actor, act, object and target."""
    found = _ACT_TERMS.match(body)
    if found:
        return found.groups()
    a, act, o, t = _term(f"f({body})").arguments     # a term of another shape: clingo's parser decides
    return str(a), act.name, str(o), str(t)


def _heads_cited(answer: Answer, head_name: str, key) -> dict:
    """key(ground head's text) → the sources of the rules that derived it, in the statute's order,
    for the fired rules whose head is `head_name` (their `_by` atoms are shown: rulebase.WARNING_HEADS)."""
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


def _factor_sources(answer: Answer) -> dict[str, dict[str, list[str]]]:
    """text of (actor, act, object, target) → {factor: the sources of the rules that name it}."""
    out: dict[str, dict[str, list[str]]] = {}
    for (target, factor), sources in _heads_cited(answer, "factor", lambda h: _inner(h).rpartition(",")[::2]).items():
        out.setdefault(target, {})[factor] = sources
    return out


def _void_step_key(head: str) -> tuple[int, str]:
    arguments = _term(head).arguments
    return arguments[0].number, arguments[2].name


def state_warnings(answer: Answer, shown: dict[str, list[str]]) -> list[str]:
    """Decisions the rules found void (rules/core/state.lp, void_decision/2), with the sources of
    the rules that void them, and cases whose history is recorded ambiguously."""
    scenario, out = answer.scenario, []
    cited = _heads_cited(answer, "void_step", _void_step_key)
    by_index = {d.index if d.index is not None else i: d for i, d in enumerate(scenario.decisions)}
    voided = [_term(text) for text in shown.get("void_decision", ())]
    for atom in sorted(voided, key=lambda a: (a.arguments[0].number, str(a.arguments[1]))):
        index, reason = atom.arguments[0].number, atom.arguments[1].name
        d = by_index[index]
        by = scenario.courts[d.by].name if d.by in scenario.courts else d.by
        sources = "、".join(sorted(cited.get((index, reason), []), key=_source_order))
        out.append(f"决定 {d.path}（{vocab.name(vocab.DECISION_KINDS, d.kind)}，{by}）不发生效力，未据以推出任何义务："
                   f"{vocab.name(vocab.VOID_REASONS, reason)}（{sources}）。")
    for text in shown.get("ambiguous_origin", ()):
        case = _term(text).arguments[0].string
        out.append(f"案件{case}的 court 指向受移送的法院，但决定未写明原执行法院（from），移送案卷材料的记录也不能确定它（没有记录，或不止一个法院移送）："
                   "原执行法院不明，其义务无法确定（移送前提出的异议暂由 court 所写法院审查）。请在决定中加 from，或将 court 写为原执行法院。")
    return out


def _collect_conclusions(answer: Answer, shown: dict[str, list[str]]) -> None:
    """`holds(M,A,Act,O,T)` is the strongest modality per family (rules/core/modalities.lp).
    Keys are texts: `A,Act,O,T` for an act, `M,A,Act,O,T` for a modality of it."""
    derived = _modal_derivations(answer)
    deadlines: dict[str, date] = {}
    for text in shown.get("deadline_governs", ()):      # the earliest, chosen by rules/core/modalities.lp
        body, _, day = _inner(text).rpartition(",")
        deadlines[body] = from_day(int(day))
    by_key: dict[str, list[Conclusion]] = {}
    sources: dict[tuple, list[str]] = {}                # labels → their sources: many conclusions share them
    bodies: list[str] = []                              # `A,Act,O,T` of each conclusion, in their order
    term, rulebase = _term, answer.rulebase
    for text in shown.get("holds", ()):
        modality, _, body = text[6:-1].partition(",")    # holds( M , A,Act,O,T )
        a, act, o, t = _act_terms(body)
        # The strongest modality's rules come first (`rule` in the JSON answer); weaker derivations
        # of the same act in the same family support it and are cited too (a 一般应当 of art. 3
        # rests on the 可以 of art. 4).
        rules = list(derived.get(f"{modality}({body})", ()))
        supporting = []
        for weaker in _WEAKER[modality]:
            labels = derived.get(f"{weaker}({body})")
            if labels:
                supporting += [label for label in labels if label not in rules]
        labels = (*rules, *supporting)
        cited = sources.get(labels)
        if cited is None:
            cited = sources[labels] = _sources(rulebase, labels)
        c = Conclusion(modality, term(a), act, term(o), term(t), deadlines.get(body), rules, supporting, list(cited),
                       terms=(a, o, t))
        answer.conclusions.append(c)
        by_key.setdefault(body, []).append(c)
        bodies.append(body)
    for text in shown.get("conflict", ()):
        atom = _term(text)
        if len(atom.arguments) == 4:
            pair = by_key.get(_inner(text), [])
            positive = [c for c in pair if c.modality in ("must", "should", "may")]
            negative = [c for c in pair if c.modality in ("must_not", "should_not")]
            if positive and negative:
                answer.conflicts.append((positive[0], negative[0]))
    holders = {}
    for name, kind in (("ordinary_holder", "ordinary"), ("also_held", "also")):
        for text in shown.get(name, ()):
            holders[_inner(text)] = kind
    conditions = {}
    for text in shown.get("conditional_on", ()):
        act, decision = _term(text).arguments
        conditions[act.name] = decision.name
    for text in shown.get("attaches_to", ()):
        duty, act = _term(text).arguments
        answer.attaches_to.setdefault(duty.name, set()).add(act.name)
    ranks = {}
    for text in shown.get("rank", ()):
        body, _, rank = _inner(text).rpartition(",")
        ranks[body] = int(rank)
    factors = _factor_sources(answer)
    for c, body in zip(answer.conclusions, bodies):
        c.holder = holders.get(f"{c.modality},{body}")
        c.condition = conditions.get(c.action)
        if body in ranks and c.modality in POSITIVE:
            c.rank, c.factors = ranks[body], sorted(factors.get(body, {}).items())
    answer.conclusions.sort(key=sort_key)


def _modal_derivations(answer: Answer) -> dict[str, list[str]]:
    """text of a modal head (`must(A,Act,O,T)`) → the labels of the rules that derived it, sorted."""
    out: dict[str, list[str]] = {}
    rules = answer.rulebase.rules
    for label, head in answer.derived:
        if rules[label].head_signature[0] in MODAL and label not in out.setdefault(head, []):
            out[head].append(label)
    for labels in out.values():
        labels.sort()
    return out


def _sources(rules: rb.RuleBase, labels) -> list[str]:
    seen: list[str] = []
    for label in labels:
        for source in rules.rules[label].sources:
            if source not in seen:
                seen.append(source)
    return sorted(seen, key=_source_order)


@lru_cache(maxsize=4096)
def _source_order(source: str) -> tuple:
    order = ["指导意见", "民事诉讼法", "执行程序解释", "执行工作若干规定", "民诉法解释", "民法典"]
    head = next((i for i, p in enumerate(order) if source.startswith(p)), len(order))
    numbers = [int(n) for n in re.findall(r"\d+", source)]
    return (head, numbers)


_MODAL_ORDER = {m: i for i, m in enumerate(MODAL)}


def sort_key(c: Conclusion) -> tuple:
    actor, obj, target = c.texts()
    return (actor, obj, _MODAL_ORDER[c.modality], c.action, target)

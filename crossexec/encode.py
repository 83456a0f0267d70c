"""Scenario model → ASP facts.

Every id and name from YAML becomes a clingo *string* (quoted as clingo prints a string symbol:
`\\`, `"` and newlines escaped, so nothing from a file is ever spliced in as code; a test holds
the quoting to clingo's own on arbitrary text); dates become day numbers (`legaltime.to_day`);
vocabulary constants (kinds, levels, reasons) are names the loader checked against
facts/vocab.yaml. The facts are written as text, the way clingo reads them, without making a
clingo symbol per argument: symbols are made only when a proof asks which YAML key states a
fact (`origin`). The input predicates are listed in `INPUTS`: `crossexec check` treats them as
defined."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from clingo import Symbol, parse_term

from . import vocab
from .legaltime import to_day
from .model import Scenario

# predicate/arity: meaning — the scenario vocabulary the rules may use
INPUTS = {
    "as_of/1": "the day the question is asked",
    "court/1": "a court", "level/2": "its level", "parent/2": "its direct superior",
    "court_kind/2": "kind of a special court",
    "party/1": "a party", "party_kind/2": "enterprise | individual | organization",
    "domicile/2": "court whose area holds the domicile", "insolvent/1": "资产不足以清偿全部债务或明显缺乏清偿能力",
    "case/1": "a case", "case_court/2": "the court the case names (original or current: rules/core/state.lp)", "filed/2": "立案日期 by that court",
    "applied/2": "收到申请执行书之日", "obligation/2": "money | conduct", "applicant/2": "an applicant",
    "case_debtor/2": "the debtor", "status/2": "open | concluded | terminated | final_no_assets",
    "circumstance/2": "a finding a court has made",
    "asset/2": "an asset of the case", "asset_location/3": "court whose area holds it",
    "asset_found/3": "day it became known", "asset_disposed/2": "对该财产已执行完结",
    "asset_main/2": "主要财产", "measure_expires/3": "查控措施期限届满日",
    "asset_custody/2": "款物在法院控制之下（执行款、扣押物）", "event_against/3": "the court whose act an objection is about",
    "excluded/4": "a recorded period (from, to, reason)", "exclusions/2": "all of them, as one tuple",
    "event/4": "(case, index, day, type)", "event_by/3": "who", "event_for/3": "the act approved",
    "decision/4": "(index, kind, by, day)", "decision_received/2": "day received",
    "decision_case/2": "its case", "decision_debtor/2": "its debtor", "decision_to/2": "court designated",
    "decision_deadline/2": "指定期间 of an urging order", "decision_from/2": "原执行法院",
    "dispute/1": "an execution dispute", "dispute_court/2": "a court in it", "dispute_kind/2": "its kind",
    "dispute_case/2": "a case in it", "negotiation/3": "(dispute, index, result)",
    "negotiation_between/3": "a court that negotiated", "negotiation_date/3": "its day",
}
PERSONS = set(vocab.OBJECTORS)     # `by:` values that are not courts


class Const(str):
    """A vocabulary constant (action ids, kinds): written as a name, never quoted."""


@dataclass
class Encoding:
    texts: list[str] = field(default_factory=list)     # each fact as clingo prints it
    paths: list[str] = field(default_factory=list)     # the YAML key path stating it
    warnings: list[str] = field(default_factory=list)
    _origin: dict | None = field(default=None, init=False, repr=False)

    def add(self, where: str, name: str, *args) -> None:
        self.texts.append(f"{name}({','.join(map(_text, args))})" if args else name)
        self.paths.append(where)

    def program(self) -> str:
        return "".join(f"{text}.\n" for text in self.texts)

    @property
    def facts(self) -> list[Symbol]:
        return [parse_term(text) for text in self.texts]

    @property
    def origin(self) -> dict[Symbol, str]:
        """fact → the YAML key path that states it (the first, for a fact stated twice)."""
        if self._origin is None:
            self._origin = {}
            for fact, where in zip(self.facts, self.paths):
                self._origin.setdefault(fact, where)
        return self._origin


def _text(value) -> str:
    if isinstance(value, Const):
        return _name(value)
    if isinstance(value, str):
        return quote(value)
    if isinstance(value, bool):
        raise TypeError("booleans are encoded as presence of a fact")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, date):
        return str(to_day(value))
    if isinstance(value, tuple):
        return f"({_text(value[0])},)" if len(value) == 1 else f"({','.join(map(_text, value))})"
    raise TypeError(f"cannot encode {type(value).__name__}")


def quote(text: str) -> str:
    """A string as clingo prints the string symbol: `str(clingo.String(text))`."""
    if "\\" in text or '"' in text or "\n" in text:
        text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{text}"'


@lru_cache(maxsize=1024)
def _name(value: str) -> str:
    if not _NAME.fullmatch(value):     # the loader checks every constant against the vocabulary
        raise ValueError(f"not a clingo constant: {value!r}")
    return value


_NAME = re.compile(r"_*[a-z][A-Za-z0-9_']*")


def const(name: str) -> Const:
    """A vocabulary constant (action ids, kinds); never user text."""
    return Const(name)


def who(value: str) -> str:
    return const(value) if value in PERSONS else value


def encode(scenario: Scenario) -> Encoding:
    enc = Encoding()
    as_of = scenario.as_of
    enc.add("as_of", "as_of", as_of)
    encode_courts(enc, [scenario.courts[c] for c in _courts_needed(scenario)])
    for p in scenario.parties.values():
        enc.add(p.path, "party", p.id)
        enc.add(f"{p.path}.kind", "party_kind", p.id, const(p.kind))
        if p.domicile:
            enc.add(f"{p.path}.domicile", "domicile", p.id, p.domicile)
        if p.insolvent:
            enc.add(f"{p.path}.insolvent", "insolvent", p.id)
    for case in scenario.cases:
        if case.applied > as_of:
            enc.warnings.append(f"案件{case.id}的申请执行日期{case.applied}晚于提问日{as_of}，未予考虑。")
            continue
        if case.filed is not None and case.filed > as_of and case.applied == case.filed:
            enc.warnings.append(f"案件{case.id}的立案日期{case.filed}晚于提问日{as_of}，未予考虑。")
            continue
        _encode_case(enc, case, as_of)
    for d in scenario.disputes:
        enc.add(d.path, "dispute", d.id)
        enc.add(f"{d.path}.kind", "dispute_kind", d.id, const(d.kind))
        for i, c in enumerate(d.courts):
            enc.add(f"{d.path}.courts[{i}]", "dispute_court", d.id, c)
        for i, k in enumerate(d.cases):
            enc.add(f"{d.path}.cases[{i}]", "dispute_case", d.id, k)
        for i, n in enumerate(d.negotiations):
            if n.date and n.date > as_of:
                continue
            enc.add(n.path, "negotiation", d.id, i, const(n.result))
            for j, c in enumerate(n.between):
                enc.add(f"{n.path}.between[{j}]", "negotiation_between", d.id, i, c)
            if n.date:
                enc.add(f"{n.path}.date", "negotiation_date", d.id, i, n.date)
    for position, d in enumerate(scenario.decisions):
        # the index the file gives it, also in a part of a ledger (sweep, why on a component), so that
        # a proof names decision 16 as the file does; the rules use indices only for their order
        i = d.index if d.index is not None else position
        if d.date > as_of:
            continue
        enc.add(d.path, "decision", i, const(d.kind), d.by, d.date)
        if d.received and d.received <= as_of:
            enc.add(f"{d.path}.received", "decision_received", i, d.received)
        for key, name, value in (("case", "decision_case", d.case), ("debtor", "decision_debtor", d.debtor),
                                 ("to", "decision_to", d.to), ("deadline", "decision_deadline", d.deadline),
                                 ("from", "decision_from", d.from_)):
            if value is not None:
                enc.add(f"{d.path}.{key}", name, i, value)
    return enc


def encode_courts(enc: Encoding, courts) -> None:
    """court/1, level/2, parent/2 (when the parent is among them) and court_kind/2."""
    ids = {c.id for c in courts}
    for c in courts:
        enc.add(c.path, "court", c.id)
        enc.add(c.path, "level", c.id, const(c.level))
        if c.parent in ids:
            enc.add(c.path, "parent", c.id, c.parent)
        if c.kind:
            enc.add(c.path, "court_kind", c.id, const(c.kind))


def _encode_case(enc: Encoding, case, as_of: date) -> None:
    k, p = case.id, case.path
    enc.add(p, "case", k)
    enc.add(f"{p}.court", "case_court", k, case.court)
    if case.filed is not None and case.filed <= as_of:    # else an application not yet filed (art. 14)
        enc.add(f"{p}.filed", "filed", k, case.filed)
    enc.add(f"{p}.applied" if case.applied != case.filed else f"{p}.filed", "applied", k, case.applied)
    enc.add(f"{p}.obligation", "obligation", k, const(case.obligation))
    enc.add(f"{p}.status", "status", k, const(case.status))
    if case.debtor:
        enc.add(f"{p}.debtor", "case_debtor", k, case.debtor)
    for i, a in enumerate(case.applicants):
        enc.add(f"{p}.applicants[{i}]", "applicant", k, a)
    for i, c in enumerate(case.circumstances):
        enc.add(f"{p}.circumstances[{i}]", "circumstance", k, const(c))
    for a in case.assets:
        if a.found > as_of:
            continue
        enc.add(a.path, "asset", k, a.id)
        enc.add(f"{a.path}.found", "asset_found", k, a.id, a.found)
        if a.location:
            enc.add(f"{a.path}.location", "asset_location", k, a.id, a.location)
        if a.disposed:
            enc.add(f"{a.path}.disposed", "asset_disposed", k, a.id)
        if a.main:
            enc.add(f"{a.path}.main", "asset_main", k, a.id)
        if a.measure_expires:
            enc.add(f"{a.path}.measure_expires", "measure_expires", k, a.id, a.measure_expires)
        if a.custody:
            enc.add(f"{a.path}.custody", "asset_custody", k, a.id)
    spans = []
    for x in case.excluded_periods:
        if x.start > as_of:
            continue
        enc.add(x.path, "excluded", k, x.start, x.end, const(x.reason))
        spans.append((x.start, x.end, const(x.reason)))
    enc.add(f"{p}.excluded_periods", "exclusions", k, tuple(spans))
    for i, e in enumerate(case.events):
        if e.date > as_of:
            continue
        enc.add(e.path, "event", k, i, e.date, const(e.type))
        if e.by:
            enc.add(f"{e.path}.by", "event_by", k, i, who(e.by))
        if e.for_:
            enc.add(f"{e.path}.for", "event_for", k, i, const(e.for_))
        if e.against:
            enc.add(f"{e.path}.against", "event_against", k, i, e.against)


def _courts_needed(scenario: Scenario) -> list[str]:
    """All courts of an inline list; of the national tree only the courts the scenario names and
    their superiors (grounding 3,000 courts to answer about two would be waste)."""
    if not scenario.national:
        return list(scenario.courts)
    named: set[str] = set()
    for case in scenario.cases:
        named.add(case.court)
        named.update(a.location for a in case.assets if a.location)
        named.update(e.by for e in case.events if e.by and e.by not in PERSONS)
        named.update(e.against for e in case.events if e.against)
    for p in scenario.parties.values():
        named.add(p.domicile) if p.domicile else None
    for d in scenario.decisions:
        named.update(c for c in (d.by, d.to, d.from_) if c)
    for d in scenario.disputes:
        named.update(d.courts)
        for n in d.negotiations:
            named.update(n.between)
    needed: list[str] = []
    for court in sorted(named):
        while court is not None and court not in needed:
            needed.append(court)
            court = scenario.courts[court].parent
    return needed

"""The `expect:` section of a scenario (tests/scenarios/README.md): parse it strictly, and match
it against an Answer.

Parsing is called by the loader, so a bad expectation is an input error (exit 2) naming its key
path, e.g. ``expect.present[2].action``. Matching is plain comparison: every legal conclusion
comes from the rules; this module only checks what the expert wrote against what they derived."""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date

import clingo

from . import vocab
from .courts import CourtIndex
from .errors import InputError, echo
from .model import Scenario
from .rulebase import SOURCE as CITATION   # the titles a rule may cite are the titles a test may name

# "at least": a stronger modality of the same family satisfies a weaker expectation
STRENGTH = {"must": (1, 3), "should": (1, 2), "may": (1, 1), "must_not": (-1, 2), "should_not": (-1, 1)}
ITEM_KEYS = ("modality", "actor", "action", "case", "debtor", "dispute", "area", "target", "deadline",
             "sources", "rests_on", "rank", "holder")
OBJECT_KEYS = ("case", "debtor", "dispute", "area")   # area: a high court's area (art. 27)
PARTY_ACTORS = tuple(vocab.ACTORS)           # applicant, debtor
NONE = "none"                                # target: none = a conclusion with no target court
# holder: how the answer presents a power several superiors hold (rules/core/holders.lp)
HOLDERS = {"ordinary": "the lowest of them, which ordinarily exercises it",
           "also": "a court above the ordinary holder, which holds it too",
           "sole": "no other court of the line holds the same conclusion"}


@dataclass
class Expectation:
    kind: str                        # present | absent
    path: str                        # expect.present[0]
    modality: str | None
    actor: str                       # court id, or applicant | debtor
    action: str
    object: tuple[str, str]          # ("case", "c1") | ("debtor", "某公司") | ("dispute", "d1")
    target: str | None = None        # None = any; NONE = no target; else a court id
    deadline: date | None = None
    sources: list[str] = field(default_factory=list)
    rests_on: list[str] = field(default_factory=list)
    rank: int | None = None          # None = any; else the target's rank among the candidates (rules/core/ranking.lp)
    holder: str | None = None        # None = any; else a key of HOLDERS


@dataclass
class Expectations:
    present: list[Expectation] = field(default_factory=list)
    absent: list[Expectation] = field(default_factory=list)

    @property
    def all(self) -> list[Expectation]:
        return self.present + self.absent


def parse_expect(scenario: Scenario) -> Expectations | None:
    """The scenario's `expect:` section, validated; None when it has none."""
    if scenario.expect is None:
        return None
    return _Reader(scenario).read(scenario.expect)


class _Reader:
    def __init__(self, scenario: Scenario):
        self.scenario = scenario
        self.index = CourtIndex(scenario.courts)

    def fail(self, where: str, expected: str):
        lines = self.scenario.lines
        line = lines.get(where) or lines.get(where.rsplit(".", 1)[0]) or lines.get("expect")
        raise InputError(self.scenario.file, where, expected, line)

    def read(self, raw) -> Expectations:
        if self.scenario.lines.get("as_of") is None:
            self.fail("as_of", "a scenario with `expect:` must fix `as_of`, so that the test does not "
                               "change with the day it is run")
        if not isinstance(raw, dict) or not raw:
            self.fail("expect", "expected a mapping with `present:` and/or `absent:` lists")
        for key in raw:
            if key not in ("present", "absent"):
                self.fail(f"expect.{key}", f"unknown key {echo(key)}; expected present or absent")
        out = Expectations()
        for kind in ("present", "absent"):
            items = raw.get(kind)
            if items is None:
                continue
            if not isinstance(items, list):
                self.fail(f"expect.{kind}", "expected a list of expected conclusions")
            for i, item in enumerate(items):
                getattr(out, kind).append(self.item(item, kind, f"expect.{kind}[{i}]"))
        if not out.all:
            self.fail("expect", "expected at least one conclusion under `present:` or `absent:`")
        return out

    def item(self, m, kind: str, where: str) -> Expectation:
        if not isinstance(m, dict):
            self.fail(where, "expected a mapping such as {modality: may, actor: 某法院, action: elevate, case: c1}")
        for key in m:
            if key not in ITEM_KEYS:
                self.fail(f"{where}.{key}", f"unknown key {echo(key)}; expected one of: {', '.join(ITEM_KEYS)}")
        modality = m.get("modality")
        if modality is None and kind == "present":
            self.fail(f"{where}.modality", f"required in `present`; expected one of {', '.join(STRENGTH)}")
        if modality is not None and (not isinstance(modality, str) or modality not in STRENGTH):
            self.fail(f"{where}.modality", f"expected one of {', '.join(STRENGTH)}, got {echo(modality)}")
        for key in ("actor", "action"):
            if m.get(key) is None:
                self.fail(f"{where}.{key}", "this key is required")
        action = m["action"]
        if not isinstance(action, str) or action not in vocab.ACTIONS:
            close = difflib.get_close_matches(action, list(vocab.ACTIONS), n=3) if isinstance(action, str) else []
            hint = f"did you mean {' or '.join(close)}?" if close else f"e.g. {', '.join(list(vocab.ACTIONS)[:6])} …"
            self.fail(f"{where}.action", f"unknown action id {echo(action)}; expected an action id of facts/vocab.yaml ({hint})")
        return Expectation(kind, where, modality, self.actor(m["actor"], f"{where}.actor"), action,
                           self.object(m, where),
                           None if "target" not in m else self.target(m["target"], f"{where}.target"),
                           self.date(m.get("deadline"), f"{where}.deadline"),
                           self.citations(m.get("sources"), f"{where}.sources"),
                           self.citations(m.get("rests_on"), f"{where}.rests_on"),
                           self.rank(m.get("rank"), f"{where}.rank"), self.holder(m.get("holder"), f"{where}.holder"))

    def court(self, value, where: str) -> str:
        if not isinstance(value, str) or not value.strip():
            self.fail(where, f"expected a court id or name, got {echo(value)}")
        court_id, problem = self.index.resolve(value)
        if problem:
            self.fail(where, problem)
        return court_id

    def actor(self, value, where: str) -> str:
        return value if isinstance(value, str) and value in PARTY_ACTORS else self.court(value, where)

    def target(self, value, where: str) -> str:
        return NONE if value == NONE or value is None else self.court(value, where)

    def object(self, m: dict, where: str) -> tuple[str, str]:
        given = [k for k in OBJECT_KEYS if k in m]
        if len(given) != 1:
            self.fail(f"{where}.case" if not given else f"{where}.{given[1]}",
                      f"expected exactly one of case | debtor | dispute | area, got {len(given)}")
        kind = given[0]
        value = m[kind]
        if kind == "area":
            return kind, self.court(value, f"{where}.area")
        known = {"case": [k.id for k in self.scenario.cases],
                 "dispute": [d.id for d in self.scenario.disputes],
                 "debtor": sorted(set(self.scenario.parties) | {k.debtor for k in self.scenario.cases if k.debtor})}[kind]
        if not isinstance(value, (str, int)) or isinstance(value, bool) or str(value) not in known:
            self.fail(f"{where}.{kind}", f"unknown {kind} {echo(value)}; expected one of: {', '.join(known) or '(none in this scenario)'}")
        return kind, str(value)

    def date(self, value, where: str) -> date | None:
        if value is None:
            return None
        from .load import parse_date
        return parse_date(value, where, self.fail)

    def rank(self, value, where: str) -> int | None:
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            self.fail(where, f"expected the target's rank among the candidate courts, a whole number from 1, got {echo(value)}")
        return value

    def holder(self, value, where: str) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str) or value not in HOLDERS:
            self.fail(where, f"expected one of {', '.join(HOLDERS)}, got {echo(value)}")
        return value

    def citations(self, value, where: str) -> list[str]:
        if value is None:
            return []
        if not isinstance(value, list) or not value:
            self.fail(where, "expected a non-empty list of citations such as [指导意见第6条]")
        for i, source in enumerate(value):
            if not isinstance(source, str) or not CITATION.match(source.strip()):
                self.fail(f"{where}[{i}]", f"expected a citation such as 指导意见第6条 or 民事诉讼法第237条, got {echo(source)}")
        return [s.strip() for s in value]


# -- matching -------------------------------------------------------------------------------------

def at_least(actual: str, expected: str | None) -> bool:
    """must ⊒ should ⊒ may; must_not ⊒ should_not. No expected modality: anything."""
    if expected is None:
        return True
    (fa, sa), (fe, se) = STRENGTH[actual], STRENGTH[expected]
    return fa == fe and sa >= se


def cites(citations, wanted: str) -> bool:
    """Some citation is `wanted` or a part of it: 指导意见第6条 matches 指导意见第6条第1款, not 第60条."""
    return any(c == wanted or c.startswith(wanted + "第") for c in citations)


def actor_id(symbol: clingo.Symbol) -> str:
    return symbol.string if symbol.type == clingo.SymbolType.String else symbol.name


def target_id(symbol: clingo.Symbol) -> str:
    return symbol.string if symbol.type == clingo.SymbolType.String else NONE


def object_id(symbol: clingo.Symbol) -> tuple[str, str]:
    return symbol.name, symbol.arguments[0].string


def holder_of(c) -> str:
    """ordinary | also | sole, as the answer presents the conclusion (solve.Conclusion.holder)."""
    return c.holder or "sole"


def same_act(e: Expectation, c) -> bool:
    """Same actor, action and object: the conclusions a failing expectation is compared with."""
    return actor_id(c.actor) == e.actor and c.action == e.action and object_id(c.object) == e.object


def matches(e: Expectation, c, proofs) -> bool:
    """Does conclusion `c` satisfy `e`? `proofs.sources(c)` gives every source its proof cites."""
    if not same_act(e, c) or not at_least(c.modality, e.modality):
        return False
    if e.target is not None and target_id(c.target) != e.target:
        return False
    if e.deadline is not None and c.deadline != e.deadline:
        return False
    if not all(cites(c.sources, s) for s in e.sources):
        return False
    if e.rank is not None and c.rank != e.rank:
        return False
    if e.holder is not None and holder_of(c) != e.holder:
        return False
    return not e.rests_on or all(cites(proofs.sources(c), s) for s in e.rests_on)


def check(expectations: Expectations, answer, proofs) -> list[tuple[Expectation, list]]:
    """The expectations that fail, each with the conclusions that matter: for `present`, the
    conclusions of the same act (none matched); for `absent`, the conclusions that matched."""
    failures = []
    for e in expectations.present:
        if not any(matches(e, c, proofs) for c in answer.conclusions):
            failures.append((e, [c for c in answer.conclusions if same_act(e, c)]))
    for e in expectations.absent:
        hits = [c for c in answer.conclusions if matches(e, c, proofs)]
        if hits:
            failures.append((e, hits))
    return failures


# -- proofs: which rule instances a conclusion rests on ----------------------------------------------

class Proofs:
    """The rule applications behind each conclusion of one answer — the `app` nodes of
    crossexec.explain's proof graph — computed once per conclusion."""

    def __init__(self, answer):
        self.answer = answer
        self._labels: dict = {}

    def rules(self, c) -> list[str]:
        """Labels of every rule instance in the conclusion's proof (and its deadline's)."""
        if c.atom not in self._labels:
            from .explain import proof_graph
            graph = proof_graph(self.answer, c)
            labels = [d["label"] for _, d in graph.nodes(data=True) if d.get("kind") == "app"]
            self._labels[c.atom] = list(dict.fromkeys(labels))
        return self._labels[c.atom]

    def sources(self, c) -> list[str]:
        seen: list[str] = []
        for label in self.rules(c):
            for source in self.answer.rulebase.rules[label].sources:
                if source not in seen:
                    seen.append(source)
        return seen

"""Load and validate a scenario file (docs/scenario-format.md). The keys each section accepts and
requires come from crossexec/scenario_format.py, the values from facts/vocab.yaml.

Validation is strict and kind: every problem raises one `InputError` naming the file, the key path
(``cases[2].assets[0].found``), its line, and what was expected. Nothing is defaulted silently
except the defaults the contract itself states (``applied`` = ``filed``, ``status`` = open)."""
from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable

import yaml

from . import vocab
from .courts import CourtIndex
from .errors import InputError, echo
from .files import MAX_BYTES, read_text  # noqa: F401 — MAX_BYTES is one of the loader's limits
from .scenario_format import keys
from .model import (Asset, Case, Court, Decision, Dispute, Event, Exclusion, Negotiation, Party,
                    Scenario)

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
PERSON_ACTORS = vocab.OBJECTORS          # who may raise an objection; other `by:` values are courts

# Limits (README, "Exit codes"). A real scenario is far below each of them: 1,000 cases take about
# 0.5 MB and nest 6 deep. Beyond them a file is refused, never read until memory runs out.
MAX_DEPTH = 32                           # nesting of mappings and lists
MAX_NODES = 1_000_000                    # values in all
MAX_COURT_DEPTH = 16                     # courts above a court (China has four levels, plus special courts)
# Dates the calendar code handles with room for any period it computes (a year, plus excluded periods).
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)
# The tags a plain YAML value may carry; others (!!python/…, !custom, !!binary, !!set) are refused.
PLAIN_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "timestamp",
                                                  "seq", "map")}


def load_scenario(path: str | Path, as_of: date | None = None, max_bytes: int = MAX_BYTES,
                  max_nodes: int = MAX_NODES, lines: bool = True) -> Scenario:
    """Read `path` (YAML, or a ledger as .jsonl, .csv or .xlsx: crossexec/ledger.py) into a
    `Scenario`; `as_of` (from --as-of) overrides the file's own. `sweep` reads
    a whole ledger and passes larger limits (crossexec/sweep.py, LEDGER_BYTES and LEDGER_NODES).
    With `lines=False` (no proofs will cite a fact's line) a YAML file is read by the fast reader
    when it vouches for the file (crossexec/fastyaml.py); a message about bad input still names
    the line, from the exact reader."""
    path = Path(path)
    from .ledger import is_ledger_table, read_ledger      # a ledger as JSON Lines, CSV or XLSX
    if is_ledger_table(path):
        return read_ledger(path, as_of, max_bytes, max_nodes)
    return _ScenarioReader(str(path), max_nodes).read(read_text(path, max_bytes), as_of, lines)


def load_scenario_text(text: str, file: str = "<request>", as_of: date | None = None) -> Scenario:
    """A scenario given as text, not as a file (`crossexec serve`): `file` names it in messages
    (key path and line as for a file); the size limit is the caller's (the HTTP body limit)."""
    return _ScenarioReader(file).read(text, as_of)


def parse_date(value: Any, where: str, fail: Callable[[str, str], None]) -> date:
    """A date written bare (2024-03-01) or quoted ("2024-03-01"); 2024-02-30 is refused."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return in_range(value, where, fail)
    if isinstance(value, str) and _DATE.match(value.strip()):
        try:
            day = date.fromisoformat(value.strip())
        except ValueError:
            fail(where, f"expected a real calendar date, got {echo(value)} (no such day)")
        return in_range(day, where, fail)
    fail(where, f"expected a date written YYYY-MM-DD, got {echo(value)}")
    raise AssertionError  # fail() always raises


def in_range(day: date, where: str, fail: Callable[[str, str], None]) -> date:
    """Dates outside FIRST_DAY..LAST_DAY are refused: period arithmetic near the calendar's ends
    would overflow, and no execution case lies there."""
    if not FIRST_DAY <= day <= LAST_DAY:
        fail(where, f"expected a date from {FIRST_DAY} to {LAST_DAY}, got {day}")
    return day


class _Plain:
    """YAML → plain Python values, recording the line of every key path, refusing duplicate keys,
    YAML features a scenario does not need (merge keys, custom tags) and control characters in
    any text. Each node is converted once: an alias (which PyYAML writes for a value used twice)
    shares the value converted at its anchor, so an alias bomb costs no more than its text, and an
    alias inside its own anchor is refused."""

    def __init__(self, file: str, max_nodes: int = MAX_NODES):
        self.file, self.lines, self.max_nodes = file, {}, max_nodes
        self._constructor = yaml.constructor.SafeConstructor()
        self._done: dict[int, Any] = {}      # id(node) → its value, for every node converted
        self._open: set[int] = set()         # nodes being converted (an alias to one is a cycle)
        self._depth = 0                      # mappings and lists around the node being converted

    def fail(self, node: yaml.Node, path: str, expected: str):
        raise InputError(self.file, path, expected, node.start_mark.line + 1)

    def convert(self, node: yaml.Node, path: str) -> Any:
        self.lines[path] = node.start_mark.line + 1
        if id(node) in self._done:       # compose() shares the node of an anchor with its aliases
            return self._done[id(node)]
        if id(node) in self._open:
            self.fail(node, path, "a YAML alias inside its own anchor (a value that contains itself)")
        if len(self._done) >= self.max_nodes:
            self.fail(node, path, f"more than {self.max_nodes:,} values; a scenario has fewer")
        self._open.add(id(node))
        self._depth += 1
        if self._depth > MAX_DEPTH:
            self.fail(node, path, f"nested more than {MAX_DEPTH} levels deep; a scenario nests about 6")
        value = self._convert(node, path)
        self._depth -= 1
        self._open.discard(id(node))
        self._done[id(node)] = value
        return value

    def _convert(self, node: yaml.Node, path: str) -> Any:
        if node.tag not in PLAIN_TAGS:
            what = ("YAML merge keys (<<) are not accepted; write the keys out"
                    if node.tag == "tag:yaml.org,2002:merge" else
                    f"the YAML tag {echo(node.tag)} is not accepted; write a plain value")
            self.fail(node, path, what)
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key = self.convert(key_node, path + ".?")
                if not isinstance(key, str):
                    key = str(key)
                sub = f"{path}.{key}" if path else key
                if key in out:
                    raise InputError(self.file, sub, "this key appears twice",
                                     key_node.start_mark.line + 1)
                out[key] = self.convert(value_node, sub)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, f"{path}[{i}]") for i, item in enumerate(node.value)]
        if node.tag == "tag:yaml.org,2002:timestamp":
            return node.value          # dates are parsed by parse_date, with a clear message
        try:
            value = self._constructor.construct_object(node, deep=True)
        except (ValueError, yaml.YAMLError) as e:
            self.fail(node, path, f"cannot read this value ({getattr(e, 'problem', None) or e})")
        if isinstance(value, str) and not value.isprintable():
            bad = next((ch for ch in value if not ch.isprintable() and not _visible_space(ch)), None)
            if bad is not None:
                self.fail(node, path, f"control character {echo(bad)} in text {echo(value, 80)}; "
                                      "expected printable text")
        return value


def _visible_space(ch: str) -> bool:
    """Spaces such as the ideographic space (U+3000) print as space, they are not controls."""
    return unicodedata.category(ch) == "Zs"


def yaml_error(e: yaml.YAMLError, text: str, file: str) -> InputError:
    """PyYAML's error as one line with its line number (a reader error has only a position)."""
    if isinstance(e, yaml.reader.ReaderError):
        line = text.count("\n", 0, e.position) + 1 if isinstance(e.position, int) else None
        character = f"#x{e.character:04x}" if isinstance(e.character, int) else repr(e.character)
        return InputError(file, "", f"not valid YAML: character {character} is not allowed ({e.reason})", line)
    mark = getattr(e, "problem_mark", None)
    return InputError(file, "", f"not valid YAML: {getattr(e, 'problem', None) or e}", mark.line + 1 if mark else None)


class _ScenarioReader:
    def __init__(self, file: str, max_nodes: int = MAX_NODES):
        self.file, self.max_nodes = file, max_nodes
        self.lines: dict[str, int] = {}

    # -- primitive checks --------------------------------------------------------------------
    def fail(self, where: str, expected: str):
        line = self.lines.get(where)
        if line is None:  # a missing key: point at its mapping
            parent = where.rsplit(".", 1)[0] if "." in where else ""
            line = self.lines.get(parent)
        raise InputError(self.file, where, expected, line)

    def mapping(self, value, where, allowed, required=()) -> dict:
        if not isinstance(value, dict):
            self.fail(where, f"expected a mapping with keys {', '.join(allowed)}, got {_kind(value)}")
        for key in value:
            if key not in allowed:
                self.fail(_sub(where, key), f"unknown key {echo(key)}; expected one of: {', '.join(allowed)}")
        for key in required:
            if value.get(key) is None:
                self.fail(_sub(where, key), "this key is required")
        return value

    def text(self, value, where, optional=False) -> str | None:
        if value is None and optional:
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            self.fail(where, f"expected text, got {_kind(value)}")
        text = str(value)
        if not text.strip():
            self.fail(where, "expected non-empty text")
        return text

    def date(self, value, where, optional=False) -> date | None:
        if value is None and optional:
            return None
        return parse_date(value, where, self.fail)

    def flag(self, value, where, default=False) -> bool:
        if value is None:
            return default
        if not isinstance(value, bool):
            self.fail(where, f"expected true or false, got {echo(value)}")
        return value

    def choice(self, value, where, allowed, default=None) -> str:
        if value is None and default is not None:
            return default
        if not isinstance(value, str) or value not in allowed:
            self.fail(where, f"expected one of {', '.join(allowed)}, got {echo(value)}")
        return value

    def items(self, value, where) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(where, f"expected a list, got {_kind(value)}")
        return value

    def court(self, value, where, optional=False) -> str | None:
        if value is None and optional:
            return None
        name = self.text(value, where)
        court_id, problem = self.index.resolve(name)
        if problem:
            self.fail(where, problem)
        return court_id

    def unique(self, seen: set, key: str, where: str, what: str):
        if key in seen:
            self.fail(where, f"duplicate {what} id {echo(key)}; ids must be unique")
        seen.add(key)

    def ordered(self, dates: list[tuple[date, str]], what: str):
        for (earlier, _), (later, where) in zip(dates, dates[1:]):
            if later < earlier:
                self.fail(where, f"{what} must be listed oldest first: {later} comes after {earlier}")

    # -- the scenario --------------------------------------------------------------------------
    def read(self, text: str, as_of: date | None, lines: bool = True) -> Scenario:
        if not lines:
            scenario = self.read_fast(text, as_of)
            if scenario is not None:
                return scenario
        try:
            node = yaml.compose(text, Loader=_Loader)
        except yaml.YAMLError as e:
            raise yaml_error(e, text, self.file) from None
        except RecursionError:        # the pure-Python parser (no libyaml) on thousands of brackets
            raise InputError(self.file, "", f"nested more than {MAX_DEPTH} levels deep; a scenario nests about 6") from None
        if node is None:
            raise InputError(self.file, "", "the file is empty; expected a scenario mapping")
        plain = _Plain(self.file, self.max_nodes)
        raw = plain.convert(node, "")
        return self.build(raw, plain.lines, as_of)

    def read_fast(self, text: str, as_of: date | None) -> Scenario | None:
        """The scenario by the fast reader, without lines; None when it does not vouch for the
        text or the text is bad input (then `read` reads it exactly, for the message's line). A
        file with expectations is always read exactly (their values are compared as written)."""
        from .fastyaml import read_plain
        raw = read_plain(text, MAX_DEPTH, self.max_nodes)
        if not isinstance(raw, dict) or "expect" in raw:
            return None
        try:
            return self.build(raw, {}, as_of)
        except InputError:
            return None

    def build(self, raw: Any, lines: dict[str, int], as_of: date | None) -> Scenario:
        """The scenario from plain values (mappings, lists, text, numbers) and the line of each key
        path — read from YAML here, from a JSON Lines or CSV ledger by crossexec/ledger.py."""
        self.lines = lines
        self.applied_written: set[str] = set()   # cases whose file gives `applied` (not defaulted)
        top = self.mapping(raw, "", *keys("scenario"))
        name = self.text(top.get("name") or Path(self.file).stem, "name")
        file_as_of = self.date(top.get("as_of"), "as_of", optional=True)
        courts, national = self.read_courts(top.get("courts"))
        self.index = CourtIndex(courts)
        scenario = Scenario(self.file, name, as_of or file_as_of or date.today(), courts,
                            national=national, lines=self.lines, expect=top.get("expect"))
        for i, item in enumerate(self.items(top.get("parties"), "parties")):
            party = self.read_party(item, f"parties[{i}]")
            if party.id in scenario.parties:
                self.fail(f"parties[{i}].id", f"duplicate party id {echo(party.id)}; ids must be unique")
            scenario.parties[party.id] = party
        seen: set[str] = set()
        for i, item in enumerate(self.items(top.get("cases"), "cases")):
            case = self.read_case(item, f"cases[{i}]")
            self.unique(seen, case.id, f"cases[{i}].id", "case")
            scenario.cases.append(case)
        seen = set()
        case_ids = {c.id for c in scenario.cases}      # once: a ledger has thousands of disputes
        for i, item in enumerate(self.items(top.get("disputes"), "disputes")):
            dispute = self.read_dispute(item, f"disputes[{i}]", case_ids)
            self.unique(seen, dispute.id, f"disputes[{i}].id", "dispute")
            scenario.disputes.append(dispute)
        scenario.decisions = [self.read_decision(item, f"decisions[{i}]", case_ids)
                              for i, item in enumerate(self.items(top.get("decisions"), "decisions"))]
        for i, d in enumerate(scenario.decisions):
            d.index = i
        self.ordered([(d.date, f"{d.path}.date") for d in scenario.decisions], "decisions")
        self.check_decision_dates(scenario)
        if scenario.expect is not None:   # a bad expectation is bad input too, named by key path
            from .expect import parse_expect
            parse_expect(scenario)
        return scenario

    def read_courts(self, value) -> tuple[dict[str, Court], bool]:
        if value == "national":
            from .national import load_national_courts
            return {c["id"]: Court(c["id"], c["name"], c["level"], c.get("parent"), c.get("kind"),
                                   c.get("area"), path="courts") for c in load_national_courts()}, True
        if not isinstance(value, list) or not value:
            self.fail("courts", "expected `national` or a non-empty list of courts")
        courts: dict[str, Court] = {}
        names: set[str] = set()
        for i, item in enumerate(value):
            where = f"courts[{i}]"
            m = self.mapping(item, where, *keys("court"))
            court = Court(self.text(m["id"], f"{where}.id"), self.text(m["name"], f"{where}.name"),
                          self.choice(m["level"], f"{where}.level", tuple(vocab.LEVELS)),
                          self.text(m.get("parent"), f"{where}.parent", optional=True),
                          self.choice(m.get("kind"), f"{where}.kind", vocab.COURT_KINDS)
                          if m.get("kind") is not None else None,
                          self.text(m.get("area"), f"{where}.area", optional=True), path=where)
            self.unique(set(courts), court.id, f"{where}.id", "court")
            if court.name in names:
                self.fail(f"{where}.name", f"duplicate court name {echo(court.name)}")
            names.add(court.name)
            courts[court.id] = court
        by_name = {c.name: c.id for c in courts.values()}
        for court in courts.values():   # a parent may be given by id or exact name
            if court.parent is not None:
                parent = court.parent if court.parent in courts else by_name.get(court.parent)
                if parent is None:
                    self.fail(f"{court.path}.parent", f"unknown court {echo(court.parent)}; expected the id "
                              "or name of a court in this list")
                court.parent = parent
        self.check_tree(courts)
        self.check_levels(courts)
        return courts, False

    def check_decision_dates(self, scenario: Scenario):
        """A decision on a case cannot come before the case existed: before its application reached
        the court the case names — unless the case names the court that decision (or a later one)
        moved it to, whose own filing naturally comes after the move (README, "Recording a case's
        history").  Such a date cannot be a real history, so it is refused, not warned about."""
        cases = {c.id: c for c in scenario.cases}
        for i, d in enumerate(scenario.decisions):
            case = cases.get(d.case) if d.case is not None else None
            if case is None or d.date >= case.applied:
                continue
            if case.path in self.applied_written:   # the application itself: nothing before it
                self.fail(f"{d.path}.date", f"a decision about case {echo(case.id)} cannot come before its "
                          f"application ({case.applied}), got {d.date}")
            receivers = {later.by if later.kind == "elevate" else later.to
                         for later in scenario.decisions[i:] if later.case == case.id}
            if case.court not in receivers:
                self.fail(f"{d.path}.date", f"a date on or after case {echo(case.id)}'s application ({case.applied}); "
                          f"a decision on {d.date} would come before the case existed at the court it names")

    def check_levels(self, courts: dict[str, Court]):
        """Each court sits under a court of a higher level (人民法院组织法第13条): a 中院 under another
        中院 would make one the other's superior, and its decisions would bind where the law gives it
        no power.  (The national list has one documented exception, the 伊犁 branch of the 新疆 high
        court; an inline list has none.)"""
        rank = {level: i for i, level in enumerate(vocab.LEVELS)}     # supreme, high, intermediate, basic
        for court in courts.values():
            if court.parent is not None and rank[courts[court.parent].level] >= rank[court.level]:
                parent = courts[court.parent]
                self.fail(f"{court.path}.parent", f"a court of a higher level than {court.level} "
                          f"(the parent {parent.name!r} is {parent.level})")

    def check_tree(self, courts: dict[str, Court]):
        """No cycle and at most MAX_COURT_DEPTH courts above any court, in one pass: each court's
        depth is computed once (walking up only to the first court already measured)."""
        depth: dict[str, int] = {}
        for court in courts.values():
            chain, node = [], court.id
            while node is not None and node not in depth:
                if node in chain:
                    cycle = chain[chain.index(node):] + [node]
                    names = " → ".join(courts[c].name for c in cycle)
                    self.fail(f"{courts[node].path}.parent", f"the court tree has a cycle: {names}")
                chain.append(node)
                if len(chain) > MAX_COURT_DEPTH + 1:
                    self.fail(f"{court.path}.parent", f"more than {MAX_COURT_DEPTH} courts above this court; "
                              "expected a court tree (supreme, high, intermediate, basic courts)")
                node = courts[node].parent
            above = -1 if node is None else depth[node]
            for c in reversed(chain):
                above += 1
                if above > MAX_COURT_DEPTH:
                    self.fail(f"{courts[c].path}.parent", f"more than {MAX_COURT_DEPTH} courts above this "
                              "court; expected a court tree (supreme, high, intermediate, basic courts)")
                depth[c] = above

    def read_party(self, item, where) -> Party:
        m = self.mapping(item, where, *keys("party"))
        return Party(self.text(m["id"], f"{where}.id"),
                     self.choice(m["kind"], f"{where}.kind", vocab.PARTY_KINDS),
                     self.court(m.get("domicile"), f"{where}.domicile", optional=True),
                     self.flag(m.get("insolvent"), f"{where}.insolvent"), path=where)

    def read_case(self, item, where) -> Case:
        m = self.mapping(item, where, *keys("case"))
        if m.get("filed") is None and m.get("applied") is None:
            self.fail(f"{where}.filed", "a case has a filing day (`filed`), or, for an application not yet "
                      "filed, the day it was received (`applied`)")
        filed = self.date(m.get("filed"), f"{where}.filed", optional=True)
        applied = self.date(m.get("applied"), f"{where}.applied", optional=True) or filed
        if m.get("applied") is not None:
            self.applied_written.add(where)
        if filed is not None and applied > filed:
            self.fail(f"{where}.applied", f"the application ({applied}) cannot come after the filing ({filed})")
        case = Case(self.text(m["id"], f"{where}.id"), self.court(m["court"], f"{where}.court"), filed,
                    applied, self.choice(m["obligation"], f"{where}.obligation", vocab.OBLIGATIONS),
                    self.text(m.get("debtor"), f"{where}.debtor", optional=True),
                    self.choice(m.get("status"), f"{where}.status", vocab.CASE_STATUSES, "open"),
                    self.text(m.get("number"), f"{where}.number", optional=True), path=where)
        case.cause = self.text(m.get("cause"), f"{where}.cause", optional=True)
        case.judgment = self.text(m.get("judgment"), f"{where}.judgment", optional=True)
        case.applicants = [self.text(a, f"{where}.applicants[{i}]")
                           for i, a in enumerate(self.items(m.get("applicants"), f"{where}.applicants"))]
        case.circumstances = [self.choice(c, f"{where}.circumstances[{i}]", tuple(vocab.CIRCUMSTANCES))
                              for i, c in enumerate(self.items(m.get("circumstances"), f"{where}.circumstances"))]
        seen: set[str] = set()
        for i, a in enumerate(self.items(m.get("assets"), f"{where}.assets")):
            asset = self.read_asset(a, f"{where}.assets[{i}]")
            self.unique(seen, asset.id, f"{where}.assets[{i}].id", "asset")
            case.assets.append(asset)
        for i, x in enumerate(self.items(m.get("excluded_periods"), f"{where}.excluded_periods")):
            w = f"{where}.excluded_periods[{i}]"
            x = self.mapping(x, w, *keys("excluded_period"))
            start, end = self.date(x["from"], f"{w}.from"), self.date(x["to"], f"{w}.to")
            if end < start:
                self.fail(f"{w}.to", f"the period must end on or after its start ({start}), got {end}")
            case.excluded_periods.append(Exclusion(start, end, self.choice(
                x["reason"], f"{w}.reason", tuple(vocab.EXCLUSION_REASONS)), path=w))
        case.events = [self.read_event(e, f"{where}.events[{i}]")
                       for i, e in enumerate(self.items(m.get("events"), f"{where}.events"))]
        self.ordered([(e.date, f"{e.path}.date") for e in case.events], "events")
        return case

    def read_asset(self, item, where) -> Asset:
        m = self.mapping(item, where, *keys("asset"))
        return Asset(self.text(m["id"], f"{where}.id"),
                     self.court(m.get("location"), f"{where}.location", optional=True),
                     self.date(m["found"], f"{where}.found"),
                     self.flag(m.get("disposed"), f"{where}.disposed"),
                     self.flag(m.get("main"), f"{where}.main"),
                     self.date(m.get("measure_expires"), f"{where}.measure_expires", optional=True),
                     self.flag(m.get("custody"), f"{where}.custody"), path=where)

    def read_event(self, item, where) -> Event:
        m = self.mapping(item, where, *keys("event"))
        kind = self.choice(m["type"], f"{where}.type", tuple(vocab.EVENT_TYPES))
        by = m.get("by")
        if by is not None:
            by = by if by in PERSON_ACTORS else self.court(by, f"{where}.by")
        if kind == "objection" and by not in PERSON_ACTORS:
            self.fail(f"{where}.by", f"an objection is raised by one of {', '.join(PERSON_ACTORS)}")
        act = m.get("for")
        if act is not None:
            act = self.choice(act, f"{where}.for", tuple(vocab.ACTIONS))
        against = self.court(m.get("against"), f"{where}.against", optional=True)
        if against is not None and kind != "objection":
            self.fail(f"{where}.against", "`against` names the court whose act an objection is about: objection events only")
        return Event(self.date(m["date"], f"{where}.date"), kind, by, act, against, path=where)

    def read_dispute(self, item, where, case_ids) -> Dispute:
        m = self.mapping(item, where, *keys("dispute"))
        courts = [self.court(c, f"{where}.courts[{i}]") for i, c in enumerate(self.items(m["courts"], f"{where}.courts"))]
        if len(set(courts)) < 2:
            self.fail(f"{where}.courts", "a dispute is between at least two different courts")
        dispute = Dispute(self.text(m["id"], f"{where}.id"), courts,
                          self.choice(m["kind"], f"{where}.kind", vocab.DISPUTE_KINDS), path=where)
        for i, c in enumerate(self.items(m.get("cases"), f"{where}.cases")):
            c = self.text(c, f"{where}.cases[{i}]")
            if c not in case_ids:
                self.fail(f"{where}.cases[{i}]", f"unknown case {echo(c)}; expected one of: {', '.join(sorted(case_ids))}")
            dispute.cases.append(c)
        for i, n in enumerate(self.items(m.get("negotiations"), f"{where}.negotiations")):
            w = f"{where}.negotiations[{i}]"
            n = self.mapping(n, w, *keys("negotiation"))
            between = [self.court(c, f"{w}.between[{j}]") for j, c in enumerate(self.items(n["between"], f"{w}.between"))]
            dispute.negotiations.append(Negotiation(
                between, self.choice(n["result"], f"{w}.result", vocab.NEGOTIATION_RESULTS),
                self.date(n.get("date"), f"{w}.date", optional=True), path=w))
        dated = [(n.date, f"{n.path}.date") for n in dispute.negotiations if n.date]
        self.ordered(dated, "negotiations")
        return dispute

    def read_decision(self, item, where, case_ids) -> Decision:
        m = self.mapping(item, where, *keys("decision"))
        d = Decision(self.choice(m["kind"], f"{where}.kind", tuple(vocab.DECISION_KINDS)),
                     self.court(m["by"], f"{where}.by"), self.date(m["date"], f"{where}.date"),
                     self.date(m.get("received"), f"{where}.received", optional=True),
                     self.text(m.get("case"), f"{where}.case", optional=True),
                     self.text(m.get("debtor"), f"{where}.debtor", optional=True),
                     self.court(m.get("to"), f"{where}.to", optional=True),
                     self.date(m.get("deadline"), f"{where}.deadline", optional=True),
                     self.court(m.get("from"), f"{where}.from", optional=True), path=where)
        if d.case is not None and d.case not in case_ids:
            self.fail(f"{where}.case", f"unknown case {echo(d.case)}; expected one of: {', '.join(sorted(case_ids)) or '(no cases)'}")
        if d.case is None and d.debtor is None:
            self.fail(f"{where}.case", "a decision names its object: `case` or `debtor`")
        if d.received is not None and d.received < d.date:
            self.fail(f"{where}.received", f"a decision cannot be received ({d.received}) before it is made ({d.date})")
        if d.kind == "instruct" and d.to is None:
            self.fail(f"{where}.to", "an instruction names the court instructed to execute (`to`)")
        return d


def _sub(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _kind(value) -> str:
    """What a value is, for a message; built only for the value's own type (a list made of
    aliases may stand for millions of items: it is never rendered whole)."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"text {echo(value)}"
    if value is None:
        return "nothing"
    return echo(value)

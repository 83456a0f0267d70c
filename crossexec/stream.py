"""A YAML ledger read in pieces, so that `sweep` holds the text and a small key per case instead of
every case's objects (about 8 KB a case; a million cases would not fit in 2 GB).

A scenario file lays its lists out as block sequences: `cases:` at the start of a line, then one
item per `- ` at the same indentation. `layout` finds the items of `parties`, `cases`, `disputes`
and `decisions` by that layout alone (positions and first lines, no parsing). `read_streamed`
then checks every item once, in chunks, with the loader's own checks (load._ScenarioReader), and
keeps:

- of each case, only its id, debtor, court and application day (`CaseKey`: what the components,
  the uniqueness of ids and the date checks of decisions need) and where its text is;
- the parties, disputes and decisions themselves (a ledger has far fewer of them than cases).

A batch's cases are read again from their text when the batch is solved (`StreamedScenario.select`),
in the worker that solves it. Whatever this reader does not recognize — another layout, a flow
list, a chunk the fast reader does not vouch for, bad input — makes it return None, and the
caller reads the file whole (crossexec/load.py), which also gives every message its line."""
from __future__ import annotations

import re
from array import array
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from .errors import InputError
from .fastyaml import read_plain
from .model import Case, Scenario

SECTIONS = ("parties", "cases", "disputes", "decisions")    # the order the loader reads them in
CHUNK_ITEMS = 2000                   # items read by one call of the fast reader
# A line at the start of the text's lines that is a top-level key: `cases:` (a block below) or
# `name: 台账` (a value on the line).
_TOP_KEY = re.compile(rb"([A-Za-z_][A-Za-z0-9_]*):(?:[ \t]+(?:#.*)?|[ \t]*)$|([A-Za-z_][A-Za-z0-9_]*):[ \t]+\S")


@dataclass
class Layout:
    head: str                        # the text without the items of SECTIONS (their keys kept, empty)
    items: dict[str, list[tuple[int, int]]]   # section → (start, end) of each item, in bytes of the file
    bodies: dict[str, tuple[int, int]]        # section → (start, end) of all its items


class CaseKey(NamedTuple):
    id: str
    debtor: str | None
    court: str
    applied: date
    path: str


def layout(data: bytes) -> Layout | None:
    """The items of the scenario's lists, or None if the file (its UTF-8 bytes: a ledger is kept
    as bytes, half the size of its text in memory) is not laid out as block sequences under
    top-level keys (then it is read whole)."""
    lines = list(re.finditer(rb"^[^ \t\n#][^\n]*", data, re.MULTILINE))   # not indented, not a comment
    if any(m.group().startswith((b"---", b"...")) for m in lines):
        return None                      # document markers: the exact reader takes one document only
    tops = [m for m in lines if not m.group().startswith(b"-")]              # items of a list at column 0
    head, items, bodies, done = [], {}, {}, 0
    for n, top in enumerate(tops):
        key = _TOP_KEY.match(top.group())
        if key is None:
            return None                  # `---`, `...`, a complex key: not this layout
        end = tops[n + 1].start() if n + 1 < len(tops) else len(data)
        section = (key.group(1) or b"").decode("ascii")
        if section not in SECTIONS:
            continue
        if section in items:
            return None                  # a key given twice: the exact reader says so
        body_start = top.end() + 1
        spans = _items(data, body_start, end)
        if spans is None:
            return None
        items[section] = spans
        bodies[section] = (min(body_start, end), end)
        head.append(data[done:body_start])
        done = end
    head.append(data[done:])
    return Layout(b"".join(head).decode("utf-8"), items, bodies)


def _items(data: bytes, start: int, end: int) -> list[tuple[int, int]] | None:
    """The items of the block sequence between `start` and `end`: each begins with `- ` at the
    indentation of the first one."""
    body = data[start:end]
    first = re.search(rb"^([ \t]*)([^\s#])", body, re.MULTILINE)     # comment lines skipped
    if first is None:
        return []
    if first.group(2) != b"-" or b"\t" in first.group(1):
        return None
    starts = [m.start() + start for m in re.finditer(rb"^" + first.group(1) + rb"-(?=[ \n])", body, re.MULTILINE)]
    return [(s, e) for s, e in zip(starts, starts[1:] + [end])]


class StreamedScenario(Scenario):
    """A scenario whose `cases` are `CaseKey`s; `select` reads the full cases of a batch."""

    text: bytes = b""                # the file, as UTF-8 bytes
    spans: list = None
    reader: object = None
    layout: Layout = None

    def select(self, indices: list[int]) -> list[Case]:
        """The cases at `indices`, read from their text (each was checked when the file was read:
        read_streamed vouched for every item, and a subset of them reads alike)."""
        if not indices:
            return []
        chunk = b"".join(self.text[s:e] for s, e in (self.spans[i] for i in indices)).decode("utf-8")
        from .load import MAX_DEPTH
        raw = read_plain(chunk, MAX_DEPTH, 10 ** 9)
        self.reader.lines = {}
        return [self.reader.read_case(item, f"cases[{i}]") for i, item in zip(indices, raw)]


def ledger_bytes(path: str) -> bytes | None:
    """The bytes of a YAML ledger (up to sweep.LEDGER_BYTES), or None for a JSON Lines, CSV or
    XLSX ledger, which is read by crossexec/ledger.py."""
    from pathlib import Path
    from .files import read_utf8
    from .ledger import is_ledger_table
    from .sweep import LEDGER_BYTES
    return None if is_ledger_table(Path(path)) else read_utf8(Path(path), LEDGER_BYTES)


def read_streamed(path: str, text: bytes, as_of: date | None) -> StreamedScenario | None:
    """The ledger with its cases as keys (module docstring), or None: read it whole."""
    from .load import MAX_DEPTH, _ScenarioReader
    lay = layout(text)
    if lay is None or "cases" not in lay.items or _has_alias(text, lay.items["cases"]):
        return None
    head = read_plain(lay.head, MAX_DEPTH, 10 ** 6)
    if not isinstance(head, dict) or "expect" in head:
        return None
    reader = _ScenarioReader(path)
    try:
        base = reader.build(head, {}, as_of)
        return _read_items(reader, base, text, lay)
    except (InputError, _NotVouched):
        return None


def _has_alias(text: bytes, spans: list[tuple[int, int]]) -> bool:
    """Whether a case may refer to an anchor (`*name`): a batch's cases are read without the
    others, so an alias to another case's value could not be resolved (a false alarm, a `*` in a
    text, only costs reading the file whole)."""
    return bool(spans) and re.search(rb"(?:^|[\s\[{,:-])\*", text[spans[0][0]:spans[-1][1]]) is not None


class _NotVouched(Exception):
    """A chunk the fast reader does not vouch for, or whose items it counts differently from the
    layout: the file is read whole."""


def _each(text: bytes, spans: list[tuple[int, int]]):
    """(index, plain value) of each item, read by the fast reader CHUNK_ITEMS at a time."""
    from .load import MAX_DEPTH
    for first in range(0, len(spans), CHUNK_ITEMS):
        part = spans[first:first + CHUNK_ITEMS]
        raw = read_plain(text[part[0][0]:part[-1][1]].decode("utf-8"), MAX_DEPTH, 10 ** 8)
        if not isinstance(raw, list) or len(raw) != len(part):
            raise _NotVouched
        yield from enumerate(raw, first)


def _read_items(reader, base: Scenario, text: bytes, lay: Layout) -> StreamedScenario | None:
    """Every item checked by the loader's own readers, in the loader's order (load.build)."""
    scenario = StreamedScenario(**_fields(base))
    scenario.text, scenario.spans, scenario.reader, scenario.layout = text, lay.items["cases"], reader, lay
    for i, item in _each(text, lay.items.get("parties", [])):
        party = reader.read_party(item, f"parties[{i}]")
        if party.id in scenario.parties:
            return None
        scenario.parties[party.id] = party
    keys, seen = [], set()
    for i, item in _each(text, lay.items["cases"]):
        case = reader.read_case(item, f"cases[{i}]")
        reader.unique(seen, case.id, f"cases[{i}].id", "case")
        keys.append(CaseKey(case.id, case.debtor, case.court, case.applied, case.path))
    scenario.cases = keys
    ids = {k.id for k in keys}
    seen = set()
    for i, item in _each(text, lay.items.get("disputes", [])):
        dispute = reader.read_dispute(item, f"disputes[{i}]", ids)
        reader.unique(seen, dispute.id, f"disputes[{i}].id", "dispute")
        scenario.disputes.append(dispute)
    scenario.decisions += [reader.read_decision(item, f"decisions[{i}]", ids)
                           for i, item in _each(text, lay.items.get("decisions", []))]
    for i, d in enumerate(scenario.decisions):
        d.index = i
    reader.ordered([(d.date, f"{d.path}.date") for d in scenario.decisions], "decisions")
    reader.check_decision_dates(scenario)
    return scenario


def sub_scenario(scenario: StreamedScenario, cases: list[int], decisions: list[int], disputes: list[int],
                 parties: list[str]) -> Scenario:
    """A batch as an ordinary scenario: its cases read from their text."""
    return Scenario(**{**_fields(scenario), "parties": {p: scenario.parties[p] for p in parties},
                       "cases": scenario.select(sorted(cases)),
                       "disputes": [scenario.disputes[i] for i in sorted(disputes)],
                       "decisions": [scenario.decisions[i] for i in sorted(decisions)], "lines": {}, "expect": None})


def _fields(scenario: Scenario) -> dict:
    """The fields of a scenario, to make another kind of scenario of them (a StreamedScenario of a
    Scenario, or back): dataclasses.replace would keep the kind."""
    return {f: getattr(scenario, f) for f in Scenario.__dataclass_fields__}


# --- one component of a ledger, read exactly (why / whynot) --------------------------------------

@dataclass
class Index:
    """What `why` needs to find a conclusion's component without reading every case: the ids of
    the file (for the query and its messages), the component of each object and the items of each
    component. Kept in a cache for a large file (`ledger_index`), in plain containers (a flat
    array of positions, dicts of text) that load in a fraction of a second at 100,000 cases."""
    head: str                                 # Layout.head
    bodies: dict[str, tuple[int, int]]        # Layout.bodies
    spans: dict[str, array]                   # section → start, end, start, end, … of its items
    cases: dict[str, int]                     # case id → its component, in the file's order
    debtors: dict[str, int]                   # debtor (a party, or a case's debtor) → component
    disputes: dict[str, int]                  # dispute id → component
    parts: list[tuple[tuple[int, ...], ...]]  # per component: its cases, decisions, disputes, parties (item indices)

    def span(self, section: str, i: int) -> tuple[int, int]:
        return self.spans[section][2 * i], self.spans[section][2 * i + 1]


CACHE_FROM_BYTES = 1_000_000         # smaller files are indexed each time (it takes milliseconds)


def ledger_index(path: str, text: bytes, as_of: date | None) -> Index | None:
    """The file's index, from the cache when the same text was indexed before (by `why` or by a
    `sweep` of it), or None when the file cannot be read in pieces (then it is read whole)."""
    import pickle
    cache = _cache_file(text)
    if cache is not None:
        try:
            with open(cache, "rb") as f:
                return pickle.load(f)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            pass
    scenario = read_streamed(path, text, as_of)       # every item checked, as a sweep checks them
    return None if scenario is None else remember(scenario)


def remember(scenario: StreamedScenario) -> Index:
    """The index of a ledger read in pieces, kept in the cache when the file is large."""
    import pickle
    index = _index_of(scenario)
    cache = _cache_file(scenario.text)
    if cache is not None:
        try:                             # a cache that cannot be written only costs time
            cache.parent.mkdir(parents=True, exist_ok=True)
            partial = cache.with_suffix(".part")
            with open(partial, "wb") as f:
                pickle.dump(index, f, protocol=pickle.HIGHEST_PROTOCOL)
            partial.replace(cache)
        except OSError:
            pass
    return index


def _cache_file(text: bytes):
    """Where the index of `text` is kept (named by a hash of the text: an edited file is indexed
    again), or None for a small file."""
    import hashlib
    from .files import cache_dir
    if len(text) < CACHE_FROM_BYTES:
        return None
    digest = hashlib.blake2b(text, digest_size=20).hexdigest()
    return cache_dir() / f"index-{digest}.pickle"


def _index_of(scenario: StreamedScenario) -> Index:
    from itertools import chain
    from .sweep import components
    lay = scenario.layout
    party_index = {p: i for i, p in enumerate(scenario.parties)}
    index = Index(lay.head, lay.bodies, {k: array("q", chain.from_iterable(v)) for k, v in lay.items.items()},
                  dict.fromkeys((k.id for k in scenario.cases), 0), {}, {}, [])
    for n, part in enumerate(components(scenario)):
        for i in part.cases:
            index.cases[scenario.cases[i].id] = n
            if scenario.cases[i].debtor:
                index.debtors[scenario.cases[i].debtor] = n
        for i in part.disputes:
            index.disputes[scenario.disputes[i].id] = n
        for p in part.parties:
            index.debtors[p] = n
        index.parts.append((tuple(part.cases), tuple(part.decisions), tuple(part.disputes),
                            tuple(party_index[p] for p in part.parties)))
    return index


def read_component(path: str, text: bytes, index: Index, kind: str, value: str, as_of: date | None) -> Scenario | None:
    """The component of `kind` `value` read exactly, with the lines and key paths it has in the
    whole file (cases[4711].filed, line 52,301), or None for an object the file does not hold."""
    from .load import load_scenario_text
    n = {"case": index.cases, "debtor": index.debtors, "dispute": index.disputes}[kind].get(value)
    if n is None:
        return None
    chosen = dict(zip(("cases", "decisions", "disputes", "parties"), (sorted(p) for p in index.parts[n])))
    pieces, done = [], 0                 # (start, end) of the text copied, in the file's order
    for section, (start, end) in sorted(index.bodies.items(), key=lambda b: b[1]):
        pieces.append((done, start))
        pieces += [index.span(section, i) for i in chosen[section]]
        done = end
    pieces.append((done, len(text)))
    scenario = load_scenario_text(b"".join(text[a:b] for a, b in pieces).decode("utf-8"), path, as_of)
    _to_file_lines(scenario, text, pieces)
    _to_file_paths(scenario, chosen)
    return scenario


def _to_file_lines(scenario: Scenario, text: bytes, pieces: list[tuple[int, int]]) -> None:
    """Lines of the component's text → lines of the file."""
    import bisect
    starts, offsets, line, sub_line, at = [], [], 1, 1, 0
    for a, b in pieces:
        line += text.count(b"\n", at, a)         # the file's line at `a`, counted once over the file
        starts.append(sub_line)
        offsets.append(line - sub_line)
        sub_line += text.count(b"\n", a, b)
        line += text.count(b"\n", a, b)
        at = b
    scenario.lines = {k: v + offsets[bisect.bisect_right(starts, v) - 1] for k, v in scenario.lines.items()}


_ITEM = re.compile(r"^(parties|cases|disputes|decisions)\[(\d+)\]")


def _to_file_paths(scenario: Scenario, in_file: dict[str, list[int]]) -> None:
    """Key paths of the component (cases[0]) → key paths of the file (cases[4711])."""
    import dataclasses

    def rename(path: str) -> str:
        return _ITEM.sub(lambda m: f"{m.group(1)}[{in_file[m.group(1)][int(m.group(2))]}]", path)

    def walk(obj) -> None:
        if dataclasses.is_dataclass(obj):
            if isinstance(getattr(obj, "path", None), str):
                obj.path = rename(obj.path)
            for f in dataclasses.fields(obj):
                value = getattr(obj, f.name)
                if isinstance(value, list):
                    for item in value:
                        walk(item)

    for obj in [*scenario.parties.values(), *scenario.cases, *scenario.disputes, *scenario.decisions]:
        walk(obj)
    for i, d in enumerate(scenario.decisions):
        d.index = in_file["decisions"][i]
    scenario.lines = {rename(k): v for k, v in scenario.lines.items()}

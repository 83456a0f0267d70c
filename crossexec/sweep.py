"""`crossexec sweep LEDGER`: a whole caseload, split into independent components and solved in
batches by worker processes, with the conclusions streamed out as each batch finishes.

Why the split gives the same answer as `ask` (tests/test_sweep.py checks it on every scenario of
tests/scenarios/ and facts/examples/): a rule of the rule base relates two cases only through
their debtor (related cases, centralization), a decision (it names a case or a debtor) or a
dispute (it lists its cases). So the scenario falls into components:

- the cases of one debtor, with the party record of that debtor;
- a case without a debtor is a component of its own;
- a decision joins the component of its case and of its debtor;
- a dispute joins the components of its cases (a dispute without cases is its own component);

each with every court (courts are shared reference data, not part of any component). The
conclusions of a component are about its cases, its debtor or its disputes — the ranking of
candidate courts and the ordinary holder of a power are computed per (actor, act, object), so
they stay inside the component. The one exception is art. 27's power of a high court over its
area (object `area(H)`), which any cross-execution case in the area gives: it comes out of every
batch that has such a case, and the sweep prints it once.

A batch is a set of whole components solved in one clingo call (independent components in one
program give the union of their answers); batches amortize the grounding of the court tree.
Each decision keeps the index and key path it has in the file (`decisions[12]`), for warnings
and proofs; the rules compare decision indices only for their order."""
from __future__ import annotations

import csv
import gc
import io
import json
import multiprocessing
import os
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from typing import Iterator

from .expect import cites
from .model import Scenario

# A ledger may be far larger than one scenario (README, "A whole caseload"): 100,000 cases take
# about 50 MB of YAML and 5 million values.
LEDGER_BYTES = 4 * 1024 ** 3
LEDGER_NODES = 200_000_000
BATCH_CASES = 400          # cases per clingo call
# clingo keeps every symbol it ever created (ids, provenance tuples) in a process-wide table that is
# never freed: a worker grows by ~15 MB per batch of 400 cases. A worker is therefore replaced
# (forked again from the parent, which has solved nothing) after this many batches.
WORKER_BATCHES = 20

CSV_COLUMNS = ("modality", "actor", "action", "action_zh", "case", "debtor", "dispute", "area", "target",
               "deadline", "overdue", "days_overdue", "sources", "rule", "rank", "recommended",
               "factors", "ordinary_holder", "condition")


@dataclass
class Component:
    cases: list[int] = field(default_factory=list)       # indices into scenario.cases
    decisions: list[int] = field(default_factory=list)   # indices into scenario.decisions
    disputes: list[int] = field(default_factory=list)    # indices into scenario.disputes
    parties: list[str] = field(default_factory=list)     # party ids


class _UnionFind:
    def __init__(self):
        self.parent: dict = {}

    def find(self, x):
        parent = self.parent
        root = parent.setdefault(x, x)
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:          # path compression: linear in practice
            parent[x], x = root, parent[x]
        return root

    def union(self, a, b) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


def components(scenario: Scenario) -> list[Component]:
    """The independent parts of a scenario (module docstring), in the order of their first element
    in the file (cases, then parties without cases, disputes and decisions)."""
    uf = _UnionFind()
    for i, case in enumerate(scenario.cases):
        uf.find(("case", case.id))
        if case.debtor is not None:
            uf.union(("case", case.id), ("debtor", case.debtor))
    for party in scenario.parties:
        uf.find(("debtor", party))
    for i, dispute in enumerate(scenario.disputes):
        uf.find(("dispute", i))
        for case in dispute.cases:
            uf.union(("dispute", i), ("case", case))
    for i, d in enumerate(scenario.decisions):
        uf.find(("decision", i))
        if d.case is not None:
            uf.union(("decision", i), ("case", d.case))
        if d.debtor is not None:
            uf.union(("decision", i), ("debtor", d.debtor))
    parts: dict = {}

    def part(node) -> Component:
        root = uf.find(node)
        if root not in parts:
            parts[root] = Component()
        return parts[root]

    for i, case in enumerate(scenario.cases):
        part(("case", case.id)).cases.append(i)
    for party in scenario.parties:
        part(("debtor", party)).parties.append(party)
    for i in range(len(scenario.disputes)):
        part(("dispute", i)).disputes.append(i)
    for i in range(len(scenario.decisions)):
        part(("decision", i)).decisions.append(i)
    return list(parts.values())


def batches(parts: list[Component], size: int = BATCH_CASES) -> Iterator[Component]:
    """Whole components grouped until a batch holds about `size` cases (a larger component, such
    as a debtor with thousands of cases, is one batch)."""
    current, count = Component(), 0
    for p in parts:
        current.cases += p.cases
        current.decisions += p.decisions
        current.disputes += p.disputes
        current.parties += p.parties
        count += max(1, len(p.cases))
        if count >= size:
            yield current
            current, count = Component(), 0
    if count:
        yield current


def sub_scenario(scenario: Scenario, part: Component, keep_lines: bool = False) -> Scenario:
    """The scenario restricted to a batch; the file's order of cases, decisions and disputes kept.
    A ledger read in pieces (crossexec/stream.py) reads the batch's cases from their text here."""
    from .stream import StreamedScenario, sub_scenario as streamed_part
    if isinstance(scenario, StreamedScenario):
        return streamed_part(scenario, part.cases, part.decisions, part.disputes, part.parties)
    return replace(scenario,
                   parties={p: scenario.parties[p] for p in part.parties},
                   cases=[scenario.cases[i] for i in sorted(part.cases)],
                   disputes=[scenario.disputes[i] for i in sorted(part.disputes)],
                   decisions=[scenario.decisions[i] for i in sorted(part.decisions)],
                   lines=scenario.lines if keep_lines else {}, expect=None)


def component_of(scenario: Scenario, kind: str, value: str) -> Scenario:
    """The part of the scenario a conclusion about `kind` ("case", "debtor", "dispute") `value`
    rests on — its component (module docstring) — so that `why`/`whynot` on one conclusion of a
    ledger solve that component only, with provenance. An object the scenario does not hold, or an
    area (art. 27, which any case of the area gives), keeps the whole scenario."""
    node = {"case": ("case", value), "debtor": ("debtor", value)}.get(kind)
    if kind == "dispute":
        index = next((i for i, d in enumerate(scenario.disputes) if d.id == value), None)
        node = ("dispute", index) if index is not None else None
    if node is None:
        return scenario
    for part in components(scenario):
        members = ({("case", scenario.cases[i].id) for i in part.cases}
                   | {("debtor", scenario.cases[i].debtor) for i in part.cases if scenario.cases[i].debtor}
                   | {("debtor", p) for p in part.parties} | {("dispute", i) for i in part.disputes})
        if node in members:
            return sub_scenario(scenario, part, keep_lines=True)
    return scenario


# --- solving a batch (in a worker process) -------------------------------------------------------

@dataclass
class Options:
    format: str = "jsonl"            # jsonl | csv | xlsx (a list of cells) | dicts (the test's: plain dicts)
    overdue: bool = False
    actor: str | None = None         # a court id, or applicant | debtor
    article: int | None = None       # only conclusions citing this article of the guidance

    def keeps(self, record: dict) -> bool:
        if self.article is None:
            return True
        return cites(record["sources"], f"指导意见第{self.article}条")


@dataclass
class BatchResult:
    cases: int
    rows: list                       # JSON lines, CSV text rows or dicts, one per conclusion
    area_rows: list                  # (actor, row) about a high court's area (printed once)
    conflicts: list[dict]
    warnings: list[str]
    stats: dict                      # actor name → Counter (see summary)


_WORKER: dict = {}                   # what a worker process holds: the scenario, the rules, options


def _init_worker(scenario, rules, options) -> None:
    _WORKER.update(scenario=scenario, rules=rules, options=options)


def solve_batch(part: Component) -> BatchResult:
    scenario, rules, options = _WORKER["scenario"], _WORKER["rules"], _WORKER["options"]
    return solve_part(sub_scenario(scenario, part), rules, options)


def solve_part(scenario: Scenario, rules, options: Options) -> BatchResult:
    """One batch, given as the scenario restricted to it (sub_scenario): its rows, counts and
    warnings. The local workers and the Dask backend (crossexec/distributed.py) both call this."""
    from .render import conclusion_json, days_overdue, plain_terms
    from .solve import solve
    answer = solve(scenario, rules)
    rows, area_rows, stats = [], [], defaultdict(Counter)
    for c in answer.conclusions:
        terms = plain_terms(answer, c)
        if options.actor and terms.actor_id != options.actor:
            continue
        record = conclusion_json(answer, c)
        if not options.keeps(record):
            continue
        late = days_overdue(answer, c)
        if terms.object_kind == "area":      # counted once, by the parent, when first printed
            if not options.overdue or late:
                area_rows.append((record["actor"], _format(record, options.format)))
            continue
        _count(stats[record["actor"]], record, scenario.as_of, late)
        if options.overdue and not late:
            continue
        rows.append(_format(record, options.format))
    conflicts = [{"positive": conclusion_json(answer, p), "negative": conclusion_json(answer, n)}
                 for p, n in answer.conflicts]
    return BatchResult(len(scenario.cases), rows, area_rows, conflicts, answer.warnings, dict(stats))


def _count(counter: Counter, record: dict, as_of, late: int | None) -> None:
    counter["conclusions"] += 1
    # a case counts once, for the court that ordinarily holds the power (the 上一级), not for
    # every superior up to the Supreme Court (rules/core/holders.lp)
    if record.get("case") and record.get("ordinary_holder", True) and cites(record["sources"], "指导意见第4条"):
        counter["art4:" + record["case"]] = 1          # distinct cases; counted in the summary
    if late:
        counter["overdue"] += 1
    elif late is not None and record["deadline"]:
        from datetime import date
        if (date.fromisoformat(record["deadline"]) - as_of).days <= 7:
            counter["due_7_days"] += 1


def _format(record: dict, kind: str):
    if kind == "dicts":
        return record
    if kind == "jsonl":
        return json.dumps(record, ensure_ascii=False)
    row = dict(record)
    row["sources"] = "、".join(record["sources"])
    row["factors"] = "、".join(f["factor_zh"] for f in record.get("factors", ()))
    if kind == "xlsx":
        return [_cell(row.get(column)) for column in CSV_COLUMNS]
    out = io.StringIO()
    csv.DictWriter(out, CSV_COLUMNS, extrasaction="ignore", lineterminator="\n").writerow(row)
    return out.getvalue().rstrip("\n")


def _cell(value):
    """A value as an XLSX cell: text, a number or empty (a list is joined like the CSV's)."""
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value)
    return value


def run(scenario: Scenario, rules, options: Options, jobs: int = 1,
        batch_cases: int = BATCH_CASES) -> Iterator[BatchResult]:
    """Yield the result of each batch, in the file's order. With `jobs` > 1 the batches are solved
    by worker processes forked after the scenario and the rule base are loaded, so each worker has
    them once, without pickling them; only batch indices go out and formatted rows come back."""
    parts = list(batches(components(scenario), batch_cases))
    if jobs <= 1 or len(parts) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        _init_worker(scenario, rules, options)
        for part in parts:
            yield solve_batch(part)
        return
    gc.freeze()                      # the loaded scenario is never collected: don't scan it again
    context = multiprocessing.get_context("fork")
    with context.Pool(jobs, initializer=_init_worker, initargs=(scenario, rules, options),
                      maxtasksperchild=WORKER_BATCHES) as pool:
        yield from pool.imap(solve_batch, parts, chunksize=1)


# --- the command ------------------------------------------------------------------------------

def read_in_pieces(path: str, as_of) -> Scenario | None:
    """A YAML ledger with its cases kept as keys and read again per batch (crossexec/stream.py),
    or None when it cannot be read so (another format or layout, bad input): then it is read whole."""
    from .stream import ledger_bytes, read_streamed
    data = ledger_bytes(path)
    return None if data is None else read_streamed(path, data, as_of)


def run_sweep(args) -> int:
    from . import RULES
    from .courts import CourtIndex
    from .errors import InputError
    from .load import load_scenario
    from .rulebase import load_rulebase
    from .solve import no_collection
    started = time.perf_counter()
    with no_collection():            # millions of new objects and none of them garbage
        scenario = (read_in_pieces(args.ledger, args.as_of)
                    or load_scenario(args.ledger, args.as_of, LEDGER_BYTES, LEDGER_NODES, lines=False))
    scenario.lines = {}              # key path → line: only load's messages use it, and it is huge
    gc.collect()
    gc.freeze()
    rules = load_rulebase(args.rules or RULES)
    actor = None
    if args.actor:
        if args.actor in ("applicant", "debtor"):
            actor = args.actor
        else:
            actor, problem = CourtIndex(scenario.courts).resolve(args.actor)
            if problem:
                raise InputError(args.ledger, "--actor", problem)
    if args.article is not None and not 1 <= args.article <= 28:
        raise InputError(args.ledger, "--article", f"expected an article of the guidance, 1 to 28, got {args.article}")
    options = Options(args.format, args.overdue, actor, args.article)
    jobs = args.jobs or os.cpu_count() or 1
    out = _Writer(args.format, args.out)          # before any solving: a bad --out costs nothing
    try:
        if getattr(args, "backend", "local") == "dask":
            from . import distributed
            results = distributed.run(scenario, args.rules or RULES, options, jobs, args.batch, args.scheduler)
        elif getattr(args, "scheduler", None):
            raise InputError("crossexec sweep", "--scheduler", "a scheduler address is for --backend dask; add --backend dask")
        else:
            results = run(scenario, rules, options, jobs, args.batch)
        with _progress(len(scenario.cases), getattr(args, "progress", None)) as bar:
            totals = _stream(results, out, bar)
        out.finish()
    finally:
        out.close()
    from .stream import StreamedScenario, remember
    if isinstance(scenario, StreamedScenario):
        remember(scenario)           # `why` on a conclusion of this ledger then reads only its component
    totals["seconds"] = time.perf_counter() - started
    print(summary(scenario, totals), file=sys.stderr)
    return 0


class _Writer:
    """Where the rows go: lines of JSON or CSV (stdout or --out), or an XLSX workbook written in
    openpyxl's streaming mode (rows are flushed to a temporary file, not held)."""

    def __init__(self, kind: str, path: str | None):
        from .errors import InputError
        self.kind, self.path, self.book, self.file = kind, path, None, None
        if kind == "xlsx":
            if not path:
                raise InputError("crossexec sweep", "--out", "--format xlsx writes a workbook: give --out FILE.xlsx")
            try:
                with open(path, "wb"):     # fail now, not after the solving, on a path that cannot be written
                    pass
            except OSError as e:
                raise InputError(path, "--out", f"cannot write this file ({e.strerror})") from None
            import openpyxl
            self.book = openpyxl.Workbook(write_only=True)
            self.sheet = self.book.create_sheet("结论")
            self.sheet.append(list(CSV_COLUMNS))
            return
        try:
            self.file = open(path, "w", encoding="utf-8", newline="") if path else sys.stdout
        except OSError as e:
            raise InputError(path, "--out", f"cannot write this file ({e.strerror})") from None
        if kind == "csv":
            self.file.write(",".join(CSV_COLUMNS) + "\n")

    def write(self, rows: list) -> None:
        if self.book is not None:
            for row in rows:
                self.sheet.append(row)
        elif rows:
            self.file.write("\n".join(rows) + "\n")

    def finish(self) -> None:
        if self.book is not None:
            self.book.save(self.path)

    def close(self) -> None:
        if self.file is not None and self.path:
            self.file.close()


def _progress(total: int, wanted: bool | None):
    """A progress bar in cases on a terminal (tqdm, on stderr); none when stderr is piped."""
    import contextlib
    if wanted is False or (wanted is None and not sys.stderr.isatty()):
        return contextlib.nullcontext(None)
    from tqdm import tqdm
    return tqdm(total=total, unit="件", desc="sweep", file=sys.stderr, leave=False, dynamic_ncols=True)


def _stream(results: Iterator[BatchResult], out: _Writer, bar=None) -> dict:
    """Write each batch's rows as it arrives; keep only counts (and the few area conclusions)."""
    seen_area, seen_warnings = set(), set()
    stats: dict[str, Counter] = defaultdict(Counter)
    totals = {"cases": 0, "conclusions": 0, "conflicts": 0, "warnings": [], "stats": stats}
    for result in results:
        totals["cases"] += result.cases
        rows = list(result.rows)
        for actor, row in result.area_rows:
            if str(row) not in seen_area:
                seen_area.add(str(row))
                rows.append(row)
                stats[actor]["conclusions"] += 1
        out.write(rows)
        if bar is not None:
            bar.update(result.cases)
        totals["conclusions"] += len(rows)
        totals["conflicts"] += len(result.conflicts)
        for w in result.warnings:
            if w not in seen_warnings:
                seen_warnings.add(w)
                totals["warnings"].append(w)
        for actor, counter in result.stats.items():
            stats[actor].update(counter)
    return totals


def summary(scenario: Scenario, totals: dict) -> str:
    """Per court: conclusions, cases in which art. 4 gives it a power (督促、指令、提级 after six
    months or a listed situation), deadlines due within 7 days, and overdue duties."""
    rows = []
    for actor, counter in sorted(totals["stats"].items()):
        art4 = sum(1 for k in counter if k.startswith("art4:"))
        rows.append(f"  {actor}\t结论 {counter['conclusions']}\t第4条案件 {art4}\t"
                    f"7日内到期 {counter['due_7_days']}\t已逾期 {counter['overdue']}")
    seconds = totals["seconds"]
    head = (f"sweep: {totals['cases']} 件案件, {totals['conclusions']} 条结论, {totals['conflicts']} 个冲突, "
            f"{seconds:.1f} s ({totals['cases'] / seconds if seconds else 0:.0f} 件/秒)")
    warnings = [f"  ! {w}" for w in totals["warnings"]]
    return "\n".join([head] + rows + (["提示："] + warnings if warnings else []))

"""`crossexec mutate`: which readings of the rule base the scenario tests do not pin down.

A mutant is one small change of one rule, made through the AST operators of rulebase.py (period
numbers ±1 and ×2, modality swaps, a body literal dropped, a `not` removed or added, a court
variable of the head swapped for another, `<`↔`<=` and `>`↔`>=`). It is *killed* when some
scenario test fails against it (an expectation, a snapshot, or no answer set), otherwise it
*survives* — unless tests/mutants-equivalent.yaml records it as equivalent, with a reason.

Which scenarios are run for a mutant (README, "Mutation testing", says why this is sound): those
in which the rule as written or the mutant has a true body instance over the scenario's answer set
and the two derive different heads there (or the test reads proofs); checked for all mutants at
once, by grounding their bodies over that answer set. Every scenario when the rule's body depends
on its own head.

Work is shared by `--jobs` worker processes, forked once the rule base, the scenarios and the
mutants are loaded, and kept for the whole run."""
from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import re
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import ROOT
from . import rulebase as rb
from .errors import InputError
from .expect import Proofs, check, parse_expect
from .legaltime import LegalTimeContext
from .load import load_scenario
from .regress import compare, discover, has_expect, rules_folder, shown, snapshot, snapshot_path
from .solve import solve

EQUIVALENT_FILE = ROOT / "tests" / "mutants-equivalent.yaml"
PLANT = re.compile(r"^(?P<label>[a-z][a-z0-9_]*)/period=(?P<value>[0-9]+)/n(?P<index>[0-9]+)$")


@dataclass
class Mutant:
    index: int
    label: str
    kind: str
    position: str
    file: str               # relative to the rules folder
    line: int
    article: str            # "6" for rules/guidance/a06.lp; "core" or "cited" for the other folders
    before: str
    after: str
    statement: object       # the rule as mutated (clingo AST)
    recursive: bool = False  # its body depends on its own head: every scenario is run

    @property
    def calls(self) -> bool:
        """Does the rule call an external function (@period_end …)? Calls made while grounding can
        add calendar warnings to an answer even where the rule does not fire."""
        return "@" in str(self.statement)

    @property
    def id(self) -> str:
        return f"{self.label}/{self.kind}/{self.position}"

    def diff(self) -> str:
        return f"rules/{self.file}:{self.line}  {self.before} → {self.after}"


@dataclass
class Loaded:
    """One scenario test, read once per run."""
    path: Path
    scenario: object
    expectations: object
    snapshot: dict | None


@dataclass
class Baseline:
    path: Path
    problem: str | None = None               # why it cannot serve (it fails with the rules as written)
    fired: set[str] = field(default_factory=set)       # labels of the rules that fired
    reached: set[int] = field(default_factory=set)     # mutants whose body holds over its answer set
    same: set[int] = field(default_factory=set)        # mutants that derive there what the rule derives
    proofs: bool = False                     # the test reads proofs (rests_on, or a snapshot)
    snapshot: bool = False                   # the test compares a whole answer, warnings included
    probe_problem: str | None = None         # the self-check of the probe failed (then `several` is set)
    several: bool = False                    # several answer sets: run it for every mutant


@dataclass
class Outcome:
    mutant: Mutant
    status: str                              # killed | survived | equivalent
    by: str | None = None                    # the scenario that killed it (and how)
    ran: int = 0                             # scenarios run against it
    reason: str = ""                         # why it is equivalent


# -- mutants ------------------------------------------------------------------------------------------

def article_of(file: str) -> str:
    match = re.fullmatch(r"guidance/a0*([0-9]+)\.lp", file)
    return match.group(1) if match else file.split("/")[0]


def wanted_articles(values) -> set[str] | None:
    """--article: 6, 06, a06 (an article of the guidance), core or cited; None = every rule."""
    if not values:
        return None
    out = set()
    for value in values:
        match = re.fullmatch(r"a?0*([0-9]+)", value)
        if match and 1 <= int(match.group(1)) <= 28:
            out.add(match.group(1))
        elif value in ("core", "cited"):
            out.add(value)
        else:
            raise InputError(value, "--article", "expected an article number 1-28 (e.g. 6), core or cited")
    return out


KINDS = ("period", "modality", "drop", "remove_not", "add_not", "court", "cmp")


def kind_family(kind: str) -> str:
    """period-1, period+1, period*2 → period; modality=should → modality; cmp=<= → cmp."""
    return re.split(r"[-+*=]", kind, maxsplit=1)[0]


def wanted_kinds(values) -> set[str] | None:
    if not values:
        return None
    for value in values:
        if value not in KINDS:
            raise InputError(value, "--kind", f"expected one of {', '.join(KINDS)}")
    return set(values)


def generate(base: rb.RuleBase, articles: set[str] | None, planted=(), kinds: set[str] | None = None) -> tuple[list[Mutant], int]:
    """The mutants of the chosen articles (and kinds) that clingo accepts, and how many it refused (unsafe)."""
    positions = rb.court_positions(base)
    context = LegalTimeContext()
    mutants, refused = [], 0
    for rule in base.rules.values():
        article = article_of(rule.file)
        if articles is not None and article not in articles:
            continue
        for change in rb.mutations(rule, positions):
            if kinds is not None and kind_family(change.kind) not in kinds:
                continue
            if not rb.compiles(change.statement, context):
                refused += 1
                continue
            mutants.append(Mutant(len(mutants), rule.label, change.kind, change.position, rule.file,
                                  change.line, article, change.before, change.after, change.statement))
    for text in planted:
        mutants.append(plant(base, text, len(mutants)))
    mark_recursive(base, mutants)
    return mutants, refused


def plant(base: rb.RuleBase, text: str, index: int) -> Mutant:
    """A hand-made mutant, `label/period=N/nK`: the K-th period number of a rule set to N."""
    match = PLANT.match(text)
    if not match:
        raise InputError(text, "--plant", "expected label/period=N/nK (e.g. a06_transfer_deadline/period=10/n1)")
    rule = base.rules.get(match["label"])
    if rule is None:
        raise InputError(text, "--plant", f"no rule labelled {match['label']!r}")
    numbers = rb.period_numbers(rule.statement)
    k = int(match["index"])
    if not 1 <= k <= len(numbers):
        raise InputError(text, "--plant", f"rule {rule.label} has {len(numbers)} period number(s), so n{k} does not exist")
    number, line = numbers[k - 1]
    statement = rb.set_period_number(rule.statement, k - 1, int(match["value"]))
    return Mutant(index, rule.label, f"period={match['value']}", f"n{k}", rule.file, line,
                  article_of(rule.file), str(number), match["value"], statement)


def mark_recursive(base: rb.RuleBase, mutants: list[Mutant]) -> None:
    """A mutant whose body (or the original's) uses a predicate that depends on the head is
    `recursive`: its effect cannot be read off the answer set of the rules as written."""
    dependents: dict[tuple, set] = {}        # body predicate -> head predicates of the rules using it
    for rule in base.rules.values():
        heads, bodies = rb.predicates(rule.statement)
        for b in bodies:
            dependents.setdefault(b, set()).update(heads)
    cache: dict[frozenset, set] = {}
    originals = {label: rb.predicates(rule.statement) for label, rule in base.rules.items()}
    for m in mutants:
        heads, bodies = rb.predicates(m.statement)
        old_heads, old_bodies = originals[m.label]
        start = frozenset(heads | old_heads)
        if start not in cache:
            seen, todo = set(start), list(start)
            while todo:
                for h in dependents.get(todo.pop(), ()):
                    if h not in seen:
                        seen.add(h)
                        todo.append(h)
            cache[start] = seen
        m.recursive = bool((bodies | old_bodies) & cache[start])


# -- running scenarios --------------------------------------------------------------------------------

def load_tests(paths) -> list[Loaded]:
    out = []
    for path in discover(paths):
        if not has_expect(path):
            continue
        scenario = load_scenario(path)
        expectations = parse_expect(scenario)
        if expectations is None:
            raise InputError(str(path), "expect", "expected present:/absent: lists", scenario.lines.get("expect"))
        target = snapshot_path(path)
        data = json.loads(target.read_text(encoding="utf-8")) if target.exists() else None
        out.append(Loaded(path, scenario, expectations, data))
    return out


def verdict(test: Loaded, rules: rb.RuleBase) -> str | None:
    """Why the test fails under these rules (None: it passes) — the judgement of `crossexec test`
    (regress.Runner.run): expectations, then the snapshot; no answer set fails too."""
    try:
        answer = solve(test.scenario, rules, explain=any(e.rests_on for e in test.expectations.all))
    except InputError as e:
        return f"no answer set ({e.expected})"
    proofs = Proofs(answer)
    failures = check(test.expectations, answer, proofs)
    if failures:
        return failures[0][0].path
    if test.snapshot is not None and compare(test.snapshot, snapshot(answer, proofs)):
        return "snapshot"
    return None


# State of a run, set before the worker processes are forked (so each has it without loading again).
STATE: dict = {}


def _baseline(i: int) -> Baseline:
    base, test, mutants = STATE["base"], STATE["tests"][i], STATE["mutants"]
    result = Baseline(test.path, proofs=test.snapshot is not None or any(e.rests_on for e in test.expectations.all),
                      snapshot=test.snapshot is not None)
    try:
        result.problem = verdict(test, base)
        if result.problem:
            return result
        answer = solve(test.scenario, base, explain=True)
    except Exception as error:  # noqa: BLE001 — reported, and the scenario is left out
        result.problem = f"{type(error).__name__}: {error}"
        return result
    result.fired = {label for label, _ in answer.apps}
    result.several = any("多个回答集" in w for w in answer.warnings)
    facts = "".join(f"{atom}.\n" for atom in answer.atoms)
    originals = sorted({m.label for m in mutants if not m.recursive})
    number = {label: len(mutants) + i for i, label in enumerate(originals)}
    rules = [(m.index, m.statement) for m in mutants if not m.recursive] + \
            [(number[label], base.rules[label].statement) for label in originals]
    heads = _probe_all(facts, rules, base.definitions)
    # Self-check: over its own answer set, a rule as written fires exactly where its `_app` records
    # say it fired. If not, the probe cannot be trusted here: run this scenario for every mutant.
    wrong = sorted(label for label in originals if (number[label] in heads) != (label in result.fired))
    if wrong:
        result.several, result.probe_problem = True, f"the probe disagrees with the answer set on {', '.join(wrong[:3])}"
    for m in mutants:
        if m.recursive:
            continue
        if m.index in heads:
            result.reached.add(m.index)
        if heads.get(m.index, set()) == heads.get(number[m.label], set()):
            result.same.add(m.index)
    return result


def _probe_all(facts: str, rules, definitions) -> dict[int, set]:
    """rulebase.probe for all rules at once. If a body cannot be evaluated (an external function
    refuses its arguments), the rules are probed in halves down to the one that fails, which then
    counts as firing and deriving something no other rule derives (so its scenarios are run)."""
    try:
        return rb.probe(facts, rules, LegalTimeContext(), definitions)
    except RuntimeError:
        if len(rules) == 1:
            return {rules[0][0]: {("unevaluable", rules[0][0])}}
        half = len(rules) // 2
        return {**_probe_all(facts, rules[:half], definitions), **_probe_all(facts, rules[half:], definitions)}


def _attack(task: tuple[int, list[int]]) -> tuple[int, str | None, int]:
    """Run the mutant against its scenarios until one fails: (mutant, what killed it, scenarios run)."""
    index, order = task
    m, tests = STATE["mutants"][index], STATE["tests"]
    try:
        rules = STATE["base"].replace(m.label, m.statement)
    except Exception as error:  # noqa: BLE001
        return index, f"(rule base) {type(error).__name__}: {error}", 0
    for ran, i in enumerate(order, 1):
        try:
            why = verdict(tests[i], rules)
        except Exception as error:  # noqa: BLE001 — `crossexec test` would stop with exit 3: detected
            why = f"{type(error).__name__}: {error}"
        if why:
            return index, f"{shown(tests[i].path)}: {why}", ran
    return index, None, len(order)


def _map(function, items, jobs: int):
    if jobs <= 1 or len(items) <= 1:
        yield from map(function, items)
        return
    # fork: the workers share the loaded rule base, scenarios and mutants; they live for the whole map.
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        yield from pool.imap_unordered(function, items, chunksize=1)


def selection(m: Mutant, baselines: list[Baseline]) -> list[int]:
    """The scenarios that can see the mutant, most likely killers first: those in which the rule
    fired (its own article's folder first), then those in which only the mutant's body holds.
    A scenario is left out when the mutant derives there exactly what the rule derives, unless the
    test reads proofs (which rule instances, with which bodies, derived a conclusion)."""
    home = f"a{int(m.article):02d}" if m.article.isdigit() else m.article

    def sees(b: Baseline) -> bool:
        if b.problem:
            return False
        if m.recursive or b.several or (b.snapshot and m.calls):
            return True
        fires = m.label in b.fired or m.index in b.reached
        return fires and (m.index not in b.same or b.proofs)

    chosen = [i for i, b in enumerate(baselines) if sees(b)]
    return sorted(chosen, key=lambda i: (m.label not in baselines[i].fired, baselines[i].path.parent.name != home,
                                         str(baselines[i].path)))


def left_out(run) -> tuple[list, list]:
    """(mutant, scenario path) pairs the selection left out of a run: those where the rule fired in
    the scenario (left out because the mutant derives the same heads there — the subtler argument),
    and the others. The soundness checks (tests/test_mutate.py, bench/bench_mutate.py --verify)
    run a sample of them."""
    fired, other = [], []
    for o in run.outcomes:
        chosen = {run.baselines[i].path for i in selection(o.mutant, run.baselines)}
        for b in run.baselines:
            if not b.problem and b.path not in chosen:
                (fired if o.mutant.label in b.fired else other).append((o.mutant, b.path))
    return fired, other


# -- equivalents --------------------------------------------------------------------------------------

def load_equivalent(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as e:
        raise InputError(str(path), "", f"not valid YAML ({e})") from None
    if not isinstance(data, dict):
        raise InputError(str(path), "", "expected a mapping: mutant id -> reason it changes nothing a test can see")
    for key, reason in data.items():
        if not isinstance(key, str) or key.count("/") != 2:
            raise InputError(str(path), str(key), "expected a mutant id label/kind/position (as `crossexec mutate` prints it)")
        if not isinstance(reason, str) or not reason.strip():
            raise InputError(str(path), key, "expected the reason why this mutant is equivalent (a non-empty string)")
    return data


# -- the run ------------------------------------------------------------------------------------------

@dataclass
class Run:
    rules: str
    outcomes: list[Outcome]
    baselines: list[Baseline]
    refused: int
    seconds: float
    jobs: int
    warnings: list[str]


def mutate(folder: Path, paths, articles: set[str] | None, jobs: int, planted=(), equivalent_file: Path = EQUIVALENT_FILE,
           rules_name: str = "rules/", kinds: set[str] | None = None) -> Run:
    started = time.perf_counter()
    base = rb.load_rulebase(folder)
    equivalent = load_equivalent(equivalent_file)
    mutants, refused = generate(base, articles, planted, kinds)
    tests = load_tests(paths)
    STATE.update(base=base, tests=tests, mutants=mutants)
    try:
        found = {b.path: b for b in _map(_baseline, list(range(len(tests))), jobs)}
        baselines = [found[t.path] for t in tests]
        tasks = [(m.index, selection(m, baselines)) for m in mutants]
        tasks.sort(key=lambda task: -len(task[1]))       # the longest first: the workers finish together
        killed = {index: (by, ran) for index, by, ran in _map(_attack, tasks, jobs)}
    finally:
        STATE.clear()
    outcomes = []
    for m in mutants:
        by, ran = killed[m.index]
        if by:
            outcomes.append(Outcome(m, "killed", by, ran))
        elif m.id in equivalent:
            outcomes.append(Outcome(m, "equivalent", None, ran, equivalent[m.id]))
        else:
            outcomes.append(Outcome(m, "survived", None, ran))
    warnings = [f"{shown(b.path)} fails with the rules as written ({b.problem}); it is not used" for b in baselines if b.problem]
    warnings += [f"{shown(b.path)}: {b.probe_problem}; it is run for every mutant" for b in baselines if b.probe_problem]
    positions = rb.court_positions(base) if equivalent else set()
    every = {f"{r.label}/{c.kind}/{c.position}" for r in base.rules.values() if equivalent
             for c in rb.mutations(r, positions)}
    for key in equivalent:
        if key not in every:
            warnings.append(f"{shown(equivalent_file)}: {key} is no longer a mutant of the rule base (remove it)")
    for o in outcomes:
        if o.status == "killed" and o.mutant.id in equivalent:
            warnings.append(f"{shown(equivalent_file)}: {o.mutant.id} is listed as equivalent but {o.by} kills it")
    return Run(rules_name, outcomes, baselines, refused, time.perf_counter() - started, jobs, warnings)


# -- reporting ----------------------------------------------------------------------------------------

def _article_order(article: str) -> tuple:
    return (0, int(article), "") if article.isdigit() else (1, 0, article)


def counts(outcomes: list[Outcome]) -> dict:
    n = len(outcomes)
    killed = sum(o.status == "killed" for o in outcomes)
    equivalent = sum(o.status == "equivalent" for o in outcomes)
    return {"mutants": n, "killed": killed, "survived": sum(o.status == "survived" for o in outcomes),
            "equivalent": equivalent, "score": round(killed / (n - equivalent), 3) if n > equivalent else None}


def summary(run: Run) -> dict:
    by_article: dict[str, list[Outcome]] = {}
    for o in run.outcomes:
        by_article.setdefault(o.mutant.article, []).append(o)
    fired = lambda label: [shown(b.path) for b in run.baselines if label in b.fired]  # noqa: E731
    return {
        "rules": run.rules,
        "scenarios": sum(not b.problem for b in run.baselines),
        "jobs": run.jobs,
        "seconds": round(run.seconds, 1),
        "refused": run.refused,
        "articles": [{"article": a, **counts(by_article[a])} for a in sorted(by_article, key=_article_order)],
        "total": counts(run.outcomes),
        "survivors": [{"id": o.mutant.id, "article": o.mutant.article, "file": f"rules/{o.mutant.file}",
                       "line": o.mutant.line, "kind": o.mutant.kind, "diff": o.mutant.diff(),
                       "scenarios": fired(o.mutant.label)} for o in run.outcomes if o.status == "survived"],
        "equivalent": [{"id": o.mutant.id, "reason": o.reason} for o in run.outcomes if o.status == "equivalent"],
        "killed": [{"id": o.mutant.id, "by": o.by} for o in run.outcomes if o.status == "killed"],
        "warnings": run.warnings,
    }


WORDS = {
    "zh": {"title": "变异测试（规则库 {rules}，{n} 个情形，{jobs} 个进程，{s} 秒）", "article": "条文",
           "cols": ("条文", "变异体", "被杀死", "存活", "等价", "得分"),
           "total": "合计", "refused": "另有 {n} 个变异体不合法（变量不安全），未计入。", "survivors": "存活的变异体（测试未能区分的解读）",
           "seen": "触发该规则的情形", "none": "（没有情形触发该规则）", "warning": "注意", "list": "、"},
    "en": {"title": "Mutation testing (rules {rules}, {n} scenarios, {jobs} jobs, {s} s)", "article": "article",
           "cols": ("article", "mutants", "killed", "survived", "equivalent", "score"),
           "total": "total", "refused": "{n} more mutants are not valid programs (unsafe variables) and are not counted.",
           "survivors": "Surviving mutants (readings the tests do not pin down)", "seen": "scenarios in which the rule fired",
           "none": "(no scenario fires this rule)", "warning": "note", "list": ", "},
}


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _row(cells) -> str:
    """A table row: the first cell left-aligned, the others right-aligned, Chinese counted double width."""
    texts = [str(c) for c in cells]
    return texts[0] + " " * (8 - _width(texts[0])) + "".join(" " * (11 - _width(t)) + t for t in texts[1:])


def render_text(data: dict, lang: str) -> str:
    w = WORDS[lang]
    lines = [w["title"].format(rules=data["rules"], n=data["scenarios"], jobs=data["jobs"], s=data["seconds"]), ""]
    lines.append(_row(w["cols"]))
    rows = data["articles"] + [{"article": w["total"], **data["total"]}]
    for row in rows:
        score = "—" if row["score"] is None else f"{row['score']:.2f}"
        name = f"a{int(row['article']):02d}" if row["article"].isdigit() else row["article"]
        lines.append(_row((name, row["mutants"], row["killed"], row["survived"], row["equivalent"], score)))
    lines.append(w["refused"].format(n=data["refused"]))
    if data["survivors"]:
        lines += ["", w["survivors"]]
        for s in data["survivors"]:
            lines.append(f"  {s['diff']}   [{s['id']}]")
            listed = w["list"].join(s["scenarios"][:6]) + (" …" if len(s["scenarios"]) > 6 else "")
            lines.append(f"      {w['seen']}: " + (listed if s["scenarios"] else w["none"]))
    for warning in data["warnings"]:
        lines.append(f"{w['warning']}: {warning}")
    return "\n".join(lines) + "\n"


def run_mutate(args) -> int:
    articles, kinds = wanted_articles(args.article), wanted_kinds(args.kind)
    jobs = args.jobs if args.jobs is not None else (os.cpu_count() or 1)
    if jobs < 1:
        raise InputError(str(jobs), "--jobs", "expected a number of worker processes ≥ 1")
    equivalent_file = Path(args.equivalent) if args.equivalent else EQUIVALENT_FILE
    with contextlib.ExitStack() as scratch:
        folder, name = rules_folder(args.rules, scratch)
        run = mutate(folder, args.paths, articles, jobs, args.plant or (), equivalent_file, name, kinds)
    data = summary(run)
    if args.format == "json":
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(render_text(data, args.lang))
    return 0

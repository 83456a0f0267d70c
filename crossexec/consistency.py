"""The consistency search of `crossexec check`: find a scenario in which an invariant breaks.

checks/space.lp declares a bounded space of scenarios as choice rules over the input
predicates; checks/invariants.lp states the invariants as `violation(Name, Witness)`.  Both
are grounded once together with the real rule base (and the legal-time functions), then solved once
per invariant under the assumption that it is violated: UNSAT proves the invariant for every
scenario of the space; a model is a counterexample.  A counterexample is written back as a scenario
YAML file in the contract format, checked to encode to exactly the chosen facts and to break the
invariant again through the ordinary pipeline, and printed with the conclusions involved, so that
`crossexec ask FILE` reproduces it."""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import clingo
import yaml

from . import ROOT

CHECKS = ROOT / "checks"          # the scenario space and the invariants (ASP, not law)
from .encode import INPUTS, encode
from .errors import InputError
from .files import write_atomic
from .legaltime import LegalTimeContext, from_day
from .load import load_scenario
from .rulebase import RuleBase, load_rulebase

BUDGET = 45.0                     # seconds for the whole search (crossexec check must stay under 60 s)
INPUT_SIGS = {(p.split("/")[0], int(p.split("/")[1])) for p in INPUTS}
HIT = "inv_hit"
SHRINK = 3.0                      # seconds spent making a counterexample smaller once one is found


@dataclass
class Invariant:
    name: str
    needs: list[tuple[str, int]] = field(default_factory=list)    # predicates the rule base must define
    actions: list[str] = field(default_factory=list)              # actions some rule must conclude
    shows: list[str] = field(default_factory=list)                # actions of the conclusions to print, or "key"


@dataclass
class Outcome:
    invariant: str
    status: str                   # holds | violated | skipped | undecided
    seconds: float = 0.0
    note: str = ""
    witness: str = ""
    file: Path | None = None
    command: str = ""
    lines: list[str] = field(default_factory=list)      # the conclusions involved
    model: list = field(default_factory=list, repr=False)


def check_folder(folder: Path) -> Path:
    """The scenario space and invariants: checks/ (kept out of rules/, which holds only the law)."""
    return CHECKS


def invariants(text: str) -> list[Invariant]:
    """The `%!inv NAME [needs PRED/N … action:ACT …] [shows ACT … | key]` lines of invariants.lp."""
    out = []
    for m in re.finditer(r"^%!inv\s+(\w+)(.*)$", text, re.M):
        inv, part = Invariant(m.group(1)), None
        for word in m.group(2).split():
            if word in ("needs", "shows"):
                part = word
            elif part == "shows":
                inv.shows.append(word)
            elif word.startswith("action:"):
                inv.actions.append(word[len("action:"):])
            elif part == "needs":
                name, arity = word.split("/")
                inv.needs.append((name, int(arity)))
        out.append(inv)
    return out


def search(rules: RuleBase, folder: Path, heads: set, head_actions: set, out_dir: Path,
           budget: float = BUDGET, rules_arg: str | None = None, lang: str = "zh",
           only: set[str] | None = None) -> list[Outcome]:
    """`heads`: predicate signatures the rule base defines; `head_actions`: actions its heads conclude;
    `only`: the invariants to search (default: all of invariants.lp)."""
    where = check_folder(folder)
    space = (where / "space.lp").read_text(encoding="utf-8")
    spec = (where / "invariants.lp").read_text(encoding="utf-8")
    started = time.monotonic()
    messages: list[str] = []
    control = clingo.Control(["--warn=none"], logger=lambda _code, message: messages.append(message))
    try:
        rules.add_to(control, instrumented=False)
        control.add("base", [], space + "\n" + spec + f"\n{HIT}(N) :- violation(N, _).\n")
        control.ground([("base", [])], context=LegalTimeContext())
    except RuntimeError as e:
        raise InputError(str(where), "", "the rule base and checks/ do not ground together: "
                         + (" ".join(m.strip() for m in messages) or str(e))) from None
    outcomes: dict[str, Outcome] = {}
    todo = []
    for inv in invariants(spec):
        missing = [f"{n}/{a}" for n, a in inv.needs if (n, a) not in heads] + \
                  [f"action {a}" for a in inv.actions if a not in head_actions]
        if only is not None and inv.name not in only:
            continue
        outcomes[inv.name] = Outcome(inv.name, "skipped", note=", ".join(missing))
        if not missing:
            todo.append(inv)
    # Two rounds: each invariant first gets an equal share of the budget; those still undecided
    # then share what the quick ones left (the solver keeps what it learnt in between).
    for _ in range(2):
        undecided = [inv for inv in todo if outcomes[inv.name].status in ("skipped", "undecided")]
        for k, inv in enumerate(undecided):
            left = budget - (time.monotonic() - started)
            spent = outcomes[inv.name].seconds
            outcome = _solve_one(control, inv, max(left / (len(undecided) - k), 0.5))
            outcome.seconds += spent
            if outcome.status == "violated":
                _counterexample(outcome, inv, rules, where, out_dir, rules_arg, lang)
            outcomes[inv.name] = outcome
    return list(outcomes.values())


def _solve_one(control: clingo.Control, inv: Invariant, timeout: float) -> Outcome:
    atom = control.symbolic_atoms[clingo.Function(HIT, [clingo.Function(inv.name)])]
    if atom is None:                                  # no ground rule can even derive it
        return Outcome(inv.name, "holds")
    started, found = time.monotonic(), []

    def on_model(model):                              # each model is smaller than the last (#minimize)
        found.append(model.symbols(atoms=True))

    with control.solve(assumptions=[atom.literal], on_model=on_model, async_=True) as handle:
        first = None
        while not handle.wait(0.05):
            now = time.monotonic()
            first = first or (now if found else None)
            if now - started > timeout or (first and now - first > SHRINK):
                handle.cancel()
                break
        result = handle.get()
    outcome = Outcome(inv.name, "undecided", time.monotonic() - started)
    if found:
        outcome.status, outcome.model = "violated", found[-1]
    elif result.unsatisfiable:
        outcome.status = "holds"
    return outcome


# -- a model back to a scenario file ------------------------------------------------------------------

def _values(atoms, name: str, arity: int) -> list[list]:
    return sorted([[_py(a) for a in s.arguments] for s in atoms if s.name == name and len(s.arguments) == arity],
                  key=lambda row: [str(x) for x in row])


def _py(symbol: clingo.Symbol):
    if symbol.type == clingo.SymbolType.String:
        return symbol.string
    if symbol.type == clingo.SymbolType.Number:
        return symbol.number
    return symbol.name if not symbol.arguments else str(symbol)


def scenario_data(atoms: list[clingo.Symbol], title: str) -> dict:
    """The chosen input facts in the scenario format (docs/scenario-format.md)."""
    day = from_day
    one = lambda name, arity: {tuple(r[:-1]): r[-1] for r in _values(atoms, name, arity)}  # noqa: E731
    data: dict = {"name": title, "as_of": day(_values(atoms, "as_of", 1)[0][0])}
    order = {"supreme": 0, "high": 1, "intermediate": 2, "basic": 3}
    data["courts"] = [dict(id=c, name=n, level=lv, **({"parent": p} if p != "none" else {}))
                      for c, lv, p, n in sorted(_values(atoms, "sp_court", 4), key=lambda r: (order[r[1]], r[0]))]
    kinds, homes, insolvent = one("party_kind", 2), one("domicile", 2), {r[0] for r in _values(atoms, "insolvent", 1)}
    parties = []
    for (p,) in _values(atoms, "party", 1):
        party = {"id": p, "kind": kinds[(p,)]}
        if (p,) in homes:
            party["domicile"] = homes[(p,)]
        parties.append({**party, "insolvent": p in insolvent})
    if parties:
        data["parties"] = parties
    court, filed, applied, obligation, status = (one("case_court", 2), one("filed", 2), one("applied", 2),
                                                 one("obligation", 2), one("status", 2))
    debtor, found, expires = one("case_debtor", 2), one("asset_found", 3), one("measure_expires", 3)
    by, for_ = one("event_by", 3), one("event_for", 3)
    disposed = {tuple(r) for r in _values(atoms, "asset_disposed", 2)}
    cases = []
    for (k,) in _values(atoms, "case", 1):
        case = {"id": k, "court": court[(k,)], "filed": day(filed[(k,)])}
        if applied.get((k,), filed[(k,)]) != filed[(k,)]:
            case["applied"] = day(applied[(k,)])
        case.update(obligation=obligation[(k,)], status=status[(k,)])
        if (k,) in debtor:
            case["debtor"] = debtor[(k,)]
        circumstances = [x for kk, x in _values(atoms, "circumstance", 2) if kk == k]
        if circumstances:
            case["circumstances"] = circumstances
        assets = []
        for kk, a in _values(atoms, "asset", 2):
            if kk == k:
                asset = {"id": a, "found": day(found[(k, a)]), "disposed": (k, a) in disposed}
                if (k, a) in expires:
                    asset["measure_expires"] = day(expires[(k, a)])
                assets.append(asset)
        if assets:
            case["assets"] = assets
        events = []
        for kk, i, d, t in sorted(_values(atoms, "event", 4), key=lambda r: r[1]):
            if kk == k:
                event = {"date": day(d), "type": t}
                if (k, i) in by:
                    event["by"] = by[(k, i)]
                if (k, i) in for_:
                    event["for"] = for_[(k, i)]
                events.append(event)
        if events:
            case["events"] = events
        cases.append(case)
    data["cases"] = cases
    disputes = []
    for (d,) in _values(atoms, "dispute", 1):
        dispute = {"id": d, "courts": [c for dd, c in _values(atoms, "dispute_court", 2) if dd == d],
                   "kind": one("dispute_kind", 2)[(d,)]}
        cases_in = [k for dd, k in _values(atoms, "dispute_case", 2) if dd == d]
        if cases_in:
            dispute["cases"] = cases_in
        dates = one("negotiation_date", 3)
        rounds = []
        for dd, i, result in sorted(_values(atoms, "negotiation", 3), key=lambda r: r[1]):
            if dd == d:
                entry = {"between": [c for x, j, c in _values(atoms, "negotiation_between", 3) if (x, j) == (d, i)],
                         "result": result}
                if (d, i) in dates:
                    entry["date"] = day(dates[(d, i)])
                rounds.append(entry)
        if rounds:
            dispute["negotiations"] = rounds
        disputes.append(dispute)
    if disputes:
        data["disputes"] = disputes
    decisions = []
    fields = {f: one(f"decision_{f}", 2) for f in ("case", "debtor", "to", "received", "deadline", "from")}
    for i, kind, by_court, d in sorted(_values(atoms, "decision", 4), key=lambda r: r[0]):
        decision = {"kind": kind, "by": by_court}
        for f in ("case", "debtor"):
            if (i,) in fields[f]:
                decision[f] = fields[f][(i,)]
        decision["date"] = day(d)
        for f in ("received", "to", "deadline", "from"):
            if (i,) in fields[f]:
                value = fields[f][(i,)]
                decision[f] = day(value) if f in ("received", "deadline") else value
        decisions.append(decision)
    if decisions:
        data["decisions"] = decisions
    return data


def write_scenario(data: dict, path: Path, header: str) -> None:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=None, width=110)
    write_atomic(path, header + text)


def _counterexample(outcome: Outcome, inv: Invariant, rules: RuleBase, where: Path, out_dir: Path, rules_arg, lang) -> None:
    from .render import actor_name, conclusion_line
    from .solve import solve
    model = outcome.model
    witnesses = [s.arguments[1] for s in model if s.name == "violation" and s.arguments[0].name == outcome.invariant]
    outcome.witness = str(witnesses[0]) if witnesses else ""
    chosen = {s for s in model if (s.name, len(s.arguments)) in INPUT_SIGS}
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"check-counterexample-{outcome.invariant}.yaml"
    title = f"反例：不变式 {outcome.invariant}（crossexec check 生成）"
    command = f"crossexec ask {path}" + (f" --rules {rules_arg}" if rules_arg else "")
    write_scenario(scenario_data(model, title), path,
                   f"# crossexec check: a scenario breaking the invariant {outcome.invariant}\n"
                   f"# witness: violation({outcome.invariant}, {outcome.witness})\n# reproduce: {command}\n")
    outcome.file, outcome.command = path, command
    scenario = load_scenario(path)
    encoded = set(encode(scenario).facts)
    if encoded != chosen:                             # the file must say exactly what the solver chose
        raise RuntimeError(f"counterexample {path} does not encode to the chosen facts: "
                           f"missing {sorted(map(str, chosen - encoded))[:5]}, extra {sorted(map(str, encoded - chosen))[:5]}")
    if not _reproduces(rules, where, encoded, outcome.invariant):
        raise RuntimeError(f"counterexample {path} does not break {outcome.invariant} when solved again")
    answer = solve(scenario, rules)
    objects = _objects(witnesses[0]) if witnesses else set()
    keys = {(w.arguments[0], w.arguments[1].name, w.arguments[2], w.arguments[3]) for w in witnesses
            if "key" in inv.shows and len(w.arguments) == 4}
    for c in answer.conclusions:
        if c.key in keys or (c.object in objects and c.action in inv.shows):
            outcome.lines.append(f"{actor_name(answer, c.actor, lang)}　{conclusion_line(answer, c, lang)}")
    for positive, negative in answer.conflicts:
        outcome.lines.append(("冲突：" if lang == "zh" else "conflict: ") +
                             f"{positive.modality}/{negative.modality} {actor_name(answer, positive.actor, lang)} {positive.action}")


def _objects(witness: clingo.Symbol) -> set:
    """case(K) / dispute(D) objects a witness names (its strings are case or dispute ids)."""
    out = set()
    for arg in witness.arguments if witness.name == "" else [witness]:
        if arg.type == clingo.SymbolType.String:
            out |= {clingo.Function("case", [arg]), clingo.Function("dispute", [arg])}
        elif arg.type == clingo.SymbolType.Function and arg.name in ("case", "dispute"):
            out.add(arg)
    return out


def _reproduces(rules: RuleBase, where: Path, facts: set, invariant: str) -> bool:
    control = clingo.Control(["--warn=none"])
    rules.add_to(control, instrumented=False)
    control.add("base", [], "".join(f"{f}.\n" for f in facts) + (where / "invariants.lp").read_text(encoding="utf-8"))
    control.ground([("base", [])], context=LegalTimeContext())
    hits = []
    control.solve(on_model=lambda m: hits.extend(s for s in m.symbols(atoms=True)
                                                 if s.name == "violation" and s.arguments[0].name == invariant))
    return bool(hits)


# -- report ---------------------------------------------------------------------------------------------

def bounds(folder: Path) -> list[str]:
    """The bounds stated in the header of space.lp (the lines under "these are its bounds")."""
    text = (check_folder(folder) / "space.lp").read_text(encoding="utf-8").splitlines()
    out: list[str] = []
    for line in text:
        m = re.match(r"^%\s{3}(-\s.*|\s{2}\S.*)$", line)
        if m:
            item = m.group(1).strip()
            if item.startswith("- "):
                out.append(item[2:])
            elif out:
                out[-1] += " " + item
    return out


def run_search(folder: Path, survey, out_dir: Path, lang: str = "zh", rules_arg: str | None = None,
               budget: float | None = None) -> tuple[int, int]:
    """Print the search report; return how many invariants are violated and how many undecided."""
    zh = lang == "zh"
    started = time.monotonic()
    rules = load_rulebase(folder)
    outcomes = search(rules, folder, set(survey.heads), survey.concluded_actions(), out_dir, budget or BUDGET,
                      rules_arg, lang)
    seconds = time.monotonic() - started
    print("\n一致性搜索" if zh else "\nConsistency search")
    print(("  搜索范围（checks/space.lp）：" if zh else "  bounds (checks/space.lp):"))
    for b in bounds(folder):
        print(f"    - {b}")
    for o in outcomes:
        if o.status == "holds":
            print(f"  ✓ {o.invariant}: " + (f"在搜索范围内的所有情形中成立（已证明，{o.seconds:.1f} 秒）" if zh else
                                           f"holds for every scenario within the bounds (proved, {o.seconds:.1f} s)"))
        elif o.status == "skipped":
            print(f"  – {o.invariant}: " + (f"跳过——尚未编码（规则库缺少 {o.note}）" if zh else
                                           f"skipped — not yet encoded (the rule base lacks {o.note})"))
        elif o.status == "undecided":
            print(f"  ? {o.invariant}: " + (f"{o.seconds:.1f} 秒内未能判定（未找到反例，但未穷尽搜索范围）" if zh else
                                           f"not decided within {o.seconds:.1f} s (no counterexample found, bounds not exhausted)"))
        else:
            print(f"  ✗ {o.invariant}: " + ("找到反例" if zh else "counterexample found") + f" violation({o.invariant}, {o.witness})")
            print(f"    {'情形文件' if zh else 'scenario'}: {o.file}")
            print(f"    {'复现' if zh else 'reproduce'}: {o.command}")
            if o.lines:
                print(f"    {'相关结论' if zh else 'conclusions involved'}:")
                for line in o.lines:
                    print(f"      {line}")
    print(f"  {'用时' if zh else 'time'}: {seconds:.1f} s")
    return sum(o.status == "violated" for o in outcomes), sum(o.status == "undecided" for o in outcomes)

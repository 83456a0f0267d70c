"""Issue 15, "linear joins everywhere": what grounding the rule base costs per case, and which rules
it goes to, on seeded province ledgers (bench/make_ledger.py) of several sizes.

Three modes, all on the same ledgers:

  (default)   grounding CPU time and ground atoms per case, for this working tree's rules and for
              an older commit's (exported with `git archive`), alternated, each measurement in a
              fresh process (the period functions are memoized per process), medians;
  --profile   where the time goes, per rule: the atoms of one full answer are loaded as facts,
              then each rule's body alone (`_app_label(X…) :- Body.`) is grounded in its own
              program part and timed; the rules whose time grows faster than the cases (the
              exponent of time against cases between the smallest and the largest ledger) and
              the heaviest ones are listed;
  --same      the conclusions of `crossexec ask --format json` with this tree's rules and with
              the older commit's rules are identical (exit 1 if not), on ledgers of --same-cases
              cases for each seed of --same-seeds.

Usage: .venv/bin/python bench/bench_ground.py [--before REF] [--sizes 400,1600,6400] [--runs 3]
                                              [--profile] [--top 25] [--same] [--same-seeds 15,16]"""
from __future__ import annotations

import argparse
import json
import math
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_ledger import write  # noqa: E402
from revisions import export  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

# One grounding of the whole (instrumented) rule base, as `solve` does it, in a fresh process.
GROUND = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
import clingo
from crossexec.encode import encode
from crossexec.legaltime import LegalTimeContext
from crossexec.load import load_scenario
from crossexec.rulebase import load_rulebase
scenario, rules = load_scenario(sys.argv[2]), load_rulebase(sys.argv[3])
program = encode(scenario).program()
control = clingo.Control(["--warn=none"])
rules.add_to(control)
control.add("base", [], program)
start = time.process_time()
control.ground([("base", [])], context=LegalTimeContext())
cpu = time.process_time() - start
print(json.dumps({"cpu": cpu, "atoms": len(control.symbolic_atoms)}))
"""


def ground_once(rules: Path, ledger: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", GROUND, str(ROOT), str(ledger), str(rules)], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def compare(before: Path, ledgers: dict[int, Path], runs: int, ref: str) -> None:
    print(f"grounding, CPU seconds, median of {runs} (alternated); before = {ref}'s rules, after = this tree's")
    print(f"{'cases':>6}  {'before s':>8}  {'after s':>8}  {'ratio':>5}  {'ms/case b':>9}  {'ms/case a':>9}"
          f"  {'atoms/case b':>12}  {'atoms/case a':>12}")
    for n, ledger in ledgers.items():
        old, new = [], []
        for _ in range(runs):
            old.append(ground_once(before, ledger))
            new.append(ground_once(ROOT / "rules", ledger))
        b, a = statistics.median(r["cpu"] for r in old), statistics.median(r["cpu"] for r in new)
        print(f"{n:>6}  {b:>8.2f}  {a:>8.2f}  {b / a:>5.2f}  {1000 * b / n:>9.3f}  {1000 * a / n:>9.3f}"
              f"  {old[0]['atoms'] / n:>12.1f}  {new[0]['atoms'] / n:>12.1f}", flush=True)


# -- where the time goes ------------------------------------------------------------------------------

def profile_rules(rules_folder: Path, ledger: Path) -> dict[str, tuple[float, int]]:
    """label → (CPU seconds grounding that rule's body alone against the answer's atoms, its ground
    instances)."""
    import time

    import clingo
    from clingo import ast

    sys.path.insert(0, str(ROOT))
    from crossexec import rulebase as rb
    from crossexec.encode import encode
    from crossexec.legaltime import LegalTimeContext
    from crossexec.load import load_scenario

    scenario, base = load_scenario(str(ledger)), rb.load_rulebase(rules_folder)
    context = LegalTimeContext()
    control = clingo.Control(["--warn=none"])
    base.add_to(control, instrumented=False)
    control.add("base", [], encode(scenario).program())
    control.ground([("base", [])], context=context)
    with control.solve(yield_=True) as handle:
        atoms = next(iter(handle)).symbols(atoms=True)
    facts = "".join(f"{a}.\n" for a in atoms)
    probe = clingo.Control(["--warn=none"])
    probe.add("base", [], facts)
    loc = next(iter(base.rules.values())).statement.location
    with ast.ProgramBuilder(probe) as builder:
        for statement in base.definitions:
            builder.add(statement)
        for i, rule in enumerate(base.rules.values()):
            if not rule.heads:
                continue
            builder.add(ast.Program(loc, f"r{i}", []))
            head = ast.Literal(loc, ast.Sign.NoSign, ast.SymbolicAtom(ast.Function(
                loc, rb.APP + rule.label, [ast.Variable(loc, v) for v in rule.variables], 0)))
            builder.add(ast.Rule(loc, head, rule.statement.body))
    probe.ground([("base", [])], context=context)
    out = {}
    for i, rule in enumerate(base.rules.values()):
        if not rule.heads:
            continue
        start = time.process_time()
        probe.ground([(f"r{i}", [])], context=context)
        cpu = time.process_time() - start
        instances = sum(1 for _ in probe.symbolic_atoms.by_signature(rb.APP + rule.label, len(rule.variables)))
        out[rule.label] = (cpu, instances)
    return out


def profile(ledgers: dict[int, Path], top: int) -> None:
    sizes = sorted(ledgers)
    results = {n: profile_rules(ROOT / "rules", ledgers[n]) for n in sizes}
    small, large = sizes[0], sizes[-1]
    growth = math.log(large / small)

    def exponent(label: str, index: int) -> float:
        a, b = results[small][label][index], results[large][label][index]
        return math.log(b / a) / growth if a > 0 and b > 0 else float("nan")

    labels = list(results[large])
    total = {n: sum(t for t, _ in results[n].values()) for n in sizes}
    print(f"each rule's body grounded alone against one answer's atoms; CPU seconds summed over rules: "
          + ", ".join(f"{n:,} cases {total[n]:.2f} s" for n in sizes))
    print(f"'exp' = d log(time) / d log(cases) and d log(instances) / d log(cases) from {small:,} to {large:,} cases")
    header = f"{'rule':<44}" + "".join(f"{f'ms @{n}':>11}" for n in sizes) + f"{'inst @' + str(large):>13}  {'exp t':>5}  {'exp i':>5}"

    def row(label: str) -> str:
        return (f"{label:<44}" + "".join(f"{1000 * results[n][label][0]:>11.1f}" for n in sizes)
                + f"{results[large][label][1]:>13,}  {exponent(label, 0):>5.2f}  {exponent(label, 1):>5.2f}")

    print(f"\nheaviest {top} at {large:,} cases:\n" + header)
    for label in sorted(labels, key=lambda l: -results[large][l][0])[:top]:
        print(row(label))
    floor = 0.001 * total[large]      # rules below 0.1 % of the total are timer noise
    heavy = [l for l in labels if results[large][l][0] > floor]
    print(f"\ngrowing faster than the cases (time exponent > 1.2; rules under {1000 * floor:.1f} ms ignored):\n" + header)
    for label in sorted((l for l in heavy if exponent(l, 0) > 1.2), key=lambda l: -exponent(l, 0)):
        print(row(label))
    by_file: dict[str, float] = {}
    from crossexec.rulebase import load_rulebase
    files = {label: rule.file for label, rule in load_rulebase(ROOT / "rules").rules.items()}
    for label in labels:
        by_file[files[label]] = by_file.get(files[label], 0.0) + results[large][label][0]
    print(f"\nper rule file at {large:,} cases (ms):")
    for file, cpu in sorted(by_file.items(), key=lambda x: -x[1])[:15]:
        print(f"  {file:<24} {1000 * cpu:>9.1f}")


# -- same conclusions ---------------------------------------------------------------------------------

def conclusions(rules: Path, ledger: Path) -> dict:
    """The answer of `crossexec ask --format json` with the given rules (this tree's code)."""
    out = subprocess.run([sys.executable, "-c", ASK, str(ledger), str(rules)], check=True, capture_output=True,
                         text=True, cwd=ROOT).stdout
    return json.loads(out)


ASK = ("import sys; from crossexec.cli import main; "
       "sys.exit(main(['ask', sys.argv[1], '--format', 'json', '--rules', sys.argv[2]]))")


def canonical(answer: dict) -> dict:
    """The answer with its lists (conclusions, conflicts, warnings) in a fixed order."""
    return {key: sorted(value, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
            if isinstance(value, list) else value for key, value in answer.items()}


def same(before: Path, tmp: Path, cases: int, seeds: list[int]) -> bool:
    ok = True
    for seed in seeds:
        ledger = tmp / f"same{cases}-{seed}.yaml"
        write(ledger, cases, seed)
        old, new = conclusions(before, ledger), conclusions(ROOT / "rules", ledger)
        if old == new:
            verdict = "identical"
        elif canonical(old) == canonical(new):
            verdict = "identical but for the order of the lists"
        else:
            verdict, ok = "DIFFERENT", False
        print(f"ask --format json, {cases:,} cases, seed {seed}: {len(new['conclusions']):,} conclusions, "
              f"{len(new['conflicts']):,} conflicts, {len(new['warnings']):,} warnings: {verdict}", flush=True)
    return ok


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", default="14a48e9", help="the commit whose rules to compare with")
    parser.add_argument("--sizes", default="400,1600,6400")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="per-rule grounding time instead of before/after")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--same", action="store_true", help="check that ask's JSON answers are identical instead")
    parser.add_argument("--same-cases", type=int, default=2000)
    parser.add_argument("--same-seeds", default="15,16")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        if args.same:
            before = export(args.before, tmp) / "rules"
            sys.exit(0 if same(before, tmp, args.same_cases, [int(s) for s in args.same_seeds.split(",")]) else 1)
        ledgers = {}
        for n in (int(s) for s in args.sizes.split(",")):
            ledgers[n] = tmp / f"ledger{n}.yaml"
            write(ledgers[n], n, args.seed)
        if args.profile:
            profile(ledgers, args.top)
        else:
            compare(export(args.before, tmp) / "rules", ledgers, args.runs, args.before)


if __name__ == "__main__":
    main()

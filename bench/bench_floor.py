"""Issue 15: the floor under a sweep's rate on this machine, i.e. what clingo must do per case for
the rule base as written, measured on one core in one run.

For a seeded ledger (bench/make_ledger.py, 江苏) cut into the sweep's batches, it times per case:

  ground, as written   the rules without any provenance (RuleBase.plain): no answer can ground less
                       without changing the rules
  ground, labelled     what `ask` and `sweep` ground (RuleBase.labelled: plus each conclusion's `_by`)
  solve                clingo's search for the one answer set
  read shown atoms     the text of each shown atom, as solve reads it (solve.texts_of: two calls
                       into clingo's C library per atom, one buffer): no answer can be read without it
  whole batch          what a sweep worker does per case: encode, ground, solve, read, write JSON

and prints the rates these allow on --cores cores: "clingo alone" counts only grounding as written
and solving; "floor" adds reading the shown atoms; both as if loading, encoding, building
conclusions, writing JSON and the parent's work were free. A target rate above the floor cannot be reached with this rule base on
this engine and machine, whatever the Python around it does.

Each figure is the median over --runs runs of the same batches, after one warm-up run (a sweep
worker is warm after its first batch: the period computations are cached per process).

--batch sets the cases per clingo call (the sweep's default, 400; larger batches ground a little less
per case and hold more memory per worker).

Usage: .venv/bin/python bench/bench_floor.py [--cases 2000] [--runs 5] [--cores 2] [--batch 400]"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import clingo
from clingo import ast

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_ledger import write  # noqa: E402

from crossexec import RULES, sweep  # noqa: E402
from crossexec.encode import encode  # noqa: E402
from crossexec.legaltime import LegalTimeContext  # noqa: E402
from crossexec.rulebase import load_rulebase  # noqa: E402
from crossexec.solve import texts_of  # noqa: E402


def ground(statements, facts: str) -> tuple[clingo.Control, float]:
    control = clingo.Control(["--warn=none"])
    with ast.ProgramBuilder(control) as builder:
        for statement in statements:
            builder.add(statement)
    control.add("base", [], facts)
    started = time.process_time()
    control.ground([("base", [])], context=LegalTimeContext())
    return control, time.process_time() - started


def one_run(batches, rules, options) -> dict[str, float]:
    times = dict.fromkeys(("ground, as written", "ground, labelled", "solve", "read shown atoms", "whole batch"), 0.0)
    for scenario, facts in batches:
        times["ground, as written"] += ground(rules.plain, facts)[1]
        control, seconds = ground(rules.labelled, facts)
        times["ground, labelled"] += seconds
        started = time.process_time()
        with control.solve(yield_=True) as handle:
            shown = next(iter(handle)).symbols(shown=True)
        times["solve"] += time.process_time() - started
        started = time.process_time()
        texts = texts_of(shown)
        times["read shown atoms"] += time.process_time() - started
        started = time.process_time()
        sweep.solve_part(scenario, rules, options)
        times["whole batch"] += time.process_time() - started
        del texts
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--batch", type=int, default=sweep.BATCH_CASES)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ledger.yaml"
        write(path, args.cases)
        scenario = sweep.read_in_pieces(str(path), None)
        rules = load_rulebase(RULES)
        parts = [sweep.sub_scenario(scenario, part) for part in sweep.batches(sweep.components(scenario), args.batch)]
        batches = [(part, encode(part).program()) for part in parts]
        cases = sum(len(part.cases) for part in parts)
        options = sweep.Options("jsonl", False, None, None)
        one_run(batches, rules, options)                       # warm-up
        runs = [one_run(batches, rules, options) for _ in range(args.runs)]
    median = {key: statistics.median(run[key] for run in runs) / cases * 1000 for key in runs[0]}
    print(f"{cases:,} cases in {len(batches)} batches, median of {args.runs} runs, CPU ms per case on one core")
    for key, ms in median.items():
        print(f"  {key:<20} {ms:7.3f} ms")
    clingo_alone = median["ground, as written"] + median["solve"]
    print(f"clingo alone (ground as written + solve): {clingo_alone:.3f} ms per case: at most "
          f"{args.cores * 1000 / clingo_alone:,.0f} cases/s on {args.cores} cores, with everything else free")
    floor = clingo_alone + median["read shown atoms"]
    print(f"floor (clingo + read shown atoms): {floor:.3f} ms per case: at most "
          f"{args.cores * 1000 / floor:,.0f} cases/s on {args.cores} cores, with everything else free")
    print(f"a sweep worker's batch: {median['whole batch']:.3f} ms per case: at most "
          f"{args.cores * 1000 / median['whole batch']:,.0f} cases/s on {args.cores} cores, without the parent")


if __name__ == "__main__":
    main()

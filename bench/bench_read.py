"""Issue 15, "conclusions read from the model without Python-side rebuilding": for one batch of a
seeded ledger (the first batch `crossexec sweep` would solve), the CPU time of grounding, of the
rest of `solve` (encoding, solving, reading the answer set back: solve minus ground) and of
`conclusion_json` over every conclusion, for this working tree and for an older commit
(bench/revisions.py), alternated in the same run; medians. Each measurement is a new process that
loads the ledger, freezes its heap as sweep does, solves the batch once to warm up, then
`--repeat` times measured. The time of solve() outside grounding is split into what comes before
it (encoding; the rules and facts handed to clingo) and after it (the search, reading the answer
set, building the conclusions, freeing the solver). The JSON rows of both revisions are compared (a digest).

Usage: .venv/bin/python bench/bench_read.py [--before REF] [--cases 400] [--ledger 2000] [--runs 5]"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_ledger import write  # noqa: E402
from revisions import export  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
MEASURE = """
import gc, hashlib, json, sys, time
sys.path.insert(0, sys.argv[1])
import clingo
from crossexec.load import load_scenario
from crossexec.render import conclusion_json
from crossexec.rulebase import load_rulebase
from crossexec.solve import solve
from crossexec.sweep import batches, components, sub_scenario
scenario, rules = load_scenario(sys.argv[2]), load_rulebase(sys.argv[1] + "/rules")
batch = sub_scenario(scenario, next(batches(components(scenario), int(sys.argv[3]))))
gc.collect()
gc.freeze()
grounding = []                      # (start, end) of each Control.ground in this solve
ground = clingo.Control.ground
def timed_ground(self, *args, **kwargs):
    start = time.process_time()
    try:
        return ground(self, *args, **kwargs)
    finally:
        grounding.append((start, time.process_time()))
clingo.Control.ground = timed_ground
out = []
for run in range(1 + int(sys.argv[4])):
    grounding.clear()
    start = time.process_time()
    answer = solve(batch, rules)
    solved = time.process_time()
    rows = [conclusion_json(answer, c) for c in answer.conclusions]
    done = time.process_time()
    (ground_start, ground_end), = grounding
    if run:
        out.append({"ground": ground_end - ground_start, "pre": ground_start - start, "read": solved - ground_end,
                    "json": done - solved})
digest = hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()[:16]
print(json.dumps({"runs": out, "cases": len(batch.cases), "conclusions": len(rows), "digest": digest}))
"""


def measure(code: Path, ledger: Path, cases: int, repeat: int) -> dict:
    out = subprocess.run([sys.executable, "-c", MEASURE, str(code), str(ledger), str(cases), str(repeat)],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", default="14a48e9", help="the commit to compare with (default: before this change)")
    parser.add_argument("--cases", type=int, default=400, help="cases in the batch (sweep's default batch)")
    parser.add_argument("--ledger", type=int, default=2000, help="cases in the seeded ledger the batch is taken from")
    parser.add_argument("--runs", type=int, default=5, help="processes per revision, alternated")
    parser.add_argument("--repeat", type=int, default=3, help="measured solves per process, after one to warm up")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        before = export(args.before, Path(tmp))
        ledger = Path(tmp) / "ledger.yaml"
        write(str(ledger), args.ledger)
        parts = ("ground", "pre", "read", "json")
        times: dict[str, dict[str, list[float]]] = {name: {p: [] for p in parts} for name in ("before", "after")}
        seen = {}
        for _ in range(args.runs):
            for name, code in (("before", before), ("after", ROOT)):
                result = measure(code, ledger, args.cases, args.repeat)
                for run in result["runs"]:
                    for part, seconds in run.items():
                        times[name][part].append(seconds)
                seen.setdefault(name, set()).add((result["cases"], result["conclusions"], result["digest"]))
    cases = next(iter(seen["after"]))[0]
    m = {name: {part: statistics.median(values) for part, values in times[name].items()} for name in times}
    print(f"one batch of {cases} cases ({args.ledger:,}-case ledger), CPU ms, median of "
          f"{args.runs} processes x {args.repeat} solves, alternated")
    print("  ground: Control.ground; pre: solve() before it (encode, rules and facts added); read: solve()"
          " after it (search, reading the answer set, conclusions); json: conclusion_json of every conclusion")
    print(f"  {'':18}{'ground':>8}{'pre':>8}{'read':>8}{'json':>8}   read+json per case")
    for name in ("before", "after"):
        label = f"before ({args.before})" if name == "before" else "after"
        row = m[name]
        print(f"  {label:18}" + "".join(f"{row[p] * 1e3:8.0f}" for p in parts) +
              f"   {(row['read'] + row['json']) * 1e3 / cases:.2f} ms")
    b, a = m["before"], m["after"]
    print(f"  before/after: read {b['read'] / a['read']:.2f}, json {b['json'] / a['json']:.2f}, "
          f"read+json {(b['read'] + b['json']) / (a['read'] + a['json']):.2f}; "
          f"after: (read+json)/ground {(a['read'] + a['json']) / a['ground']:.2f}, "
          f"(pre+read+json)/ground {(a['pre'] + a['read'] + a['json']) / a['ground']:.2f}")
    print(f"  same conclusions: {'yes' if len(seen['before'] | seen['after']) == 1 else 'NO'} "
          f"{sorted(seen['before'] | seen['after'])}")


if __name__ == "__main__":
    main()

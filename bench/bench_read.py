"""Issue 15, "conclusions read from the model without Python-side rebuilding": for one batch of a
seeded ledger (the first batch `crossexec sweep` would solve), the CPU time of grounding, of the
rest of `solve` (encoding, solving, reading the answer set back: solve minus ground) and of
`conclusion_json` over every conclusion, for this working tree and for an older commit
(bench/revisions.py), alternated in the same run; medians. Each measurement is a new process that
loads the ledger, freezes its heap as sweep does, solves the batch once to warm up, then
`--repeat` times measured. The JSON rows of both revisions are compared (a digest).

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
grounding = [0.0]
ground = clingo.Control.ground
def timed_ground(self, *args, **kwargs):
    start = time.process_time()
    try:
        return ground(self, *args, **kwargs)
    finally:
        grounding[0] += time.process_time() - start
clingo.Control.ground = timed_ground
out = []
for run in range(1 + int(sys.argv[4])):
    grounding[0] = 0.0
    start = time.process_time()
    answer = solve(batch, rules)
    solved = time.process_time()
    rows = [conclusion_json(answer, c) for c in answer.conclusions]
    done = time.process_time()
    if run:
        out.append({"ground": grounding[0], "python": solved - start - grounding[0], "json": done - solved})
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
        times: dict[str, dict[str, list[float]]] = {name: {"ground": [], "python": [], "json": []}
                                                    for name in ("before", "after")}
        seen = {}
        for _ in range(args.runs):
            for name, code in (("before", before), ("after", ROOT)):
                result = measure(code, ledger, args.cases, args.repeat)
                for run in result["runs"]:
                    for part, seconds in run.items():
                        times[name][part].append(seconds)
                seen.setdefault(name, set()).add((result["cases"], result["conclusions"], result["digest"]))
    cases = next(iter(seen["after"]))[0]
    print(f"one batch of {cases} cases ({args.ledger:,}-case ledger), CPU ms, median of "
          f"{args.runs} processes x {args.repeat} solves (alternated):")
    print(f"  {'':9}{'ground':>8}{'python':>8}{'json':>8}   per case: ground / python / json (ms)")
    for name in ("before", "after"):
        m = {part: statistics.median(values) for part, values in times[name].items()}
        label = f"{name} ({args.before})" if name == "before" else name
        print(f"  {label:9}{m['ground'] * 1e3:8.0f}{m['python'] * 1e3:8.0f}{m['json'] * 1e3:8.0f}   "
              f"{m['ground'] * 1e3 / cases:.2f} / {m['python'] * 1e3 / cases:.2f} / {m['json'] * 1e3 / cases:.2f}")
    b = {part: statistics.median(values) for part, values in times["before"].items()}
    a = {part: statistics.median(values) for part, values in times["after"].items()}
    print(f"  before/after: python {b['python'] / a['python']:.2f}, json {b['json'] / a['json']:.2f}, "
          f"python+json {(b['python'] + b['json']) / (a['python'] + a['json']):.2f}; "
          f"after python/ground {a['python'] / a['ground']:.2f}")
    print(f"  same conclusions: {'yes' if len(seen['before'] | seen['after']) == 1 else 'NO'} "
          f"{sorted(seen['before'] | seen['after'])}")


if __name__ == "__main__":
    main()

"""Issue 15, "conclusions read from the model without Python-side rebuilding": the CPU time of one
`solve` (grounding, solving and reading the conclusions back) on a seeded province ledger, for
this working tree and for an older commit, alternated in the same run. CPU time of the process,
not wall time: the machine is shared.

Usage: .venv/bin/python bench/bench_solve.py [--before REF] [--cases 1000] [--runs 5]"""
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
import json, sys, time
sys.path.insert(0, sys.argv[1])
from crossexec.load import load_scenario
from crossexec.rulebase import load_rulebase
from crossexec.solve import solve
scenario, rules = load_scenario(sys.argv[2]), load_rulebase(sys.argv[1] + "/rules")
start = time.process_time()
answer = solve(scenario, rules)
print(json.dumps({"cpu": time.process_time() - start, "conclusions": len(answer.conclusions)}))
"""


def measure(code: Path, ledger: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", MEASURE, str(code), str(ledger)], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", default="307a522", help="the commit to compare with (default: before `_by`)")
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        before = export(args.before, Path(tmp))
        ledger = Path(tmp) / "ledger.yaml"
        write(str(ledger), args.cases)
        times: dict[str, list[float]] = {"before": [], "after": []}
        counts = set()
        for _ in range(args.runs):
            for name, code in (("before", before), ("after", ROOT)):
                result = measure(code, ledger)
                times[name].append(result["cpu"])
                counts.add((name, result["conclusions"]))
        b, a = statistics.median(times["before"]), statistics.median(times["after"])
        print(f"solve on {args.cases:,} cases, CPU seconds, median of {args.runs} (alternated):")
        print(f"  before ({args.before}): {b:.2f} s   after: {a:.2f} s   before/after: {b / a:.2f}")
        print(f"  conclusions: {sorted(counts)}")


if __name__ == "__main__":
    main()

"""Issue 15: `crossexec sweep` over seeded ledgers on the real courts of one province.

Generates ledgers of 10,000 and 100,000 cases (bench/make_ledger.py, 江苏 by default), runs
`crossexec sweep LEDGER --jobs N --out FILE` as a user would (a new process), and prints for each
size the median wall time, cases/s, the peak RSS of the largest process (the parent or one
worker: RUSAGE_CHILDREN of a wrapper process), the number of conclusions, and time(100k)/time(10k)
from the same run.

Usage: .venv/bin/python bench/bench_sweep.py [--sizes 10000,100000] [--runs 3] [--jobs 2]"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_ledger import write  # noqa: E402

CROSSEXEC = str(Path(sys.executable).parent / "crossexec")
# Runs the command and reports its wall time and the largest RSS among it and its waited-for children.
WRAPPER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
wall = time.perf_counter() - start
print(json.dumps({"wall": wall, "rc": done.returncode, "rss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
                  "err": done.stderr.splitlines()[:1]}))
"""


def one_run(ledger: Path, out: Path, jobs: int) -> dict:
    result = subprocess.run([sys.executable, "-c", WRAPPER, CROSSEXEC, "sweep", str(ledger), "--jobs", str(jobs),
                             "--out", str(out)], capture_output=True, text=True, check=True)
    record = json.loads(result.stdout)
    if record["rc"] != 0:
        raise SystemExit(f"sweep failed on {ledger}: {record['err']}")
    return record


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--province", default="js")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    walls = {}
    print(f"crossexec sweep, {args.province} courts, --jobs {args.jobs}, median of {args.runs} runs (new process each)")
    print(f"{'cases':>8}  {'wall s':>8}  {'cases/s':>8}  {'peak RSS MB':>11}  {'conclusions':>11}  {'YAML MB':>7}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            ledger, out = Path(tmp) / f"ledger{n}.yaml", Path(tmp) / f"out{n}.jsonl"
            write(ledger, n)
            runs = [one_run(ledger, out, args.jobs) for _ in range(args.runs)]
            wall = statistics.median(r["wall"] for r in runs)
            rss = statistics.median(r["rss_kb"] for r in runs) / 1024
            with open(out, encoding="utf-8") as f:
                conclusions = sum(1 for _ in f)
            walls[n] = wall
            print(f"{n:>8}  {wall:>8.1f}  {n / wall:>8.0f}  {rss:>11.0f}  {conclusions:>11}  "
                  f"{ledger.stat().st_size / 1e6:>7.1f}", flush=True)
            ledger.unlink()
            out.unlink()
    for small, large in zip(sizes, sizes[1:]):
        print(f"time({large})/time({small}) = {walls[large] / walls[small]:.2f}")


if __name__ == "__main__":
    main()

"""Issue 15: `crossexec why LEDGER "…"` on one conclusion of a large ledger.

Generates a seeded ledger (bench/make_ledger.py, 江苏), picks conclusions spread over it (from a
`sweep`, which also indexes the file), then times `why` as a user runs it (a new process each
time): warm (the index kept by the sweep) and cold (an empty cache: the file is checked and
indexed first). Reports median wall and CPU seconds (user + sys of the process).
Bytecode caching is left on (PYTHONDONTWRITEBYTECODE unset), as on a user's machine.

Usage: .venv/bin/python bench/bench_why_ledger.py [--cases 100000] [--runs 5] [--ledger FILE]"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_ledger import write  # noqa: E402

CROSSEXEC = str(Path(sys.executable).parent / "crossexec")


def timed(args: list[str], env: dict) -> tuple[float, float]:
    """(wall s, CPU s) of one command in a new process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(args, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--ledger", help="an existing ledger instead of a generated one")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["CROSSEXEC_CACHE"] = str(Path(tmp) / "cache")
        ledger = Path(args.ledger) if args.ledger else Path(tmp) / "ledger.yaml"
        if not args.ledger:
            write(ledger, args.cases)
        out = Path(tmp) / "out.jsonl"
        sweep = timed([CROSSEXEC, "sweep", str(ledger), "--out", str(out), "--no-progress"], env)
        lines = out.read_text(encoding="utf-8").splitlines()
        queries = [lines[i] for i in range(len(lines) // (args.runs + 1), len(lines), len(lines) // (args.runs + 1))][:args.runs]
        subprocess.run([CROSSEXEC, "why", str(ledger), queries[0]], env=env, check=True, stdout=subprocess.DEVNULL)
        warm = [timed([CROSSEXEC, "why", str(ledger), q, "--format", "json"], env) for q in queries]
        env["CROSSEXEC_CACHE"] = str(Path(tmp) / "empty")
        cold = timed([CROSSEXEC, "why", str(ledger), queries[0], "--format", "json"], env)
        small = timed([CROSSEXEC, "why", str(Path(__file__).resolve().parent.parent / "facts/examples/demo.yaml"),
                       "may 江苏省苏州市中级人民法院 elevate c1"], env)
    print(f"why on one conclusion of a {len(lines):,}-conclusion sweep of {ledger.name} "
          f"({ledger.stat().st_size / 1e6 if args.ledger else args.cases:,.0f}{' MB' if args.ledger else ' cases'})")
    print(f"  sweep (indexes the file):       {sweep[0]:7.1f} s wall")
    print(f"  why, warm (median of {len(warm)}):      {statistics.median(w for w, _ in warm):7.2f} s wall "
          f"{statistics.median(c for _, c in warm):6.2f} s CPU")
    print(f"  why, cold (checks and indexes): {cold[0]:7.2f} s wall {cold[1]:6.2f} s CPU")
    print(f"  why on facts/examples/demo.yaml (3 cases), for comparison: {small[0]:.2f} s wall {small[1]:.2f} s CPU")
    print(json.dumps({"warm": warm, "cold": cold, "small": small}))


if __name__ == "__main__":
    main()

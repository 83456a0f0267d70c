"""Issue 15, "Faster ask": `crossexec ask` (text and JSON) on seeded province ledgers, for this
working tree and for an older commit, in the same run (the older code is exported with
`git archive` into a temporary folder and run from there, with its own rules).

Usage: .venv/bin/python bench/bench_ask_ledger.py [--before REF] [--sizes 2000,5000] [--runs 3]"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_ledger import write  # noqa: E402
from revisions import export  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RUN = "import sys; sys.path.insert(0, sys.argv.pop(1)); from crossexec.cli import main; sys.exit(main())"


def seconds(code: Path, ledger: Path, fmt: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", RUN, str(code), "ask", str(ledger), "--format", fmt],
                   check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", default="cd42b20", help="the commit to compare with (default: before issue 15)")
    parser.add_argument("--sizes", default="2000,5000")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        before = export(args.before, Path(tmp))
        print(f"crossexec ask on province ledgers, median of {args.runs} runs, before = {args.before}, after = working tree")
        print(f"{'cases':>6}  {'format':>6}  {'before s':>9}  {'after s':>8}  {'before/after':>12}")
        for n in (int(s) for s in args.sizes.split(",")):
            ledger = Path(tmp) / f"ledger{n}.yaml"
            write(ledger, n)
            for fmt in ("json", "text"):
                old, new = [], []
                for _ in range(args.runs):          # alternated, so both see the same machine load
                    old.append(seconds(before, ledger, fmt))
                    new.append(seconds(ROOT, ledger, fmt))
                b, a = statistics.median(old), statistics.median(new)
                print(f"{n:>6}  {fmt:>6}  {b:>9.1f}  {a:>8.1f}  {b / a:>12.2f}", flush=True)


if __name__ == "__main__":
    main()

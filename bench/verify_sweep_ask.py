"""Issue 15: `sweep` and `ask` give the same conclusions on a generated ledger (by default 10,000
cases, bench/make_ledger.py). `ask --format json` answers the whole file in one solver call;
`sweep` answers it component by component (YAML read in pieces, --jobs workers). The conclusions
are compared as sets of their JSON objects, the warnings as sets; conflicts likewise.

Usage: .venv/bin/python bench/verify_sweep_ask.py [--cases 10000] [--seed 15] [--jobs 2]
Slow on purpose: `ask` on 10,000 cases takes minutes (README, "A whole caseload")."""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_ledger import write  # noqa: E402

CROSSEXEC = str(Path(sys.executable).parent / "crossexec")


def key(record: dict) -> str:
    return json.dumps(record, sort_keys=True, ensure_ascii=False)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ledger, out = Path(tmp) / "ledger.yaml", Path(tmp) / "sweep.jsonl"
        write(ledger, args.cases, seed=args.seed)
        started = time.perf_counter()
        asked = json.loads(subprocess.run([CROSSEXEC, "ask", str(ledger), "--format", "json"], check=True,
                                          capture_output=True, text=True).stdout)
        ask_seconds = time.perf_counter() - started
        started = time.perf_counter()
        swept = subprocess.run([CROSSEXEC, "sweep", str(ledger), "--jobs", str(args.jobs), "--out", str(out),
                                "--no-progress"], check=True, capture_output=True, text=True)
        sweep_seconds = time.perf_counter() - started
        rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    whole = {key(c) for c in asked["conclusions"]}
    split = {key(c) for c in rows}
    print(f"{args.cases:,} cases (seed {args.seed}): ask {len(asked['conclusions']):,} conclusions in {ask_seconds:.0f} s, "
          f"sweep {len(rows):,} in {sweep_seconds:.0f} s (--jobs {args.jobs})")
    print(f"  only in ask: {len(whole - split)}, only in sweep: {len(split - whole)}, "
          f"duplicates in sweep: {len(rows) - len(split)}")
    warned = {line[4:] for line in swept.stderr.splitlines() if line.startswith("  ! ")}
    same_warnings = warned == set(asked["warnings"])
    print(f"  warnings: ask {len(set(asked['warnings']))}, sweep {len(warned)}, the same: {same_warnings}")
    print(f"  conflicts in ask: {len(asked.get('conflicts', []))}; the sweep's summary: {swept.stderr.splitlines()[0]}")
    for record in sorted(whole ^ split)[:5]:
        print("  differs:", record[:300])
    return 0 if whole == split and len(rows) == len(split) and same_warnings else 1


if __name__ == "__main__":
    sys.exit(main())

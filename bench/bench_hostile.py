"""Issue 13, "Linear time": scenarios that used to take time quadratic in their size.

* a centralized debtor: N cases of one debtor, spread over the basic courts of two intermediate
  courts, with a centralization decision (arts. 12-14) — target: 1,000 cases under 5 s;
* a chain of courts N deep (each the parent of the next) — target: 2,000 deep refused or answered
  under 2 s.

Runs `crossexec ask` as a user would (a new process each time), prints the median of several runs
and the ratio between sizes (time grows linearly when doubling the cases doubles the time).
Usage: .venv/bin/python bench/bench_hostile.py [runs] [sizes…]"""
from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_scenario import COURTS  # noqa: E402

CROSSEXEC = str(Path(sys.executable).parent / "crossexec")
DEBTOR = "某集团公司"


def centralized(n: int) -> dict:
    """N money cases against one insolvent enterprise, round-robin over the eight basic courts,
    filed over two years, with a centralization decision by the intermediate court sz."""
    as_of = date(2024, 9, 30)
    cases = [{"id": f"c{i}", "court": f"b{i % 8}", "filed": as_of - timedelta(days=30 + (i * 7) % 700),
              "obligation": "money", "applicants": [f"申请人{i}"], "debtor": DEBTOR,
              "assets": [{"id": "a1", "location": f"b{(i + 3) % 8}", "found": as_of - timedelta(days=20)}]}
             for i in range(n)]
    return {"name": f"centralized debtor, {n} cases", "as_of": as_of, "courts": COURTS,
            "parties": [{"id": DEBTOR, "kind": "enterprise", "domicile": "b1", "insolvent": True}],
            "cases": cases,
            "decisions": [{"kind": "centralize", "by": "sz", "debtor": DEBTOR, "date": as_of - timedelta(days=10),
                           "received": as_of - timedelta(days=9), "to": "b1"}]}


def chain(n: int) -> dict:
    courts = [{"id": "k0", "name": "第0法院", "level": "supreme"}] + [
        {"id": f"k{i}", "name": f"第{i}法院", "level": "basic", "parent": f"k{i - 1}"} for i in range(1, n)]
    return {"name": f"chain {n}", "as_of": date(2024, 9, 30), "courts": courts,
            "cases": [{"id": "c1", "court": f"k{n - 1}", "filed": date(2024, 1, 2), "obligation": "money"}]}


def median_seconds(path: Path, runs: int) -> tuple[float, int]:
    times, code = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        code = subprocess.run([CROSSEXEC, "ask", str(path), "--format", "json"], capture_output=True).returncode
        times.append(time.perf_counter() - start)
    return statistics.median(times), code


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    sizes = [int(s) for s in sys.argv[2:]] or [250, 500, 1000]
    with tempfile.TemporaryDirectory() as tmp:
        print(f"crossexec ask --format json, new process per run, median of {runs} runs")
        for name, make, ns in (("centralized debtor", centralized, sizes), ("court chain", chain, [2000])):
            previous = None
            for n in ns:
                path = Path(tmp) / f"{name.replace(' ', '_')}{n}.yaml"
                path.write_text(yaml.safe_dump(make(n), allow_unicode=True, sort_keys=False), encoding="utf-8")
                seconds, code = median_seconds(path, runs)
                ratio = f"  ×{seconds / previous:.2f} vs the previous size" if previous else ""
                print(f"{name:>20} {n:>6}: {seconds:7.2f} s  exit {code}{ratio}")
                previous = seconds


if __name__ == "__main__":
    main()

"""Issue "Foundation": answering one scenario of 100 cases takes under 1 s from the shell.

Runs `crossexec ask` as a user would (a new process each time) on generated scenarios and prints
the median of several runs. Usage: .venv/bin/python bench/bench_ask.py [runs]"""
from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_scenario import write  # noqa: E402

CROSSEXEC = str(Path(sys.executable).parent / "crossexec")


def median_seconds(path: Path, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([CROSSEXEC, "ask", str(path), "--format", "json"], check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    with tempfile.TemporaryDirectory() as tmp:
        print(f"crossexec ask, new process per run, median of {runs} runs")
        print(f"{'cases':>6}  {'seconds':>8}")
        for n in (1, 100, 1000):
            path = Path(tmp) / f"bench{n}.yaml"
            write(path, n)
            print(f"{n:>6}  {median_seconds(path, runs):>8.3f}")


if __name__ == "__main__":
    main()

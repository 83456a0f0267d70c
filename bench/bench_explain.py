"""Issue 5 (explanations): what provenance costs.

On a generated 1,000-case scenario (bench/make_scenario.py: a small court tree, varied case facts)
this prints medians over several runs of
  * plain solving: the rule base without `_app` instrumentation (RuleBase.add_to(instrumented=False)),
  * instrumented solving: the same with `_app` records, as `crossexec ask` runs it (target ≤ 2× plain),
  * solving for explanations: `solve(explain=True)`, which also keeps every atom,
  * indexing one answer for explanations (once per answer), and
  * building one proof graph after that (target < 50 ms), over a sample of conclusions.
Not a unit test: timings depend on the machine. Usage: .venv/bin/python bench/bench_explain.py [runs] [cases]"""
from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import clingo

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_scenario import write  # noqa: E402

from crossexec import explain  # noqa: E402
from crossexec.encode import encode  # noqa: E402
from crossexec.legaltime import LegalTimeContext  # noqa: E402
from crossexec.load import load_scenario  # noqa: E402
from crossexec.rulebase import load_rulebase  # noqa: E402
from crossexec.solve import solve  # noqa: E402


def ground_and_solve(scenario, rules, instrumented: bool) -> int:
    """What solve() does, with or without the provenance rewriting; returns the model size."""
    control = clingo.Control(["--warn=none"])
    rules.add_to(control, instrumented=instrumented)
    control.add("base", [], encode(scenario).program())
    control.ground([("base", [])], context=LegalTimeContext())
    size = 0
    with control.solve(yield_=True) as handle:
        for model in handle:
            size = len(model.symbols(shown=True))
            break
    return size


def timed(function, runs: int) -> tuple[float, object]:
    """Median CPU seconds of this process (clingo grounds and solves in it, single-threaded): other
    work on a shared machine does not inflate them the way it inflates wall-clock time."""
    times, result = [], None
    for _ in range(runs):
        start = time.process_time()
        result = function()
        times.append(time.process_time() - start)
    return statistics.median(times), result


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    cases = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    rules = load_rulebase()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.yaml"
        write(path, cases)
        scenario = load_scenario(path)
    pairs = [(timed(lambda: ground_and_solve(scenario, rules, False), 1)[0],
              timed(lambda: ground_and_solve(scenario, rules, True), 1)[0]) for _ in range(runs)]
    plain, instrumented = (statistics.median(p[i] for p in pairs) for i in (0, 1))
    ratio = statistics.median(b / a for a, b in pairs)     # interleaved, so load on the machine hits both
    explained, answer = timed(lambda: solve(scenario, rules, explain=True), runs)
    indexing, _ = timed(lambda: explain.Explainer(answer), runs)
    sample = random.Random(5).sample(answer.conclusions, min(50, len(answer.conclusions)))
    cold, warm, sizes = [], [], []
    for c in sample:      # cold: a fresh Explainer per graph, as for one `crossexec why`
        answer._explainer = explain.Explainer(answer)
        start = time.process_time()
        sizes.append(len(explain.proof_graph(answer, c)))
        cold.append(time.process_time() - start)
    answer._explainer = explain.Explainer(answer)
    for c in sample:      # warm: one Explainer for all, as for `ask --explain`
        start = time.process_time()
        explain.proof_graph(answer, c)
        warm.append(time.process_time() - start)
    rows = [("plain solving (no _app)", plain, ""),
            ("instrumented solving", instrumented, f"{ratio:.2f}× plain, median of paired runs (target ≤ 2×)"),
            ("solve(explain=True)", explained, f"{explained / plain:.2f}× plain"),
            ("index one answer for explanations", indexing, "once per answer"),
            ("one proof graph, cold (median)", statistics.median(cold),
             f"target < 0.050 s; max {max(cold):.3f} s; median {statistics.median(sizes)} nodes, max {max(sizes)}"),
            ("one proof graph, warm (median)", statistics.median(warm), f"max {max(warm):.3f} s")]
    print(f"{cases} cases, {len(answer.conclusions)} conclusions, {len(answer.apps)} rule applications; "
          f"median of {runs} runs ({len(sample)} conclusions for the graph)")
    print(f"{'step':<36}{'CPU s':>9}  note")
    for name, seconds, note in rows:
        print(f"{name:<36}{seconds:>9.3f}  {note}")


if __name__ == "__main__":
    main()

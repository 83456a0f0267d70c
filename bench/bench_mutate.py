"""Issue 14: a whole `crossexec mutate` run over the scenario suite finishes in ≤ 10 minutes on the
2-core machine.

Runs the mutation test in-process, as `crossexec mutate --jobs N` does (the rule base, scenarios and
mutants loaded once, then forked workers), and prints the wall-clock time, the number of scenario
runs the selection needed against the number without it (every mutant × every scenario), and the
score per article. With --verify K it then checks K random pairs (mutant, scenario the selection
left out): each such scenario must pass against the mutant, or the selection is unsound.

Usage: .venv/bin/python bench/bench_mutate.py [--jobs N] [--article N …] [--verify K] [--json FILE]"""
from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time

from crossexec import RULES
from crossexec import mutate as mut
from crossexec import rulebase as rb

TARGET_SECONDS = 600.0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--article", action="append")
    parser.add_argument("--verify", type=int, default=0, metavar="K")
    parser.add_argument("--json", metavar="FILE", help="also write the report (crossexec mutate --format json) here")
    args = parser.parse_args()
    started = time.perf_counter()
    run = mut.mutate(RULES, [], mut.wanted_articles(args.article), args.jobs)
    seconds = time.perf_counter() - started
    cpu = sum(getattr(resource.getrusage(who), field) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
              for field in ("ru_utime", "ru_stime"))
    data = mut.summary(run)
    usable = sum(not b.problem for b in run.baselines)
    ran = sum(o.ran for o in run.outcomes)
    print(f"mutants: {len(run.outcomes)} (plus {run.refused} refused as unsafe), scenarios: {usable}, jobs: {args.jobs}")
    print(f"scenario runs against mutants: {ran} (without selection: {len(run.outcomes) * usable}, "
          f"{ran / max(1, len(run.outcomes) * usable):.1%})")
    print(f"wall clock: {seconds:.1f} s (target ≤ {TARGET_SECONDS:.0f} s) — {'ok' if seconds <= TARGET_SECONDS else 'TOO SLOW'}; "
          f"CPU time, parent and workers: {cpu:.1f} s (on a machine shared with other work, the wall clock exceeds CPU ÷ jobs)")
    sys.stdout.write(mut.render_text(data, "en").split("\n\n")[1].split("Surviving")[0].rstrip("\n") + "\n")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False, indent=2)
    unsound = verify(run, args.verify) if args.verify else []
    for m, path, why in unsound:
        print(f"UNSOUND: {m.id} fails {path} ({why}), which the selection left out")
    return 1 if unsound or seconds > TARGET_SECONDS else 0


def verify(run, count: int) -> list:
    """Half the pairs where the rule fired in the scenario left out (left out because the mutant
    derives the same heads there), half the others."""
    tests = {t.path: t for t in mut.load_tests([])}
    base = rb.load_rulebase()
    fired, other = mut.left_out(run)
    rng = random.Random(14)
    sample = rng.sample(fired, min(count // 2, len(fired)))
    sample += rng.sample(other, min(count - len(sample), len(other)))
    started = time.perf_counter()
    bad = []
    for m, path in sample:
        why = mut.verdict(tests[path], base.replace(m.label, m.statement))
        if why:
            bad.append((m, path, why))
    print(f"verified {len(sample)} left-out (mutant, scenario) pairs ({len(fired)} + {len(other)} in all) in "
          f"{time.perf_counter() - started:.1f} s: {len(bad)} unsound")
    return bad


if __name__ == "__main__":
    sys.exit(main())

"""Issue 7: `crossexec test` over 500 small scenario tests takes under 30 s.

Generates varied scenarios with `expect:` sections (articles 4, 6, 7, 9 and 民事诉讼法第237条; some
with `rests_on`) in a temporary folder, then times `crossexec test` over them in-process, the way
the command runs them: one rule base, loaded once. The expectations are chosen to hold, so the
figure is that of a green run; a failure is reported and makes the exit code 1.

Usage: .venv/bin/python bench/bench_scenarios.py [COUNT] [--keep DIR]"""
from __future__ import annotations

import io
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from crossexec.regress import Runner, discover, exit_code, report
from crossexec.rulebase import load_rulebase

TARGET_SECONDS = 30.0
HIERARCHIES = [
    ("江苏省高级人民法院", "江苏省苏州市中级人民法院", ["苏州市姑苏区人民法院", "昆山市人民法院", "苏州市吴江区人民法院"]),
    ("浙江省高级人民法院", "浙江省杭州市中级人民法院", ["杭州市西湖区人民法院", "杭州市余杭区人民法院", "桐庐县人民法院"]),
    ("广东省高级人民法院", "广东省惠州市中级人民法院", ["惠州市惠城区人民法院", "惠州市惠阳区人民法院", "博罗县人民法院"]),
]


def courts(h) -> tuple[str, str, list[str], str]:
    high, mid, basics = h
    lines = ["courts:", "  - {id: spc, name: 最高人民法院, level: supreme}",
             f"  - {{id: h, name: {high}, level: high, parent: spc}}",
             f"  - {{id: m, name: {mid}, level: intermediate, parent: h}}"]
    lines += [f"  - {{id: b{i}, name: {b}, level: basic, parent: m}}" for i, b in enumerate(basics)]
    return high, mid, basics, "\n".join(lines)


def scenario(i: int, rng: random.Random) -> str:
    high, mid, basics, court_lines = courts(rng.choice(HIERARCHIES))
    as_of = date(2024, 6, 17) + timedelta(days=rng.randrange(0, 560))   # the guidance applies from 2024-06-17 (art. 28)
    origin, other = rng.sample(basics, 2)
    kind = i % 5
    head = f"name: 基准情形{i}\nas_of: {as_of}\n{court_lines}\n"
    case = (f"cases:\n  - id: c1\n    court: {origin}\n    obligation: money\n    applicants: [申请人{i}]\n"
            f"    debtor: 被执行人{i}\n")
    if kind in (0, 1):       # art. 4: interference, over or well under six months
        overdue = kind == 0
        filed = as_of - timedelta(days=rng.randrange(220, 500) if overdue else rng.randrange(20, 150))
        circumstance = rng.choice(["illegal_interference", "first_of_kind", "national_interest"])
        body = case + f"    filed: {filed}\n    circumstances: [{circumstance}]\n"
        if overdue:
            rests = "rests_on: [指导意见第4条]" if rng.random() < 0.3 else "sources: [指导意见第4条]"
            expect = f"  present:\n    - {{modality: may, actor: {mid}, action: elevate, case: c1, {rests}}}\n"
        else:
            expect = f"  absent:\n    - {{actor: {mid}, action: elevate, case: c1}}\n    - {{actor: {high}, action: urge, case: c1}}\n"
    elif kind == 2:          # 民事诉讼法第237条: an asset known at application
        overdue = rng.random() < 0.5
        filed = as_of - timedelta(days=rng.randrange(220, 500) if overdue else rng.randrange(20, 150))
        body = case + f"    filed: {filed}\n    assets:\n      - {{id: a1, location: {other}, found: {filed}}}\n"
        expect = (f"  present:\n    - {{modality: may, actor: applicant, action: apply_superior, case: c1, target: {mid}}}\n"
                  if overdue else "  absent:\n    - {actor: applicant, action: apply_superior, case: c1}\n")
    else:                    # arts. 6, 7, 9: an instruction received, files not yet sent
        decided = as_of - timedelta(days=rng.randrange(0, 4))
        filed = decided - timedelta(days=rng.randrange(30, 120))
        body = case + f"    filed: {filed}\n"
        if kind == 4:
            body += f"    events:\n      - {{date: {as_of}, type: objection, by: debtor}}\n"
        body += (f"decisions:\n  - {{kind: instruct, by: {mid}, case: c1, date: {decided}, received: {decided}, "
                 f"to: {other}}}\n")
        expect = (f"  present:\n    - {{modality: must, actor: {origin}, action: transfer_files, case: c1, target: {other}}}\n"
                  f"    - {{modality: must, actor: {origin}, action: stop_execution, case: c1, target: none}}\n")
        if kind == 4:
            expect += f"    - {{modality: must, actor: {other}, action: hear_objection, case: c1, rests_on: [指导意见第9条]}}\n"
        expect += f"  absent:\n    - {{actor: {origin}, action: hear_objection, case: c1}}\n"
    return head + body + "expect:\n" + expect


def main(argv: list[str]) -> int:
    keep = argv[argv.index("--keep") + 1] if "--keep" in argv else None
    numbers = [a for a in argv if a.isdigit()]
    count = int(numbers[0]) if numbers else 500
    rng = random.Random(7)
    with tempfile.TemporaryDirectory(prefix="crossexec-bench-") as tmp:
        folder = Path(keep or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for i in range(count):
            (folder / f"s{i:04d}.yaml").write_text(scenario(i, rng), encoding="utf-8")
        start, cpu = time.perf_counter(), time.process_time()
        runner = Runner(load_rulebase())
        results = [runner.run(p) for p in discover([folder])]
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        out = io.StringIO()
        report(results, runner, out=out)
        failed = [r for r in results if r.status != "pass"]
        if failed:
            sys.stdout.write(out.getvalue().split("\n", 1)[1] if len(failed) < 5 else out.getvalue()[-3000:])
        verdict = "OK" if seconds < TARGET_SECONDS else "TOO SLOW"
        print(f"crossexec test: {len(results)} scenarios ({len(failed)} not passing) in {seconds:.1f} s "
              f"({1000 * seconds / max(len(results), 1):.0f} ms each; CPU {cpu:.1f} s; "
              f"target < {TARGET_SECONDS:.0f} s: {verdict})")
        return exit_code(results)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

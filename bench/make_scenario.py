"""Generate a synthetic scenario of N cases on the demo hierarchy (for benchmarks only)."""
from __future__ import annotations

import random
from datetime import date, timedelta

import yaml

COURTS = [
    {"id": "spc", "name": "最高人民法院", "level": "supreme"},
    {"id": "js", "name": "江苏省高级人民法院", "level": "high", "parent": "spc"},
    {"id": "sz", "name": "江苏省苏州市中级人民法院", "level": "intermediate", "parent": "js"},
    {"id": "nj", "name": "江苏省南京市中级人民法院", "level": "intermediate", "parent": "js"},
] + [{"id": f"b{i}", "name": f"第{i}基层人民法院", "level": "basic", "parent": "sz" if i % 2 else "nj"} for i in range(8)]
CIRCUMSTANCES = ["illegal_interference", "first_of_kind", "passive", "justified_delay", "no_assets_found"]


def scenario(n: int, seed: int = 7) -> dict:
    rng = random.Random(seed)
    as_of = date(2024, 9, 30)
    cases, decisions = [], []
    for i in range(n):
        filed = as_of - timedelta(days=rng.randint(30, 700))
        court = f"b{rng.randrange(8)}"
        case = {"id": f"c{i}", "court": court, "filed": filed, "obligation": rng.choice(["money", "conduct"]),
                "applicants": [f"申请人{i}"], "debtor": f"被执行人{i % 40}",
                "circumstances": rng.sample(CIRCUMSTANCES, rng.randint(0, 2)),
                "assets": [{"id": "a1", "location": f"b{rng.randrange(8)}", "found": filed + timedelta(days=rng.randint(0, 20)),
                            "measure_expires": as_of + timedelta(days=rng.randint(-10, 90))}],
                "events": []}
        if rng.random() < 0.3:
            case["excluded_periods"] = [{"from": filed + timedelta(days=10), "to": filed + timedelta(days=40), "reason": "appraisal"}]
        if rng.random() < 0.3:
            d = as_of - timedelta(days=rng.randint(1, 20))
            target = f"b{rng.randrange(8)}"
            decisions.append({"kind": "instruct", "by": "sz" if int(court[1:]) % 2 else "nj", "case": case["id"],
                              "date": d, "received": d, "to": target if target != court else "b0" if court != "b0" else "b1"})
            case["events"].append({"date": d, "type": "objection", "by": "debtor"})
        cases.append(case)
    decisions.sort(key=lambda d: d["date"])
    return {"name": f"benchmark {n} cases", "as_of": as_of, "courts": COURTS, "cases": cases, "decisions": decisions}


def write(path, n: int) -> None:
    with open(path, "w", encoding="utf-8") as f:
        yaml.safe_dump(scenario(n), f, allow_unicode=True, sort_keys=False)

"""Generate a seeded ledger (a scenario file) of N cases on the real courts of one province
(facts/courts/<province>.yaml), for bench/bench_sweep.py and the sweep tests.

Debtors have 1-5 cases at the province's basic courts; a case has 0-3 assets at other courts of
the province (one main), sometimes an excluded period, an objection, a measure; some cases are
instructed, elevated or urged by the intermediate court above them, some debtors' cases are
centralized, some pairs of cases are in a dispute between two courts."""
from __future__ import annotations

import random
import sys
from datetime import date, timedelta
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CIRCUMSTANCES = ["illegal_interference", "passive", "justified_delay", "no_assets_found", "first_of_kind"]
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def province_courts(province: str = "js") -> list[dict]:
    data = yaml.safe_load((ROOT / "facts/courts" / f"{province}.yaml").read_text(encoding="utf-8"))
    courts = [{k: v for k, v in c.items() if k in ("id", "name", "level", "parent", "kind")} for c in data["courts"]]
    return [{"id": "spc", "name": "最高人民法院", "level": "supreme"}] + courts


def ledger(n: int, seed: int = 15, province: str = "js") -> dict:
    rng = random.Random(seed)
    courts = province_courts(province)
    basic = [c for c in courts if c["level"] == "basic" and not c.get("kind")]
    parent = {c["id"]: c.get("parent") for c in courts}
    siblings: dict[str, list[str]] = {}
    for c in basic:
        siblings.setdefault(c["parent"], []).append(c["id"])
    as_of = date(2024, 9, 30)
    cases, decisions, disputes, parties = [], [], [], []
    debtor = 0
    while len(cases) < n:
        debtor += 1
        name = f"被执行人{debtor}"
        home = rng.choice(basic)["id"]
        parties.append({"id": name, "kind": rng.choice(["enterprise", "individual"]), "domicile": home})
        own = []
        for j in range(min(rng.randint(1, 5), n - len(cases))):
            court = home if j == 0 or rng.random() < 0.5 else rng.choice(basic)["id"]
            filed = as_of - timedelta(days=rng.randint(20, 900))
            case = {"id": f"k{len(cases)}", "number": f"(2024)苏{len(cases)}执", "court": court, "filed": filed,
                    "obligation": "money" if rng.random() < 0.9 else "conduct", "applicants": [f"申请人{len(cases)}"],
                    "debtor": name}
            if rng.random() < 0.2:
                case["circumstances"] = rng.sample(CIRCUMSTANCES, rng.randint(1, 2))
            assets = []
            for a in range(rng.randint(0, 3)):
                assets.append({"id": f"a{a}", "location": rng.choice(siblings[parent[court]] + [rng.choice(basic)["id"]]),
                               "found": filed + timedelta(days=rng.randint(0, 15)), "main": a == 0,
                               "measure_expires": as_of + timedelta(days=rng.randint(-20, 400))})
            if assets:
                case["assets"] = assets
            if rng.random() < 0.2:
                start = filed + timedelta(days=rng.randint(1, 60))
                case["excluded_periods"] = [{"from": start, "to": start + timedelta(days=rng.randint(10, 60)),
                                             "reason": rng.choice(["appraisal", "announcement", "suspension"])}]
            events = []
            if rng.random() < 0.3:
                events.append({"date": filed + timedelta(days=rng.randint(1, 10)), "type": "measure"})
            if rng.random() < 0.1:
                events.append({"date": as_of - timedelta(days=rng.randint(1, 10)), "type": "objection",
                               "by": rng.choice(["applicant", "debtor"])})
            events.sort(key=lambda e: e["date"])
            if events:
                case["events"] = events
            r = rng.random()
            d = as_of - timedelta(days=rng.randint(1, 15))
            if r < 0.05 and filed < d:
                to = rng.choice([c for c in siblings[parent[court]] if c != court] or [home])
                if to != court:
                    decisions.append({"kind": "instruct", "by": parent[court], "case": case["id"], "date": d,
                                      "received": d, "to": to})
            elif r < 0.08 and filed < d:
                decisions.append({"kind": "elevate", "by": parent[court], "case": case["id"], "date": d, "received": d})
            elif r < 0.12 and filed < d:
                decisions.append({"kind": "urge", "by": parent[court], "case": case["id"], "date": d, "received": d,
                                  "deadline": d + timedelta(days=30)})
            own.append(case)
            cases.append(case)
        if len(own) >= 3 and rng.random() < 0.1:
            courts_of = {c["court"] for c in own}
            if len({parent[c] for c in courts_of}) == 1:
                d = as_of - timedelta(days=rng.randint(1, 10))
                if all(c["filed"] < d for c in own):
                    decisions.append({"kind": "centralize", "by": parent[own[0]["court"]], "debtor": name, "date": d,
                                      "received": d, "to": own[0]["court"]})
        if len(own) >= 2 and own[0]["court"] != own[1]["court"] and rng.random() < 0.1:
            disputes.append({"id": f"x{len(disputes)}", "courts": [own[0]["court"], own[1]["court"]],
                             "kind": "priority_vs_first_seizure", "cases": [own[0]["id"], own[1]["id"]],
                             "negotiations": [{"between": [own[0]["court"], own[1]["court"]], "result": "failed",
                                               "date": as_of - timedelta(days=5)}]})
    decisions.sort(key=lambda d: d["date"])
    return {"name": f"台账 {n} 件（{province}，种子 {seed}）", "as_of": as_of, "courts": courts, "parties": parties,
            "cases": cases, "disputes": disputes, "decisions": decisions}


def write(path, n: int, seed: int = 15, province: str = "js") -> None:
    with open(path, "w", encoding="utf-8") as f:
        yaml.dump(ledger(n, seed, province), f, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)


if __name__ == "__main__":
    write(sys.argv[1], int(sys.argv[2]), *(int(a) for a in sys.argv[3:4]))

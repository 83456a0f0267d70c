"""`crossexec courts`: a court, its chain of superiors and its direct subordinates; or the lowest
common superior of several courts (computed by rules/core/courts.lp, the same rules the articles
use); or the court whose area holds an administrative division code."""
from __future__ import annotations

import sys

import clingo

from . import RULES, vocab
from .courts import CourtIndex
from .errors import InputError
from .encode import Encoding, encode_courts
from .model import Court
from .rulebase import RuleBase, _load_file


def _courts(args) -> tuple[dict[str, Court], str]:
    if args.scenario:
        from .load import load_scenario
        scenario = load_scenario(args.scenario)
        return scenario.courts, args.scenario
    from .national import load_national_courts
    return ({c["id"]: Court(c["id"], c["name"], c["level"], c.get("parent"), c.get("kind"), c.get("area"))
             for c in load_national_courts()}, "facts/courts")


def lowest_common_superior(courts: dict[str, Court], ids: list[str]) -> str | None:
    """Ask the rules: ground rules/core/courts.lp on the chains of the given courts."""
    base = RuleBase(RULES)
    _load_file(base, RULES / "core" / "courts.lp", RULES)
    index = CourtIndex(courts)
    needed = {c for court in ids for c in index.chain(court)}
    enc = Encoding()
    encode_courts(enc, [courts[c] for c in sorted(needed)])
    facts = enc.program() + "".join(f"group_member(query, {clingo.String(c)}).\n" for c in ids)
    control = clingo.Control(["--warn=none"])
    base.add_to(control, instrumented=False)
    control.add("base", [], facts)
    control.ground([("base", [])])
    with control.solve(yield_=True) as handle:
        for model in handle:
            found = [s.arguments[1].string for s in model.symbols(shown=True)
                     if s.name == "lowest_common_superior" and s.arguments[0].name == "query"]
            return found[0] if found else None
    return None


def run_courts(args) -> int:
    courts, source = _courts(args)
    index = CourtIndex(courts)
    if args.area:
        found = court_for_area(courts, args.area)
        if found is None:
            raise InputError(source, "--area", f"no court's area holds division code {args.area!r}")
        sys.stdout.write(describe(courts, index, found))
        return 0
    ids = []
    for ref in args.query:
        court_id, problem = index.resolve(ref)
        if problem:
            raise InputError(source, "QUERY", problem)
        ids.append(court_id)
    if not ids:
        raise InputError(source, "QUERY", "name at least one court (id or name)")
    if args.common:
        if len(set(ids)) < 2:
            raise InputError(source, "QUERY", "--common needs at least two different courts")
        common = lowest_common_superior(courts, ids)
        print(courts[common].name if common else "（无共同上级法院）")
        return 0 if common else 1
    for court_id in ids:
        sys.stdout.write(describe(courts, index, court_id))
    return 0


def describe(courts: dict[str, Court], index: CourtIndex, court_id: str) -> str:
    court = courts[court_id]
    kind = f"，{court.kind}" if court.kind else ""
    area = f"，区划代码 {court.area}" if court.area else ""
    lines = [f"{court.name}（{court_id}，{vocab.name(vocab.LEVELS, court.level)}{kind}{area}）"]
    chain = index.chain(court_id)[1:]
    lines.append("上级法院：" + (" → ".join(courts[c].name for c in chain) if chain else "（无）"))
    children = sorted((c for c in courts.values() if c.parent == court_id), key=lambda c: c.name)
    lines.append(f"直接下级法院（{len(children)}）：" + ("、".join(c.name for c in children) if children else "（无）"))
    if court.parent:   # 辖区内其他法院 of the same level: where an instruction (指令执行) may send a case
        peers = sorted((c for c in courts.values() if c.parent == court.parent and c.level == court.level
                        and c.id != court_id), key=lambda c: c.name)
        lines.append(f"同一上级法院辖区内的同级法院（{len(peers)}）：" + ("、".join(c.name for c in peers) or "（无）"))
    return "\n".join(lines) + "\n\n"


def court_for_area(courts: dict[str, Court], code: str) -> str | None:
    """The court whose area holds an administrative division: the court of that exact division
    (a basic court for a county or district), else of the enclosing prefecture, else province.
    Ordinary courts only — a special court's area is not a place's (海事、铁路 …)."""
    by_area = {c.area: c.id for c in sorted(courts.values(), key=lambda c: c.id) if c.area and not c.kind}
    code = code.strip()
    for candidate in (code, code[:4] + "00", code[:2] + "0000"):
        if candidate in by_area:
            return by_area[candidate]
    return None

"""`crossexec test` and `crossexec diff`: scenario expectations, snapshots, and rule-base comparison.

The rule base is loaded once and reused for every scenario (no process per scenario). A scenario
file is a test when it has an `expect:` section (tests/scenarios/README.md); others are counted and
skipped. `<scenario>.snapshot.json` beside a scenario (written by `--update`) is compared too.

Exit codes (README.md): test — 0 all pass, 1 some expectation or snapshot failed (or the rules give
a scenario no answer set), 2 a scenario or rule file is bad input. diff — 0: it is a report, it lists
what changed and judges nothing; 2 on bad input (an unknown ref, an unreadable scenario)."""
from __future__ import annotations

import contextlib
import io
import json
import re
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import ROOT, RULES, vocab
from .errors import InputError, cut, escape
from .files import read_text, write_atomic
from . import explain
from .expect import NONE, Proofs, at_least, check, cites, holder_of, parse_expect, target_id
from .load import load_scenario
from .render import query_form, to_json
from .rulebase import RuleBase, instantiate, load_rulebase
from .solve import MODAL, solve

WORDS = {
    "zh": {"pass": "通过", "fail": "失败", "error": "输入错误", "title": "情形测试", "rules": "规则库",
           "total": "合计：{n} 个情形，{p} 通过，{f} 失败，{e} 输入错误；{s} 个文件无 expect:，已跳过。",
           "items": "{n} 项", "failed_items": "{k}/{n} 项未满足", "details": "失败详情",
           "expected": "期望", "absent": "不应有", "any": "任一模态", "got": "实际", "none_same": "没有同一主体、行为、对象的结论",
           "hit": "却得出", "rule": "规则", "could": "得出该行为的规则", "no_rule": "（规则库中没有得出该行为的规则）",
           "proof": "证明所经规则", "whynot": "为何不成立", "why": "证明", "deadline": "期限", "sources": "依据",
           "rests_on": "证明须引用", "weaker": "模态 {got} 弱于期望的 {want}", "family": "模态 {got} 与期望的 {want} 方向相反",
           "target": "目标法院 {got}，期望 {want}", "no_target": "无", "dl": "期限 {got}，期望 {want}",
           "rank": "排序 {got}，期望 {want}", "holder": "行使方式 {got}，期望 {want}",
           "cite": "未引用 {s}", "rest": "证明中没有引用 {s} 的规则", "snapshot": "与快照 {f} 不同（确认无误后运行 crossexec test --update）：",
           "no_answer": "规则库对该情形没有回答集：{m}", "updated": "已写入 {n} 个快照。", "empty": "没有找到带 expect: 的情形。",
           "diff_title": "规则比较：旧 {old} → 新 {new}", "diff_none": "{n} 个情形的结论和理由均无变化。",
           "diff_some": "{n} 个情形中 {k} 个的结论或理由有变化：", "proof_rules": "证明所用规则", "modality": "模态",
           "conflict": "冲突", "rule_changed": "得出规则", "sep": "；", "list": "、", "snapshot_short": "与快照不同",
           "crash": "内部错误", "crashed": "{n} 个情形引发内部错误（程序缺陷，非输入问题），其余情形照常运行。"},
    "en": {"pass": "pass", "fail": "FAIL", "error": "bad input", "title": "Scenario tests", "rules": "rules",
           "total": "Total: {n} scenarios, {p} passed, {f} failed, {e} bad input; {s} files without expect: skipped.",
           "items": "{n} expectations", "failed_items": "{k}/{n} expectations failed", "details": "Failures",
           "expected": "expected", "absent": "must not hold", "any": "any modality", "got": "got", "none_same": "no conclusion with the same actor, action and object",
           "hit": "but got", "rule": "rule", "could": "rules deriving this act", "no_rule": "(no rule in the rule base derives this act)",
           "proof": "rules in its proof", "whynot": "why not", "why": "proof", "deadline": "deadline", "sources": "sources",
           "rests_on": "proof must cite", "weaker": "modality {got} is weaker than the expected {want}", "family": "modality {got} is the opposite of the expected {want}",
           "target": "target {got}, expected {want}", "no_target": "none", "dl": "deadline {got}, expected {want}",
           "rank": "rank {got}, expected {want}", "holder": "holder {got}, expected {want}",
           "cite": "does not cite {s}", "rest": "no rule in its proof cites {s}", "snapshot": "differs from the snapshot {f} (if intended, run crossexec test --update):",
           "no_answer": "the rule base gives this scenario no answer set: {m}", "updated": "{n} snapshots written.", "empty": "no scenario with expect: found.",
           "diff_title": "Rule comparison: old {old} → new {new}", "diff_none": "conclusions and reasons unchanged in all {n} scenarios.",
           "diff_some": "{k} of {n} scenarios changed conclusions or reasons:", "proof_rules": "rules in the proof", "modality": "modality",
           "conflict": "conflict", "rule_changed": "deriving rules", "sep": "; ", "list": ", ", "snapshot_short": "differs from its snapshot",
           "crash": "CRASH", "crashed": "{n} scenarios hit an internal error (a bug, not bad input); the others ran."},
}


# -- finding scenarios --------------------------------------------------------------------------------

def default_paths() -> list[Path]:
    here = Path("tests/scenarios")
    return [here if here.is_dir() else ROOT / "tests" / "scenarios"]


def discover(paths) -> list[Path]:
    """Every *.yaml under the given files and folders, sorted; a missing path is bad input."""
    found: list[Path] = []
    for path in [Path(p) for p in paths] or default_paths():
        if path.is_dir():
            found += sorted(p for p in path.rglob("*.yaml") if p.is_file())
        elif path.is_file():
            found.append(path)
        else:
            raise InputError(str(path), "", "no such scenario file or folder")
    return list(dict.fromkeys(found))


def has_expect(path: Path) -> bool:
    """Does the file have a top-level `expect:`? An unreadable file counts as a test, so that its
    error is reported rather than silently skipped."""
    try:
        node = yaml.compose(read_text(path), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (InputError, yaml.YAMLError, RecursionError):
        return True
    return isinstance(node, yaml.MappingNode) and any(k.value == "expect" for k, _ in node.value)


def snapshot_path(path: Path) -> Path:
    return path.with_suffix(".snapshot.json")


def shown(path: Path) -> str:
    """A path as the report prints it: relative to the current folder if inside it, escaped."""
    with contextlib.suppress(ValueError):
        return escape(str(path.resolve().relative_to(Path.cwd().resolve())))
    return escape(str(path))


# -- rule bases: a folder or a git ref ---------------------------------------------------------------

def rules_folder(value: str | None, scratch: contextlib.ExitStack) -> tuple[Path, str]:
    """(folder, description) for --rules: a folder (a rules/ folder or a checkout holding one) or a
    git ref of this repository, whose rules/ is extracted into a temporary folder."""
    if value is None:
        return RULES, "rules/"
    path = Path(value)
    if path.is_dir():
        for folder in (path, path / "rules"):
            if (folder / "core").is_dir():
                return folder, str(path)
        raise InputError(value, "--rules", "expected a rules folder (with core/, cited/, guidance/) or a git ref")
    tree = git_tree(value)
    try:   # the tree is a hash git resolved: no text of the user's reaches git as an option
        tar = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", tree, "rules"],
                             capture_output=True, check=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError) as e:
        detail = getattr(e, "stderr", b"") or b""
        raise InputError(value, "--rules", f"git ref {tree} has no rules/ folder "
                         f"({detail.decode(errors='replace').strip() or e})") from None
    target = Path(scratch.enter_context(tempfile.TemporaryDirectory(prefix="crossexec-rules-")))
    with tarfile.open(fileobj=io.BytesIO(tar)) as archive:
        archive.extractall(target, filter="data")
    return target / "rules", f"{value} (git)"


def git_tree(value: str) -> str:
    """The tree hash of the git ref `value` (a commit, tag or branch of this repository), resolved
    with `git rev-parse --verify --end-of-options VALUE^{tree}`: a value such as `--output=FILE` is
    a name to look up, never an option."""
    not_ref = "expected a rules folder or a git ref of this repository"
    if not value or "\0" in value:
        raise InputError(value, "--rules", not_ref)
    try:
        done = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--verify", "--quiet", "--end-of-options",
                               f"{value}^{{tree}}"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as e:
        raise InputError(value, "--rules", f"{not_ref} (git: {e})") from None
    tree = done.stdout.strip()
    if done.returncode != 0 or not re.fullmatch(r"[0-9a-f]{40,64}", tree):
        raise InputError(value, "--rules", not_ref)
    return tree


# -- running one scenario -----------------------------------------------------------------------------

@dataclass
class Result:
    path: Path
    status: str                      # pass | fail | error | crash | skip
    name: str = ""
    total: int = 0
    failed: int = 0
    report: list[str] = field(default_factory=list)   # failure details, already in the chosen language
    labels: set[str] = field(default_factory=set)     # the rules that fired (`_app` labels)
    warnings: list[str] = field(default_factory=list)


class Runner:
    """Runs scenario files against one rule base, loaded once."""

    def __init__(self, rules: RuleBase | None = None, lang: str = "zh", record_labels: bool = False):
        self.rules = rules or load_rulebase()
        self.lang, self.words = lang, WORDS[lang]
        self.record_labels = record_labels    # keep the labels of the rules that fired (coverage checks)

    def run(self, path: Path, update: bool = False) -> Result:
        """One scenario's result; a crash (a bug, not the scenario's fault) is that scenario's
        result too, so that the other scenarios still run and the table is printed."""
        try:
            return self._run(Path(path), update)
        except Exception as e:  # noqa: BLE001 — reported in the table, with exit code 3 at the end
            return Result(Path(path), "crash", report=[f"{type(e).__name__}: {cut(escape(str(e)))}"])

    def _run(self, path: Path, update: bool = False) -> Result:
        if not has_expect(path):
            return Result(path, "skip")
        try:
            scenario = load_scenario(path)
            expectations = parse_expect(scenario)
            if expectations is None:      # `expect:` written with no value
                raise InputError(str(path), "expect", "expected present:/absent: lists", scenario.lines.get("expect"))
        except InputError as e:
            return Result(path, "error", report=[str(e)])
        result = Result(path, "pass", scenario.name, len(expectations.all))
        try:   # `rests_on` reads the proof graph, which needs every atom: solve once, with them
            answer = solve(scenario, self.rules, explain=any(e.rests_on for e in expectations.all))
        except InputError as e:           # no answer set: the rules, not the scenario, are in question
            result.status, result.failed = "fail", result.total
            result.report.append(self.words["no_answer"].format(m=e.expected))
            return result
        proofs = Proofs(answer)
        failures = check(expectations, answer, proofs)
        if failures:
            explained = solve(scenario, self.rules, explain=True)   # all atoms, for why / why not
            explained_proofs = Proofs(explained)
            for e, related in failures:
                related = [c for c in explained.conclusions if any(c.atom == r.atom for r in related)]
                result.report += describe_failure(explained, explained_proofs, e, related, self.lang)
        result.failed = len(failures)
        result.warnings = list(answer.warnings)
        if self.record_labels:
            result.labels = {label for label, _ in answer.apps + answer.derived}   # apps: all, when explaining
        target = snapshot_path(path)
        if update:
            text = dump(snapshot(answer, proofs))
            if read_snapshot_text(target) != text:
                write_atomic(target, text)
        elif target.exists():
            old, problem = read_snapshot(target)
            try:
                changes = [problem] if problem else compare(old, snapshot(answer, proofs), self.lang)
            except (KeyError, TypeError, AttributeError, ValueError) as e:   # well-formed JSON, wrong shape
                changes = [f"{target.name}: not a readable snapshot ({type(e).__name__}: {cut(escape(str(e)), 120)}); "
                           "rewrite it with crossexec test --update"]
            if changes:
                result.report += [self.words["snapshot"].format(f=target.name)] + ["  " + c for c in changes]
        if result.report:
            result.status = "fail"
        return result


def read_snapshot_text(path: Path) -> str | None:
    try:
        return read_text(path)
    except InputError:
        return None


def read_snapshot(path: Path) -> tuple[dict | None, str | None]:
    """(snapshot, None), or (None, what is wrong with it): an empty, corrupt or unreadable snapshot
    fails its own scenario only."""
    text = read_snapshot_text(path)
    try:
        data = json.loads(text) if text is not None else None
    except (ValueError, RecursionError) as e:
        return None, f"{path.name}: not a readable snapshot ({cut(escape(str(e)), 120)}); rewrite it with crossexec test --update"
    if not isinstance(data, dict) or not isinstance(data.get("conclusions", []), list) or not all(
            isinstance(c, dict) and isinstance(c.get("modality"), str) and isinstance(c.get("actor"), str)
            for c in data.get("conclusions", [])):
        return None, f"{path.name}: not a readable snapshot (expected the JSON object crossexec test --update writes); rewrite it with crossexec test --update"
    return data, None


def exit_code(results: list[Result]) -> int:
    statuses = {r.status for r in results}
    return 3 if "crash" in statuses else 2 if "error" in statuses else 1 if "fail" in statuses else 0


def run_paths(paths, runner: Runner, update: bool = False, out=None) -> int:
    """Run and print the table and the failure details; return the exit code."""
    return report([runner.run(p, update) for p in discover(paths)], runner, update, out)


def report(results: list[Result], runner: Runner, update: bool = False, out=None) -> int:
    w, out = runner.words, out or sys.stdout
    tested = [r for r in results if r.status != "skip"]
    folder = shown(runner.rules.folder)
    out.write(f"{w['title']}（{w['rules']} {folder}）\n" if runner.lang == "zh" else f"{w['title']} ({w['rules']} {folder})\n")
    for r in tested:
        note = (w["items"].format(n=r.total) if r.status == "pass" else
                w["failed_items"].format(k=r.failed, n=r.total) if r.status == "fail" and r.failed else
                r.report[0] if r.status in ("error", "crash") else w["snapshot_short"])
        out.write(f"  {w[r.status]:<6} {shown(r.path)}  {note}\n")
    counts = {s: sum(r.status == s for r in results) for s in ("pass", "fail", "error", "crash", "skip")}
    out.write(w["total"].format(n=len(tested), p=counts["pass"], f=counts["fail"], e=counts["error"], s=counts["skip"]) + "\n")
    if counts["crash"]:
        out.write(w["crashed"].format(n=counts["crash"]) + "\n")
    if not tested:
        out.write(w["empty"] + "\n")
    failed = [r for r in tested if r.status == "fail"]
    if failed:
        out.write(f"\n{w['details']}\n")
        for r in failed:
            out.write(f"\n✗ {shown(r.path)} — {r.name}\n")
            out.writelines(f"  {line}\n" for line in r.report)
    for r in tested:
        if r.status == "error":
            print(f"crossexec: {r.report[0]}", file=sys.stderr)
        elif r.status == "crash":
            print(f"crossexec: internal error in {shown(r.path)}: {r.report[0]} (set CROSSEXEC_DEBUG=1 "
                  "and run it alone for details)", file=sys.stderr)
    if update:
        out.write(w["updated"].format(n=sum(snapshot_path(r.path).exists() for r in tested)) + "\n")
    return exit_code(results)


def run_test(args) -> int:
    with contextlib.ExitStack() as scratch:
        folder, _ = rules_folder(args.rules, scratch)
        runner = Runner(load_rulebase(folder), args.lang)
        return run_paths(args.paths, runner, args.update)


# -- describing a failure -----------------------------------------------------------------------------

def describe_expectation(answer, e, lang: str, query_only: bool = False) -> str:
    """In the form `why`/`whynot` accept (modality actor action object [-> target]), then the rest."""
    w = WORDS[lang]
    actor = answer.scenario.court_name(e.actor) if e.actor in answer.scenario.courts else e.actor
    text = f"{e.modality or w['any']} {actor} {e.action} {e.object[1]}"
    if e.target is not None:
        text += f" -> {answer.scenario.court_name(e.target) if e.target != NONE else NONE}"
    if query_only:
        return text
    extra = ([f"{w['deadline']} {e.deadline.isoformat()}"] if e.deadline else []) + \
            ([f"{w['sources']} {w['list'].join(e.sources)}"] if e.sources else []) + \
            ([f"{w['rests_on']} {w['list'].join(e.rests_on)}"] if e.rests_on else []) + \
            ([w["rank"].split(" ")[0] + f" {e.rank}"] if e.rank is not None else []) + \
            ([w["holder"].split(" ")[0] + f" {e.holder}"] if e.holder else [])
    return text + (f"（{'；'.join(extra)}）" if extra and lang == "zh" else f" ({'; '.join(extra)})" if extra else "")


def describe_conclusion(answer, c) -> str:
    extra = ([f"{c.deadline.isoformat()}"] if c.deadline else []) + ["、".join(c.sources)]
    return f"{query_form(answer, c)}  [{' · '.join(extra)}]"


def mismatches(answer, proofs, e, c, lang: str) -> list[str]:
    """Why conclusion c (same actor, action, object) does not satisfy e."""
    w, out = WORDS[lang], []
    if e.modality and not at_least(c.modality, e.modality):
        same_family = (c.modality in vocab.POSITIVE) == (e.modality in vocab.POSITIVE)
        out.append(w["weaker" if same_family else "family"].format(got=c.modality, want=e.modality))
    if e.target is not None and target_id(c.target) != e.target:
        name = lambda t: answer.scenario.court_name(t) if t != NONE else w["no_target"]  # noqa: E731
        out.append(w["target"].format(got=name(target_id(c.target)), want=name(e.target)))
    if e.deadline is not None and c.deadline != e.deadline:
        out.append(w["dl"].format(got=c.deadline.isoformat() if c.deadline else "—", want=e.deadline.isoformat()))
    if e.rank is not None and c.rank != e.rank:
        out.append(w["rank"].format(got=c.rank if c.rank is not None else "—", want=e.rank))
    if e.holder is not None and holder_of(c) != e.holder:
        out.append(w["holder"].format(got=holder_of(c), want=e.holder))
    out += [w["cite"].format(s=s) for s in e.sources if not cites(c.sources, s)]
    out += [w["rest"].format(s=s) for s in e.rests_on if not cites(proofs.sources(c), s)]
    return out


def rule_line(rules: RuleBase, label: str, lang: str = "zh") -> str:
    r = rules.rules[label]
    if lang == "zh":
        return f"{label}（{'、'.join(r.sources)}，rules/{r.file}:{r.line}）"
    return f"{label} ({', '.join(r.sources)}, rules/{r.file}:{r.line})"


def candidate_rules(answer, e) -> list[str]:
    """Rules whose head is a modality (any) of this action: where the expected conclusion would come from."""
    out = []
    for rule in answer.rulebase.rules.values():
        sig = rule.head_signature
        if not sig or sig[0] not in MODAL or sig[1] != 4:
            continue
        for head in rule.head_alternatives:
            try:
                action = instantiate(head.arguments[1], {}, answer.call)
            except (KeyError, ValueError):
                action = None                      # a variable: the rule may derive any action
            if action is None or action.name == e.action:
                out.append(rule.label)
                break
    return out


def describe_failure(answer, proofs, e, related, lang: str) -> list[str]:
    w = WORDS[lang]
    lines = [f"{e.path}：" if lang == "zh" else f"{e.path}:"]
    if e.kind == "present":
        lines.append(f"  {w['expected']}: {describe_expectation(answer, e, lang)}")
        if not related:
            lines.append(f"  {w['got']}: {w['none_same']}")
        for c in related:
            lines.append(f"  {w['got']}: {describe_conclusion(answer, c)}")
            lines += [f"    ≠ {m}" for m in mismatches(answer, proofs, e, c, lang)]
            lines += [f"    {w['rule']}: {rule_line(answer.rulebase, label, lang)}" for label in c.rules]
        candidates = candidate_rules(answer, e)
        lines.append(f"  {w['could']}: " + (w["sep"].join(f"{answer.rulebase.rules[r].head_signature[0]} "
                                                          f"{rule_line(answer.rulebase, r, lang)}" for r in candidates) or w["no_rule"]))
        lines += ["  " + row for row in _whynot(answer, e, lang)]
    else:
        lines.append(f"  {w['absent']}: {describe_expectation(answer, e, lang)}")
        for c in related:
            lines.append(f"  {w['hit']}: {describe_conclusion(answer, c)}")
            lines += [f"    {w['rule']}: {rule_line(answer.rulebase, label, lang)}" for label in c.rules]
            lines += ["    " + row for row in _why(answer, proofs, c, lang)]
    return lines


def _why(answer, proofs, c, lang: str) -> list[str]:
    """The short reason (crossexec.explain) and the rules of the proof with their sources."""
    w = WORDS[lang]
    lines = []
    try:
        lines += [f"{w['why']}: " + explain.short_reason(answer, c, lang).replace("\n", " ")]
    except Exception as error:  # noqa: BLE001 — as in _whynot
        lines += [f"{w['why']}: ({type(error).__name__}: {error})"]
    lines.append(f"{w['proof']}: " + w["sep"].join(f"{label} [{w['list'].join(answer.rulebase.rules[label].sources)}]"
                                                  for label in proofs.rules(c)))
    return lines


def _whynot(answer, e, lang: str, limit: int = 30) -> list[str]:
    """crossexec.explain's why-not tree for the expected conclusion."""
    from . import graphs
    try:
        query = explain.parse_conclusion(describe_expectation(answer, e, "en", query_only=True), answer, answer.scenario.file)
        ex = explain.explainer(answer)
        graph = ex.whynot(query, explain.MAX_DEPTH)
        graph.graph["title"] = ex.gloss(query.modal_atom())
        rows = graphs.render(graph, "text", lang).splitlines()[1:]     # the title repeats the expectation
    except Exception as error:  # noqa: BLE001 — a report names the failure of a drawing, it does not stop
        return [f"{WORDS[lang]['whynot']}: ({type(error).__name__}: {error})"]
    return [f"{WORDS[lang]['whynot']}:"] + ["  " + r for r in rows[:limit]] + (["  …"] if len(rows) > limit else [])


# -- snapshots and comparison -------------------------------------------------------------------------

def snapshot(answer, proofs: Proofs) -> dict:
    """The JSON answer plus, per conclusion, the rules and sources of its whole proof."""
    data = to_json(answer)
    for c, entry in zip(answer.conclusions, data["conclusions"]):
        entry["rules"] = sorted(c.rules)
        entry["proof"] = {"rules": sorted(proofs.rules(c)), "sources": sorted(proofs.sources(c))}
    return data


def dump(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _key(entry: dict) -> tuple:
    family = "+" if entry["modality"] in vocab.POSITIVE else "-"
    obj = entry.get("case") or entry.get("debtor") or entry.get("dispute")
    return (family, entry["actor"], entry["action"], obj, entry.get("target"))


def _query(entry: dict) -> str:
    obj = entry.get("case") or entry.get("debtor") or entry.get("dispute")
    return f"{entry['modality']} {entry['actor']} {entry['action']} {obj}" + (f" -> {entry['target']}" if entry.get("target") else "")


def compare(old: dict, new: dict, lang: str = "zh") -> list[str]:
    """What changed between two snapshots: conclusions added/removed, and per conclusion its
    modality, deadline, sources, deriving rules and the rules of its proof."""
    w = WORDS[lang]
    if "error" in old or "error" in new:
        return [] if old.get("error") == new.get("error") else [f"{old.get('error', '…')} → {new.get('error', '…')}"]
    before = {_key(e): e for e in old.get("conclusions", [])}
    after = {_key(e): e for e in new.get("conclusions", [])}
    out = []
    for key in sorted(set(before) | set(after), key=str):
        a, b = before.get(key), after.get(key)
        if a is None or b is None:
            e = a or b
            out.append(f"{'+' if a is None else '-'} {_query(e)}  [{e.get('deadline') or ''}{' · ' if e.get('deadline') else ''}"
                       f"{'、'.join(e.get('sources', []))}]")
            continue
        notes = []
        for field_, label in (("modality", w["modality"]), ("deadline", w["deadline"]), ("sources", w["sources"]),
                              ("rules", w["rule_changed"])):
            if a.get(field_) != b.get(field_):
                notes.append(f"{label} {_fmt(a.get(field_))} → {_fmt(b.get(field_))}")
        pa, pb = a.get("proof", {}).get("rules", []), b.get("proof", {}).get("rules", [])
        if pa != pb:
            notes.append(f"{w['proof_rules']} " + " ".join([f"+{r}" for r in pb if r not in pa] + [f"-{r}" for r in pa if r not in pb]))
        if notes:
            out.append(f"~ {_query(b)}: " + "；".join(notes) if lang == "zh" else f"~ {_query(b)}: " + "; ".join(notes))
    conflicts = lambda d: sorted(f"{_query(x['positive'])} / {_query(x['negative'])}" for x in d.get("conflicts", []))  # noqa: E731
    for c in conflicts(new):
        if c not in conflicts(old):
            out.append(f"+ {w['conflict']} {c}")
    for c in conflicts(old):
        if c not in conflicts(new):
            out.append(f"- {w['conflict']} {c}")
    return out


def _fmt(value) -> str:
    if isinstance(value, list):
        return "[" + "、".join(value) + "]"
    return "—" if value is None else str(value)


def answer_snapshot(scenario, rules: RuleBase) -> dict:
    try:
        answer = solve(scenario, rules, explain=True)     # proofs need every atom
    except InputError as e:
        return {"error": e.expected}
    return snapshot(answer, Proofs(answer))


def run_diff(args) -> int:
    w = WORDS[args.lang]
    if len(args.rules) > 2:
        raise InputError("--rules", "--rules", "expected OLD, or OLD and NEW (at most two)")
    with contextlib.ExitStack() as scratch:
        old_folder, old_name = rules_folder(args.rules[0], scratch)
        new_folder, new_name = rules_folder(args.rules[1] if len(args.rules) > 1 else None, scratch)
        old_rules, new_rules = load_rulebase(old_folder), load_rulebase(new_folder)
        changes, errors, paths = diff_paths(args.paths, old_rules, new_rules, args.lang)
    print(w["diff_title"].format(old=old_name, new=new_name))
    print(w["diff_some"].format(n=len(paths), k=len(changes)) if changes else w["diff_none"].format(n=len(paths)))
    for path, (name, lines) in changes.items():
        print(f"\n{shown(path)} — {name}")
        for line in lines:
            print(f"  {line}")
    for message in errors:
        print(f"crossexec: {message}", file=sys.stderr)
    return 2 if errors else 0


def diff_paths(paths, old_rules: RuleBase, new_rules: RuleBase, lang: str = "zh"):
    """{path: (scenario name, changes)} for every scenario whose answer differs, the load errors,
    and the scenario files looked at (all *.yaml, with or without `expect:`)."""
    changes, errors = {}, []
    files = discover(paths)
    for path in files:
        try:
            scenario = load_scenario(path)
        except InputError as e:
            errors.append(str(e))
            continue
        lines = compare(answer_snapshot(scenario, old_rules), answer_snapshot(scenario, new_rules), lang)
        if lines:
            changes[path] = (scenario.name, lines)
    return changes, errors, files

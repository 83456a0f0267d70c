"""`crossexec check`: the rule base as a whole — static checks, article coverage, consistency search.

Static checks (each finding names file:line; one run lists them all):
  syntax      a rule file clingo cannot parse (exit 2: the rule base is unreadable)
  annotation  a rule without a valid `%@ label source…` (the loader's own test, turned into findings)
  label       an annotation label used twice
  orphan      a `%@` annotation that no rule follows
  undefined   a body predicate no rule defines, not an input (crossexec.encode.INPUTS), not #defined:
              a typo (arity counts: pending/1 is not pending/2)
  unused      a predicate some rule defines but no body uses and #show does not show; the conclusion
              predicates (MODAL_PREDICATES) are exempt — they are the answer
  vocabulary  a constant outside facts/vocab.yaml where the vocabulary fixes it: the action of
              may/should/must/should_not/must_not/deadline_from/deadline, event types, circumstances …
  article     an article of the guidance (1–28) without its file rules/guidance/aNN.lp, without
              rules, or with rules but no tests under tests/scenarios/aNN/

Articles.  An article's rules are the rules anywhere whose annotation cites 指导意见第N条 (any 款/项).
A file that states it has no normative content — a comment line `% non-normative: why` — needs no
rules (and so no tests), but it must exist, so that every article has been read and decided on.

Normative sentences (the coverage report).  A `%>` statute line in aNN.lp is normative if it holds
one of the words in NORMATIVE (应当, 必须, 可以, 不得, 一般, 由…审查/处理, 以…为限 …).  A block of
consecutive `%>` lines is covered when an annotated rule follows it before the next `%>` block.
Uncovered normative lines are listed by `--coverage`; they are not findings, since the text says
more than a rule base can act on (a duty to "做好交接工作" has no scenario fact to test), but the
list shows the expert where to look.

Predicate occurrences come from rulebase.occurrences: rulebase.py is the only module that reads
clingo's AST."""
from __future__ import annotations

import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path


from . import ROOT, RULES, vocab
from . import rulebase as rb
from .encode import INPUTS
from .errors import InputError
from .files import read_text

ARTICLES = range(1, 29)
TESTS = ROOT / "tests" / "scenarios"
LOADED = ("core", "cited", "guidance")      # what load_rulebase reads
MODAL_PREDICATES = {("may", 4), ("should", 4), ("must", 4), ("should_not", 4), ("must_not", 4),
                    ("deadline", 5), ("deadline_from", 7), ("holds", 5), ("conflict", 4), ("exception", 2)}
# (predicate, arity) → (argument position, vocabulary table, what it is)
VOCAB_SLOTS = {
    **{(m, 4): (1, vocab.ACTIONS, "action") for m in ("may", "should", "must", "should_not", "must_not")},
    ("deadline_from", 7): (1, vocab.ACTIONS, "action"), ("deadline", 5): (1, vocab.ACTIONS, "action"),
    ("conflict", 4): (1, vocab.ACTIONS, "action"), ("holds", 5): (2, vocab.ACTIONS, "action"),
    ("event_for", 3): (2, vocab.ACTIONS, "action"), ("event", 4): (3, vocab.EVENT_TYPES, "event type"),
    ("circumstance", 2): (1, vocab.CIRCUMSTANCES, "circumstance"),
    ("decision", 4): (1, vocab.DECISION_KINDS, "decision kind"), ("status", 2): (1, vocab.CASE_STATUSES, "case status"),
    ("obligation", 2): (1, vocab.OBLIGATIONS, "obligation"), ("level", 2): (1, vocab.LEVELS, "court level"),
    ("dispute_kind", 2): (1, vocab.DISPUTE_KINDS, "dispute kind"),
    ("negotiation", 3): (2, vocab.NEGOTIATION_RESULTS, "negotiation result"),
    ("excluded", 4): (3, vocab.EXCLUSION_REASONS, "exclusion reason"),
    ("party_kind", 2): (1, vocab.PARTY_KINDS, "party kind"), ("court_kind", 2): (1, vocab.COURT_KINDS, "court kind"),
}
NORMATIVE = re.compile(r"应当|必须|可以|不得|一般|应予|不宜|禁止|严禁|须|可(?![供能])|由[^，。；]{0,20}?(审查|处理|负责)"
                       r"|以[^，。；]{0,10}?为限|为准")
NON_NORMATIVE = re.compile(r"^\s*%+\s*non-normative\b", re.IGNORECASE)
ARTICLE_SOURCE = re.compile(r"^指导意见第(\d+)条")


@dataclass
class Finding:
    check: str
    file: str
    line: int | None
    zh: str
    en: str

    def text(self, lang: str = "zh") -> str:
        place = f"{self.file}:{self.line}" if self.line else self.file
        return f"{place}: [{self.check}] {self.zh if lang == 'zh' else self.en}"


@dataclass
class RuleInfo:
    file: str               # rules/guidance/a07.lp
    line: int
    label: str | None       # None when the annotation is missing or malformed
    sources: tuple[str, ...] = ()
    annotation_line: int | None = None


@dataclass
class Survey:
    """What the rule files say, read tolerantly: every problem becomes a finding."""
    folder: Path
    lines: dict[str, list[str]] = field(default_factory=dict)
    rules: list[RuleInfo] = field(default_factory=list)
    heads: dict = field(default_factory=lambda: defaultdict(list))     # (name, arity) → [(file, line)]
    uses: dict = field(default_factory=lambda: defaultdict(list))
    shown: set = field(default_factory=set)
    declared: set = field(default_factory=set)                         # #defined / #external
    constants: list = field(default_factory=list)                      # (file, line, sig, value, role)
    findings: list[Finding] = field(default_factory=list)
    unreadable: list[Finding] = field(default_factory=list)

    def labelled(self) -> list[RuleInfo]:
        return [r for r in self.rules if r.label]

    def concluded_actions(self) -> set[str]:
        """Actions some rule head concludes with a positive modality."""
        return {value for _, _, sig, value, role in self.constants if role == "head" and sig[0] in ("must", "should", "may")}


def survey(folder: Path | str = RULES) -> Survey:
    folder = Path(folder)
    result = Survey(folder)
    if not folder.is_dir():
        raise InputError(str(folder), "", "expected a rules folder with core/, cited/ and guidance/")
    for path in sorted(p for sub in LOADED for p in (folder / sub).glob("*.lp")):
        _survey_file(result, path, f"rules/{path.relative_to(folder)}")
    return result


def _survey_file(result: Survey, path: Path, name: str) -> None:
    try:
        text = read_text(path)          # a regular file of bounded size: a FIFO named *.lp cannot block
    except InputError as e:
        result.unreadable.append(Finding("syntax", name, None, f"无法读取：{e.expected}", f"cannot read: {e.expected}"))
        return
    lines = text.splitlines()
    result.lines[name] = lines
    statements, detail = rb.parse_program(text)
    if detail:
        result.unreadable.append(Finding("syntax", name, rb.line_in_message(detail),
                                         f"不是合法的 ASP 程序：{detail}", f"not a valid ASP program: {detail}"))
        return
    used_annotations = set()
    for statement in statements:
        _record(result, statement, name)
        if not rb.is_rule(statement):
            continue
        line = rb.line_of(statement)
        info = RuleInfo(name, line, None)
        info.annotation_line = _annotation_line(lines, line)
        try:
            info.label, info.sources, _ = rb._annotation(lines, line, name)   # the loader's own test
        except InputError as e:
            result.findings.append(Finding("annotation", name, e.line, _zh_annotation(e.expected), e.expected))
        if info.annotation_line:
            used_annotations.add(info.annotation_line)
        result.rules.append(info)
    for i, text_line in enumerate(lines, 1):
        if text_line.lstrip().startswith("%@") and i not in used_annotations:
            result.findings.append(Finding("orphan", name, i, "此标注下面没有规则（标注须紧接在规则之上，中间只能有注释或空行）",
                                           "no rule follows this annotation (only comments and blank lines may stand between)"))


def _zh_annotation(message: str) -> str:
    if "no `%@" in message:
        return "规则上方没有 `%@ 标签 出处` 标注"
    if "unknown source" in message:
        return "标注中有无法识别的出处（应如 指导意见第4条、民事诉讼法第237条、本库约定）：" + message
    if "names no source" in message:
        return "标注没有写出处（如 指导意见第4条）：" + message
    return "标注格式应为 `%@ 标签 出处…`，标签为小写字母、数字、下划线：" + message


def _annotation_line(lines: list[str], line: int) -> int | None:
    """The 1-based line of the `%@` the loader attaches to the rule starting at `line`."""
    i = line - 2
    while i >= 0 and (not lines[i].strip() or (lines[i].lstrip().startswith("%") and not lines[i].lstrip().startswith("%@"))):
        i -= 1
    return i + 1 if i >= 0 and lines[i].lstrip().startswith("%@") else None


# -- which predicates a statement defines, uses, shows (read through rulebase, the AST's one user) --

def _record(result: Survey, statement, file: str) -> None:
    for occ in rb.occurrences(statement):
        sig = (occ.name, occ.arity)
        if occ.role == "declared":
            result.declared.add(sig)
        elif occ.role == "shown":
            result.shown.add(sig)
        else:
            (result.heads if occ.role == "head" else result.uses)[sig].append((file, occ.line))
            if sig in VOCAB_SLOTS and VOCAB_SLOTS[sig][0] < occ.arity:
                for value in occ.constants[VOCAB_SLOTS[sig][0]]:
                    result.constants.append((file, occ.line, sig, value, occ.role))


# -- static findings --------------------------------------------------------------------------------

def static_findings(s: Survey, tests: Path = TESTS) -> list[Finding]:
    findings = list(s.findings)
    seen: dict[str, RuleInfo] = {}
    for r in s.labelled():
        if r.label in seen:
            o = seen[r.label]
            findings.append(Finding("label", r.file, r.annotation_line, f"标签 {r.label} 已在 {o.file}:{o.annotation_line} 使用",
                                    f"label {r.label} is already used at {o.file}:{o.annotation_line}"))
        else:
            seen[r.label] = r
    inputs = {(p.split("/")[0], int(p.split("/")[1])) for p in INPUTS}
    defined = set(s.heads) | inputs | s.declared
    for sig, places in sorted(s.uses.items()):
        if sig not in defined:
            near = sorted(f"{n}/{a}" for n, a in defined if n == sig[0] or _close(n, sig[0]))
            hint_zh = f"（相近：{'、'.join(near)}）" if near else ""
            hint_en = f" (similar: {', '.join(near)})" if near else ""
            for file, line in _unique(places):
                findings.append(Finding("undefined", file, line,
                                        f"谓词 {sig[0]}/{sig[1]} 在规则体中使用，但没有规则定义它，也不是输入谓词{hint_zh}",
                                        f"predicate {sig[0]}/{sig[1]} is used in a body but no rule defines it and it "
                                        f"is not an input{hint_en}"))
    for sig, places in sorted(s.heads.items()):
        if sig not in s.uses and sig not in s.shown and sig not in MODAL_PREDICATES:
            file, line = places[0]
            findings.append(Finding("unused", file, line,
                                    f"谓词 {sig[0]}/{sig[1]} 有规则定义，但没有任何规则使用，也未 #show",
                                    f"predicate {sig[0]}/{sig[1]} is defined but no rule uses it and it is not shown"))
    for file, line, sig, value, _ in s.constants:
        _, table, what = VOCAB_SLOTS[sig]
        if value not in table:
            findings.append(Finding("vocabulary", file, line,
                                    f"{sig[0]}/{sig[1]} 中的 {value} 不在 facts/vocab.yaml 的词表（{what}）中",
                                    f"{value} in {sig[0]}/{sig[1]} is not a {what} of facts/vocab.yaml"))
    for article in coverage(s, tests):
        findings.extend(article.findings())
    return sorted(findings, key=lambda f: (f.file, f.line or 0, f.check))


def _unique(places):
    return sorted(set(places), key=lambda p: (p[0], p[1]))


def _close(a: str, b: str) -> bool:
    """Names one edit apart (a likely typo)."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


# -- articles and coverage ----------------------------------------------------------------------------

@dataclass
class Sentence:
    line: int
    text: str
    covered: bool


@dataclass
class ArticleCoverage:
    number: int
    file: str                                   # rules/guidance/aNN.lp
    exists: bool
    title: str = ""
    non_normative: bool = False
    rules: list[RuleInfo] = field(default_factory=list)
    tests: list[str] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)

    def findings(self) -> list[Finding]:
        n = self.number
        if not self.exists:
            return [Finding("article", self.file, None, f"第{n}条没有规则文件（无规范内容的条文也要有文件，写明 `% non-normative: 理由`）",
                            f"article {n} has no rule file (an article without normative content still needs one, "
                            f"stating `% non-normative: why`)")]
        if not self.rules and not self.non_normative:
            return [Finding("article", self.file, None, f"第{n}条没有任何规则引用它（若确无规范内容，请写 `% non-normative: 理由`）",
                            f"no rule cites article {n} (if it has no normative content, say `% non-normative: why`)")]
        if self.rules and not self.tests:
            return [Finding("article", self.file, None, f"第{n}条有 {len(self.rules)} 条规则，但 tests/scenarios/a{n:02d}/ 下没有测试",
                            f"article {n} has {len(self.rules)} rules but no tests under tests/scenarios/a{n:02d}/")]
        return []


def coverage(s: Survey, tests: Path = TESTS) -> list[ArticleCoverage]:
    cited: dict[int, list[RuleInfo]] = defaultdict(list)
    for r in s.labelled():
        for n in sorted({int(m.group(1)) for m in map(ARTICLE_SOURCE.match, r.sources) if m}):
            cited[n].append(r)
    out = []
    for n in ARTICLES:
        name = f"rules/guidance/a{n:02d}.lp"
        lines = s.lines.get(name)
        article = ArticleCoverage(n, name, lines is not None, rules=cited.get(n, []))
        folder = Path(tests) / f"a{n:02d}"
        article.tests = sorted(str(p.relative_to(tests)) for p in folder.rglob("*.yaml")) if folder.is_dir() else []
        if lines is not None:
            article.title = _title(lines, n)
            article.non_normative = any(NON_NORMATIVE.match(x) for x in lines)
            starts = sorted(r.line for r in s.labelled() if r.file == name)
            article.sentences = _sentences(lines, starts)
        out.append(article)
    return out


def _title(lines: list[str], n: int) -> str:
    for line in lines[:3]:
        m = re.match(rf"^%\s*指导意见第{n}条\s*(.*)$", line.strip())
        if m:
            return m.group(1).strip()
    return ""


def _sentences(lines: list[str], rule_starts: list[int]) -> list[Sentence]:
    blocks: list[tuple[int, int]] = []            # (first, last) line of each run of `%>` lines
    for i, line in enumerate(lines, 1):
        if line.lstrip().startswith("%>"):
            if blocks and blocks[-1][1] == i - 1:
                blocks[-1] = (blocks[-1][0], i)
            else:
                blocks.append((i, i))
    out = []
    for k, (first, last) in enumerate(blocks):
        until = blocks[k + 1][0] if k + 1 < len(blocks) else len(lines) + 1
        covered = any(last < start < until for start in rule_starts)
        for i in range(first, last + 1):
            text = lines[i - 1].lstrip()[2:].strip()
            if NORMATIVE.search(text):
                out.append(Sentence(i, text, covered))
    return out


def render_coverage(articles: list[ArticleCoverage], lang: str = "zh") -> str:
    zh = lang == "zh"
    out = ["条文覆盖情况" if zh else "Article coverage"]
    total = sum(len(a.sentences) for a in articles)
    done = sum(s.covered for a in articles for s in a.sentences)
    for a in articles:
        head = f"第{a.number}条 {a.title}".rstrip() if zh else f"Art. {a.number} {a.title}".rstrip()
        state = ("" if a.exists else ("（无文件）" if zh else " (no file)")) + \
                (("（声明无规范内容）" if zh else " (declared non-normative)") if a.non_normative else "")
        out.append(f"\n{head} — {a.file}{state}")
        labels = ", ".join(r.label for r in a.rules) or "—"
        out.append(f"  {'规则' if zh else 'rules'} ({len(a.rules)}): {labels}")
        out.append(f"  {'测试' if zh else 'tests'} ({len(a.tests)}): {', '.join(a.tests) or '—'}")
        if a.sentences:
            ok = sum(s.covered for s in a.sentences)
            out.append(f"  {'规范句' if zh else 'normative sentences'}: {ok}/{len(a.sentences)} "
                       f"{'已有规则' if zh else 'covered'}")
            for s in a.sentences:
                mark = "✓" if s.covered else "✗"
                text = s.text if len(s.text) <= 60 else s.text[:59] + "…"
                out.append(f"    {mark} {a.file}:{s.line} {text}")
    out.append(f"\n{'规范句合计' if zh else 'normative sentences in all'}: {done}/{total} "
               f"{'已有规则' if zh else 'covered'}")
    return "\n".join(out) + "\n"


# -- the command --------------------------------------------------------------------------------------

def run_check(args) -> int:
    lang = getattr(args, "lang", "zh") or "zh"
    folder = Path(args.rules) if args.rules else RULES
    tests = Path(args.tests) if getattr(args, "tests", None) else TESTS
    if not args.static_only:
        writable_folder(Path(getattr(args, "out", None) or "."), "--out")
    started = time.monotonic()
    s = survey(folder)
    if s.unreadable:
        for f in s.unreadable:
            print(f"crossexec: {f.text(lang)}", file=sys.stderr)
        return 2
    findings = static_findings(s, tests)
    if args.coverage:
        sys.stdout.write(render_coverage(coverage(s, tests), lang))
        print()
    for f in findings:
        print(f.text(lang))
    broken = undecided = 0
    if not args.static_only:
        broken, undecided = _search(args, folder, s, lang,
                                    loads=not any(f.check in ("annotation", "label") for f in findings))
    seconds = time.monotonic() - started
    if findings or broken:
        print(f"\n检查未通过：{len(findings)} 项静态问题，{broken} 项不变式被违反（{seconds:.1f} 秒）" if lang == "zh" else
              f"\ncheck failed: {len(findings)} static finding(s), {broken} invariant(s) broken ({seconds:.1f} s)")
        return 1
    # An invariant the search could not decide in time is reported, not failed: CI must not turn
    # red because the machine was slow; the line above says which one and how long it ran.
    note = ((f"；{undecided} 项不变式未在时限内判定（可用 --budget 放宽）" if lang == "zh" else
             f"; {undecided} invariant(s) not decided in time (raise --budget)") if undecided else "")
    print(f"\n检查通过{note}（{seconds:.1f} 秒）" if lang == "zh" else f"\ncheck passed{note} ({seconds:.1f} s)")
    return 0


def writable_folder(folder: Path, option: str) -> None:
    """Refuse, before a search of a minute, a folder the counterexamples could not be written to."""
    import tempfile
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as e:
        raise InputError(str(folder), option, f"expected a folder crossexec can write to ({e.strerror})") from None


def _search(args, folder: Path, s: Survey, lang: str, loads: bool) -> tuple[int, int]:
    """The consistency search (crossexec/consistency.py): how many invariants broken, how many undecided."""
    if not loads:
        print("\n一致性搜索已跳过：规则库无法加载（先修正上面的标注问题）" if lang == "zh" else
              "\nconsistency search skipped: the rule base does not load (fix the annotations above first)")
        return 0, 0
    from .consistency import run_search
    return run_search(folder, s, Path(getattr(args, "out", None) or "."), lang,
                      rules_arg=args.rules, budget=getattr(args, "budget", None))

"""Read the rule base (rules/**/*.lp): annotations, statute quotes, and provenance instrumentation.

Conventions in a rule file (README.md, "The rule base"):

    %> 原执行法院收到指令或者提级执行决定，应当停止执行。        ← statute text (quoted)
    %@ a07_stop 指导意见第7条第2款                              ← label and source(s)
    must(C, stop_execution, case(K), none) :- ...                ← the rule

Every rule must carry a `%@` annotation (only comments and blank lines may stand between the two);
the loader refuses a rule without one, naming file:line.

Provenance: each annotated rule `H :- B.` is rewritten as

    _app_label(X1,…,Xn) :- B.        H :- _app_label(X1,…,Xn).

where X1…Xn are the rule's global variables. An `_app_` atom *is* the ground rule instance that
fired; `instantiate` turns it back into the ground head and body. This is the only module that
knows clingo's AST API (it changes in clingo 6): keep it that way."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import clingo
from clingo import ast

from . import RULES
from .errors import InputError

APP = "_app_"            # provenance records: `_app_<label>(X1,…,Xn)`, one predicate per rule
CONCLUSION_HEADS = ("must", "should", "may", "should_not", "must_not")   # their `_app` records are shown
BY = "_by"               # `_by("label", Head)`: rule `label` derived Head (shown, for conclusions and warnings)
WARNING_HEADS = ("void_step", "factor")   # shown too: a warning or a ranking factor cites the rule behind it
SOURCE = re.compile(r"^(指导意见|民事诉讼法|执行程序解释|执行工作若干规定|民诉法解释|民法典|委托执行规定|"
                    r"人民法院组织法|企业破产法|移送破产意见|执行异议复议规定)第[0-9]+条(第[0-9]+款)?(第[0-9]+项)?$|^本库约定$")
LABEL = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass
class Rule:
    label: str
    sources: tuple[str, ...]
    file: str                   # relative to the rules folder
    line: int
    text: str                   # the rule as written
    statute: str                # the quoted statute text above it ('' if none)
    statement: ast.AST
    variables: tuple[str, ...]  # global variables, in `_app` tuple order
    consts: dict = field(default_factory=dict, repr=False)   # the rule base's #const values

    heads: tuple = ()                              # head atom(s) as AST (several for a pool p(a; b))
    head_signature: tuple[str, int] | None = None
    _compiled: tuple = ()                          # heads compiled to functions of a binding

    def __post_init__(self):
        term = self.head
        if term is not None:
            self.heads = tuple(term.arguments) if term.ast_type == ast.ASTType.Pool else (term,)
            first = self.heads[0]
            self.head_signature = ((first.symbol.name, 0) if first.ast_type == ast.ASTType.SymbolicTerm
                                   else (first.name, len(first.arguments)))
            self._compiled = tuple(compile_term(h) for h in self.heads)

    @property
    def head(self) -> ast.AST | None:
        """The head term as written (a Pool for `p(a; b)`), None for a constraint."""
        head = self.statement.head
        if head.ast_type == ast.ASTType.Literal and head.atom.ast_type == ast.ASTType.SymbolicAtom:
            return head.atom.symbol
        return None

    @property
    def head_alternatives(self) -> list[ast.AST]:
        return list(self.heads)


@dataclass
class RuleBase:
    folder: Path
    rules: dict[str, Rule] = field(default_factory=dict)
    statements: list[ast.AST] = field(default_factory=list)     # instrumented program
    plain: list[ast.AST] = field(default_factory=list)          # the same without provenance
    consts: dict[str, clingo.Symbol] = field(default_factory=dict)  # `#const name = value.`
    spans: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # label -> (start, stop) in
                                                   # `statements`, index in `plain`: for `replace`
    _labelled: list | None = field(default=None, init=False, repr=False)   # built on first use

    def replace(self, label: str, statement: ast.AST) -> "RuleBase":
        """A copy of this rule base with rule `label` rewritten as `statement` (a mutant), instrumented
        like every other rule. The other rules are shared, not copied."""
        old = self.rules[label]
        rule = Rule(label, old.sources, old.file, old.line, str(statement), old.statute, statement,
                    _global_variables(statement), old.consts)
        start, stop, at = self.spans[label]
        copy = RuleBase(self.folder, dict(self.rules), list(self.statements), list(self.plain), self.consts, self.spans)
        copy.rules[label] = rule
        copy.statements[start:stop] = _instrument(rule)     # the spans of the copy are not used again
        copy.plain[at] = statement
        return copy

    @property
    def definitions(self) -> list[ast.AST]:
        """The `#const name = value.` statements."""
        return [s for s in self.plain if s.ast_type == ast.ASTType.Definition]

    def add_to(self, control: clingo.Control, instrumented: bool = True, proofs: bool = True) -> None:
        """The program in one of three forms: with proofs (`statements`: an `_app` record per rule
        instance, for why/whynot), with labels only (`labelled`: the `_by` atom of each conclusion,
        for answers without proofs), or as written (`plain`)."""
        statements = (self.statements if proofs else self.labelled) if instrumented else self.plain
        with ast.ProgramBuilder(control) as builder:
            for statement in statements:
                builder.add(statement)

    @property
    def labelled(self) -> list[ast.AST]:
        """The rules as written, except that a rule concluding a modality or a warning derives
        `_by("label", Head)` from its body, and one rule per such predicate derives the head from
        its `_by` atoms. The shown atoms are those of `statements`, without grounding an `_app`
        record per instance of every rule (a quarter of the grounding of a sweep). Built from
        `plain` and `rules`, so a mutant's copy (`replace`) builds its own."""
        if self._labelled is None:
            rule_of = {id(rule.statement): rule for rule in self.rules.values()}
            out: list[ast.AST] = []
            signatures: set[tuple[str, int]] = set()
            for statement in self.plain:
                rule = rule_of.get(id(statement))
                if rule is None or not rule.heads or rule.head_signature[0] not in CONCLUSION_HEADS + WARNING_HEADS:
                    out.append(statement)
                elif len(rule.heads) > 1:          # a pool `p(a; b)`: one `_app` record, several heads
                    out.extend(_instrument(rule))
                else:
                    signatures.add(rule.head_signature)
                    loc = statement.location
                    label = ast.SymbolicTerm(loc, clingo.String(rule.label))
                    by = ast.SymbolicAtom(ast.Function(loc, BY, [label, rule.heads[0]], 0))
                    out.append(ast.Rule(loc, ast.Literal(loc, ast.Sign.NoSign, by), statement.body))
            projections = [f"#show {BY}/2."]
            for name, arity in sorted(signatures):
                atom = f"{name}({','.join(f'X{i}' for i in range(arity))})" if arity else name
                projections.append(f"{atom} :- {BY}(_, {atom}).")
            ast.parse_string("\n".join(projections), out.append)
            self._labelled = out
        return self._labelled


def load_rulebase(folder: Path | str = RULES, extra: Iterable[Path] = ()) -> RuleBase:
    """Parse rules/core, rules/cited and rules/guidance (rules/local only when passed in `extra`)."""
    folder = Path(folder)
    if not (folder / "core").is_dir():   # an empty rule base would answer "nothing", silently
        raise InputError(str(folder), "--rules", "expected a rules folder with core/, cited/ and guidance/")
    files = sorted(p for sub in ("core", "cited", "guidance") for p in (folder / sub).glob("*.lp"))
    base = RuleBase(folder)
    for path in list(files) + [Path(p) for p in extra]:
        _load_file(base, path, folder)
    for rule in base.rules.values():   # a `#const` may be defined in any file: bind it everywhere
        rule.consts = base.consts
    return base


def local_files(paths: Iterable[str]) -> list[Path]:
    """Provincial rules asked for with --local: files, or folders of .lp files (art. 27)."""
    out: list[Path] = []
    for text in paths or ():
        path = Path(text)
        if path.is_dir():
            out += sorted(path.glob("*.lp"))
        elif path.is_file():
            out.append(path)
        else:
            raise InputError(text, "--local", "expected a .lp file or a folder of them (e.g. rules/local/)")
    return out


def _load_file(base: RuleBase, path: Path, folder: Path) -> None:
    from .files import read_text
    text = read_text(path)
    lines = text.splitlines()
    try:
        rel = str(path.relative_to(folder))
    except ValueError:
        rel = str(path)
    statements, problem = parse_program(text)
    if problem:
        raise InputError(f"rules/{rel}", "", f"not a valid ASP program: {problem}", line_in_message(problem))
    if not _shipped(path):
        refuse_scripts(statements, str(path))
    for statement in statements:
        if statement.ast_type == ast.ASTType.Definition:
            base.consts[statement.name] = instantiate(statement.value, base.consts, None)
        if statement.ast_type != ast.ASTType.Rule:
            base.statements.append(statement)
            base.plain.append(statement)
            continue
        line = statement.location.begin.line
        label, sources, statute = _annotation(lines, line, f"rules/{rel}")
        if label in base.rules:
            other = base.rules[label]
            raise InputError(f"rules/{rel}", "", f"label {label!r} is already used at rules/{other.file}:{other.line}", line)
        end = statement.location.end.line
        rule = Rule(label, sources, rel, line, "\n".join(lines[line - 1:end]).strip(), statute,
                    statement, _global_variables(statement))
        base.rules[label] = rule
        instrumented = _instrument(rule)
        base.spans[label] = (len(base.statements), len(base.statements) + len(instrumented), len(base.plain))
        base.plain.append(statement)
        base.statements.extend(instrumented)


def _shipped(path: Path) -> bool:
    """Is `path` one of the rule files of this installation's rules/ folder?"""
    return path.resolve().is_relative_to(RULES.resolve())


def refuse_scripts(statements: list[ast.AST], file: str) -> None:
    """A rule file from outside rules/ (--rules, --local, a git ref) may not embed code: a clingo
    built with Python or Lua would run a `#script` block while grounding."""
    for statement in statements:
        if statement.ast_type == ast.ASTType.Script:
            where = statement.location.begin
            source = file if where.filename in ("<string>", "") else where.filename
            raise InputError(source, "", "#script blocks are not accepted in rule files from outside rules/ "
                             "(crossexec runs no embedded code); state the rule in ASP", where.line)


def parse_program(text: str) -> tuple[list[ast.AST], str | None]:
    """The statements of a program, or ([], clingo's first message) if it does not parse."""
    statements: list[ast.AST] = []
    messages: list[str] = []
    try:
        ast.parse_string(text, statements.append, logger=lambda _code, message: messages.append(message))
    except RuntimeError:
        return [], (messages[0].strip() if messages else "syntax error")
    return statements, None


def is_rule(statement: ast.AST) -> bool:
    return statement.ast_type == ast.ASTType.Rule


def line_of(statement: ast.AST) -> int:
    return statement.location.begin.line


def line_in_message(message: str) -> int | None:
    """The line of a clingo parser message (`<string>:12:5-6: error: …`)."""
    match = re.search(r":(\d+):\d+", message)
    return int(match.group(1)) if match else None


def _annotation(lines: list[str], line: int, file: str) -> tuple[str, tuple[str, ...], str]:
    """The `%@ label source…` above line `line` (1-based) and the `%>` statute quote above that."""
    i = line - 2
    while i >= 0 and (not lines[i].strip() or (lines[i].lstrip().startswith("%")
                                                 and not lines[i].lstrip().startswith("%@"))):
        i -= 1
    if i < 0 or not lines[i].lstrip().startswith("%@"):
        raise InputError(file, "", "this rule has no `%@ label source` annotation on the line(s) above it", line)
    parts = lines[i].lstrip()[2:].split()
    if not parts or not LABEL.match(parts[0]):
        raise InputError(file, "", "an annotation reads `%@ label source…` with a lower-case label like a04_urge", i + 1)
    sources = tuple(parts[1:])
    if not sources:
        raise InputError(file, "", f"annotation {parts[0]!r} names no source (e.g. 指导意见第4条)", i + 1)
    for source in sources:
        if not SOURCE.match(source):
            raise InputError(file, "", f"unknown source {source!r} in annotation {parts[0]!r}; expected e.g. "
                             "指导意见第4条, 民事诉讼法第237条, 执行程序解释第13条, 执行工作若干规定第67条, 民诉法解释第508条", i + 1)
    quote, j = [], i - 1
    while j >= 0 and not lines[j].lstrip().startswith("%>"):
        if lines[j].lstrip().startswith("%@"):
            break
        j -= 1
    while j >= 0 and lines[j].lstrip().startswith("%>"):
        quote.insert(0, lines[j].lstrip()[2:].strip())
        j -= 1
    return parts[0], sources, "".join(quote)


# -- variables and instrumentation ------------------------------------------------------------------

# A variable: an upper-case identifier, or `_` followed by more (the lone `_` is anonymous);
# strings are matched first so that words inside quotes are skipped.
_VARIABLE = re.compile(r'"(?:[^"\\]|\\.)*"|(?<![A-Za-z0-9_\'])([A-Z][A-Za-z0-9_\']*|_[A-Za-z0-9_\']+)')


def _global_variables(statement: ast.AST) -> tuple[str, ...]:
    """The head's and body's variables, except those local to aggregate elements and conditional
    literals (aggregate guards do count). Read from clingo's own rendering of each literal:
    walking the AST node by node is ten times slower, and loading rules is on every `ask`."""
    found: list[str] = []
    for node in [statement.head, *statement.body]:
        kind = node.ast_type
        if kind == ast.ASTType.ConditionalLiteral:
            continue
        atom = node.atom if kind == ast.ASTType.Literal else node
        if atom.ast_type in (ast.ASTType.BodyAggregate, ast.ASTType.Aggregate, ast.ASTType.HeadAggregate):
            texts = [str(g.term) for g in (atom.left_guard, atom.right_guard) if g is not None]
        else:
            texts = [str(node)]
        for text in texts:
            for match in _VARIABLE.finditer(text):
                name = match.group(1)
                if name and name not in found:
                    found.append(name)
    return tuple(found)


def _instrument(rule: Rule) -> list[ast.AST]:
    statement = rule.statement
    if not rule.heads:             # a constraint or choice: kept as written, no provenance
        return [statement]
    loc = statement.location
    # One flat predicate per rule: grounding a tuple term per instance (`_app("label", (X,Y))`)
    # costs about as much again as the rule itself; a flat atom costs a tenth of that.
    app = ast.Literal(loc, ast.Sign.NoSign, ast.SymbolicAtom(ast.Function(
        loc, APP + rule.label, [ast.Variable(loc, v) for v in rule.variables], 0)))
    out = [ast.Rule(loc, app, statement.body), ast.Rule(loc, statement.head, [app])]
    if rule.head_signature and rule.head_signature[0] in CONCLUSION_HEADS + WARNING_HEADS:
        # `ask` reads which rule derived each conclusion off `_by("label", Head)`, shown: the
        # solver builds the ground head, so Python need not rebuild it from the `_app` record.
        # The `_app` records themselves are read only when explaining (all atoms).
        label = ast.SymbolicTerm(loc, clingo.String(rule.label))
        for head in rule.heads:
            by = ast.Literal(loc, ast.Sign.NoSign, ast.SymbolicAtom(ast.Function(loc, BY, [label, head], 0)))
            out.append(ast.Rule(loc, by, [app]))
        out.append(ast.ShowSignature(loc, BY, 2, True))
    return out


def by_record(atom: clingo.Symbol) -> tuple[str, clingo.Symbol] | None:
    """(label, ground head) of a `_by` atom: which rule derived a conclusion."""
    if atom.name != BY:
        return None
    label, head = atom.arguments
    return label.string, head


def app_record(atom: clingo.Symbol) -> tuple[str, clingo.Symbol] | None:
    """(label, values) of a provenance atom, values as a tuple in the rule's variable order."""
    name = atom.name
    if not name.startswith(APP):
        return None
    return name[len(APP):], clingo.Function("", atom.arguments)


def app_atom(label: str, values: clingo.Symbol) -> clingo.Symbol:
    return clingo.Function(APP + label, values.arguments)


# -- which predicates a statement defines, uses, declares or shows (for `crossexec check`) --------------

@dataclass(frozen=True)
class Occurrence:
    role: str              # head | body | declared (#defined, #external) | shown (#show p/n)
    name: str
    arity: int
    line: int
    constants: tuple = ()  # per argument: the constant names it can take (pools expanded)


def occurrences(statement: ast.AST) -> list[Occurrence]:
    out: list[Occurrence] = []
    kind = statement.ast_type
    line = statement.location.begin.line
    if kind == ast.ASTType.Rule:
        _occ(statement.head, "head", out)
        for literal in statement.body:
            _occ(literal, "body", out)
    elif kind == ast.ASTType.Defined:
        out.append(Occurrence("declared", statement.name, statement.arity, line))
    elif kind == ast.ASTType.ShowSignature:
        out.append(Occurrence("shown", statement.name, statement.arity, line))
    elif kind == ast.ASTType.External:
        _occ(statement.atom, "declared", out)
        for literal in statement.body:
            _occ(literal, "body", out)
    else:
        for key in statement.child_keys:
            _occ(getattr(statement, key), "body", out)
    return out


def _occ(node, role: str, out: list[Occurrence]) -> None:
    if isinstance(node, (list, tuple)) or type(node).__name__ == "ASTSequence":
        for item in node:
            _occ(item, role, out)
        return
    if not isinstance(node, ast.AST):
        return
    kind = node.ast_type
    if kind == ast.ASTType.SymbolicAtom:
        for name, args, line in _alternatives(node.symbol):
            out.append(Occurrence(role, name, len(args), line, tuple(tuple(_constant_names(a)) for a in args)))
        return
    if kind == ast.ASTType.ConditionalLiteral:          # `head : condition` — the condition is a use
        _occ(node.literal, role, out)
        _occ(node.condition, "body", out)
        return
    for key in node.child_keys:
        _occ(getattr(node, key), role, out)


def _alternatives(term) -> list[tuple[str, list, int]]:
    kind = term.ast_type
    if kind == ast.ASTType.Pool:
        return [x for t in term.arguments for x in _alternatives(t)]
    if kind == ast.ASTType.UnaryOperation:              # classical negation -p(X)
        return _alternatives(term.argument)
    line = term.location.begin.line
    if kind == ast.ASTType.Function:
        return [(term.name, list(term.arguments), line)]
    if kind == ast.ASTType.SymbolicTerm and term.symbol.type == clingo.SymbolType.Function:
        return [(term.symbol.name, list(term.symbol.arguments), line)]
    return []


def _constant_names(term) -> list[str]:
    if isinstance(term, clingo.Symbol):
        return [term.name] if term.type == clingo.SymbolType.Function and not term.arguments else []
    kind = term.ast_type
    if kind == ast.ASTType.Pool:
        return [x for t in term.arguments for x in _constant_names(t)]
    if kind == ast.ASTType.SymbolicTerm:
        return _constant_names(term.symbol)
    if kind == ast.ASTType.Function and not term.arguments and not term.external and term.name:
        return [term.name]
    return []


# -- turning an `_app` atom back into a ground rule instance -------------------------------------------

def binding(rule: Rule, values: clingo.Symbol) -> dict[str, clingo.Symbol]:
    """Variables (upper case) from the `_app` tuple; `#const` names (lower case) from the rule
    base — they cannot collide, and a constant then instantiates like a bound variable."""
    return {**rule.consts, **dict(zip(rule.variables, values.arguments))}


def instantiate(term: ast.AST, env: dict[str, clingo.Symbol], call: Callable) -> clingo.Symbol:
    """The ground value of a term (head arguments, comparison sides) under a variable binding.
    `call(name, args)` evaluates an external @function with the same context the solver used."""
    kind = term.ast_type
    if kind == ast.ASTType.Variable:
        return env[term.name]
    if kind == ast.ASTType.SymbolicTerm:
        symbol = term.symbol
        if symbol.type == clingo.SymbolType.Function and not symbol.arguments and symbol.name in env:
            return env[symbol.name]       # a #const
        return symbol
    if kind == ast.ASTType.Function:
        if not term.arguments and not term.external and term.name in env:
            return env[term.name]         # a #const
        args = [instantiate(a, env, call) for a in term.arguments]
        return call(term.name, args) if term.external else clingo.Function(term.name, args)
    if kind == ast.ASTType.UnaryOperation:
        return clingo.Number(-instantiate(term.argument, env, call).number)
    if kind == ast.ASTType.BinaryOperation:
        a, b = instantiate(term.left, env, call).number, instantiate(term.right, env, call).number
        op = {ast.BinaryOperator.Plus: lambda: a + b, ast.BinaryOperator.Minus: lambda: a - b,
              ast.BinaryOperator.Multiplication: lambda: a * b,
              ast.BinaryOperator.Division: lambda: int(a / b) if b else 0,
              ast.BinaryOperator.Modulo: lambda: a % b if b else 0}[term.operator_type]
        return clingo.Number(op())
    raise ValueError(f"cannot instantiate {term} ({kind})")


def ground_heads(rule: Rule, values: clingo.Symbol, call: Callable) -> list[clingo.Symbol]:
    env = binding(rule, values)
    return [head(env, call) for head in rule._compiled]


def compile_term(term: ast.AST) -> Callable:
    """`instantiate`, compiled once per rule: reading clingo's AST is slow, and every `_app`
    record of an answer is turned back into its head."""
    kind = term.ast_type
    if kind == ast.ASTType.Variable:
        name = term.name
        return lambda env, call: env[name]
    if kind == ast.ASTType.SymbolicTerm and not (term.symbol.type == clingo.SymbolType.Function
                                                 and not term.symbol.arguments):
        symbol = term.symbol
        return lambda env, call: symbol
    if kind == ast.ASTType.Function and not term.external and term.arguments:
        name, args = term.name, [compile_term(a) for a in term.arguments]
        return lambda env, call: clingo.Function(name, [a(env, call) for a in args])
    return lambda env, call: instantiate(term, env, call)


def literal_parts(literal: ast.AST):
    """(kind, sign, payload) for one body literal: kind is 'atom', 'comparison' or 'other'."""
    sign = literal.sign if literal.ast_type == ast.ASTType.Literal else ast.Sign.NoSign
    atom = literal.atom if literal.ast_type == ast.ASTType.Literal else literal
    if atom.ast_type == ast.ASTType.SymbolicAtom:
        return "atom", sign, atom.symbol
    if atom.ast_type == ast.ASTType.Comparison:
        return "comparison", sign, atom
    return "other", sign, atom


def compare(comparison: ast.AST, env, call) -> bool:
    """Evaluate a ground comparison chain (clingo ≥ 5.6 represents `A < B` as term + guards)."""
    left = instantiate(comparison.term, env, call)
    for guard in comparison.guards:
        right = instantiate(guard.term, env, call)
        ok = {ast.ComparisonOperator.LessThan: left < right, ast.ComparisonOperator.LessEqual: left <= right,
              ast.ComparisonOperator.GreaterThan: left > right, ast.ComparisonOperator.GreaterEqual: left >= right,
              ast.ComparisonOperator.Equal: left == right, ast.ComparisonOperator.NotEqual: left != right}[guard.comparison]
        if not ok:
            return False
        left = right
    return True


def is_negative(sign) -> bool:
    return sign != ast.Sign.NoSign



# -- mutation operators (for `crossexec mutate`) ----------------------------------------------------------
#
# Each operator returns small changes of one rule: (kind, position, line, before, after, statement).
# `position` names where in the rule the change is made so that a mutant id (label/kind/position)
# stays the same while other rules change: `nK` the K-th period number of the rule, `bK` its K-th
# body literal (`bK.J` the J-th comparison of a chain), `hK` the K-th argument of its head.

PERIOD_UNITS = ("day", "month", "year")
MODALITY_SWAPS = {"must": ("should",), "should": ("may", "must"), "may": ("must", "should"),
                  "must_not": ("should_not",), "should_not": ("must_not",)}
COMPARISON_SWAPS = {ast.ComparisonOperator.LessThan: ast.ComparisonOperator.LessEqual,
                    ast.ComparisonOperator.LessEqual: ast.ComparisonOperator.LessThan,
                    ast.ComparisonOperator.GreaterThan: ast.ComparisonOperator.GreaterEqual,
                    ast.ComparisonOperator.GreaterEqual: ast.ComparisonOperator.GreaterThan}
# Court arguments of the facts crossexec/encode.py writes: (predicate, arity, argument index).
COURT_FACT_ARGS = {("court", 1, 0), ("parent", 2, 0), ("parent", 2, 1), ("case_court", 2, 1),
                   ("asset_location", 3, 2), ("decision", 4, 2), ("decision_to", 2, 1),
                   ("decision_from", 2, 1), ("dispute_court", 2, 1), ("negotiation_between", 3, 2),
                   ("event_by", 3, 2), ("domicile", 2, 1)}


@dataclass(frozen=True)
class Change:
    kind: str
    position: str
    line: int
    before: str
    after: str
    statement: ast.AST


class _PeriodNumbers(ast.Transformer):
    """Finds (and with `target`, rewrites) the numbers of periods: an integer written right before
    "day", "month" or "year" in a term, as in `deadline_from(…, 7, "day")` or `@period_end(S, 6, "month")`."""

    def __init__(self, target: int | None = None, value: int | None = None):
        self.found: list[tuple[int, int]] = []      # (number, line)
        self.target, self.value = target, value

    def visit_Function(self, node):
        node = node.update(**self.visit_children(node))
        args = list(node.arguments)
        changed = False
        for i in range(len(args) - 1):
            number, unit = args[i], args[i + 1]
            if (number.ast_type == ast.ASTType.SymbolicTerm and number.symbol.type == clingo.SymbolType.Number
                    and unit.ast_type == ast.ASTType.SymbolicTerm and unit.symbol.type == clingo.SymbolType.String
                    and unit.symbol.string in PERIOD_UNITS):
                if len(self.found) == self.target:
                    args[i] = number.update(symbol=clingo.Number(self.value))
                    changed = True
                self.found.append((number.symbol.number, number.location.begin.line))
        return node.update(arguments=args) if changed else node


def period_numbers(statement: ast.AST) -> list[tuple[int, int]]:
    """(number, line) of every period number in the rule, in the order `nK` counts them."""
    finder = _PeriodNumbers()
    finder(statement)
    return finder.found


def set_period_number(statement: ast.AST, index: int, value: int) -> ast.AST:
    """The rule with its period number `n<index+1>` set to `value`."""
    return _PeriodNumbers(index, value)(statement)


def _head_function(statement: ast.AST):
    head = statement.head
    if head.ast_type == ast.ASTType.Literal and head.atom.ast_type == ast.ASTType.SymbolicAtom \
            and head.atom.symbol.ast_type == ast.ASTType.Function:
        return head.atom.symbol
    return None


def _with_head(statement: ast.AST, function: ast.AST) -> ast.AST:
    head = statement.head
    return statement.update(head=head.update(atom=head.atom.update(symbol=function)))


def _with_body_literal(statement: ast.AST, index: int, literal: ast.AST | None) -> ast.AST:
    body = list(statement.body)
    if literal is None:
        del body[index]
    else:
        body[index] = literal
    return statement.update(body=body)


def court_positions(base: RuleBase) -> set[tuple[str, int, int]]:
    """The argument positions that hold courts: those of the encoded court facts and the actor and
    target of a modality, spread through every rule by the variables they share (to a fixed point)."""
    positions = set(COURT_FACT_ARGS)
    positions |= {(m, 4, 0) for m in CONCLUSION_HEADS} | {(m, 4, 3) for m in CONCLUSION_HEADS}
    uses = [_variable_positions(rule.statement) for rule in base.rules.values()]
    changed = True
    while changed:
        changed = False
        for by_variable in uses:
            for places in by_variable.values():
                if places & positions and not places <= positions:
                    positions |= places
                    changed = True
    return positions


def _variable_positions(statement: ast.AST) -> dict[str, set[tuple[str, int, int]]]:
    """For each variable, the (predicate, arity, index) of the atoms' arguments it stands in directly."""
    out: dict[str, set] = {}

    class Walk(ast.Transformer):
        def visit_SymbolicAtom(self, node):
            symbol = node.symbol
            if symbol.ast_type == ast.ASTType.Function:
                for i, arg in enumerate(symbol.arguments):
                    if arg.ast_type == ast.ASTType.Variable and arg.name != "_":    # `_`: each one is new
                        out.setdefault(arg.name, set()).add((symbol.name, len(symbol.arguments), i))
            return node

    Walk()(statement)
    return out


def court_variables(statement: ast.AST, positions: set) -> list[str]:
    return sorted(v for v, places in _variable_positions(statement).items() if places & positions)


def mutations(rule: Rule, positions: set) -> list[Change]:
    """Every mutant of one rule, as the statement that replaces it (they may be unsafe: see `compiles`)."""
    statement = rule.statement
    out: list[Change] = []
    for k, (number, line) in enumerate(period_numbers(statement)):
        for kind, value in (("period-1", number - 1), ("period+1", number + 1), ("period*2", number * 2)):
            if value > 0:
                out.append(Change(kind, f"n{k + 1}", line, str(number), str(value),
                                  set_period_number(statement, k, value)))
    head = _head_function(statement)
    if head is not None and head.name in MODALITY_SWAPS and len(head.arguments) == 4:
        for modality in MODALITY_SWAPS[head.name]:
            out.append(Change(f"modality={modality}", "h", rule.line, head.name, modality,
                              _with_head(statement, head.update(name=modality))))
    if head is not None:
        courts = court_variables(statement, positions)
        for i, arg in enumerate(head.arguments):
            if arg.ast_type != ast.ASTType.Variable or arg.name not in courts:
                continue
            for other in courts:
                if other != arg.name:
                    args = list(head.arguments)
                    args[i] = arg.update(name=other)
                    out.append(Change(f"court={other}", f"h{i + 1}", rule.line, str(head),
                                      str(head.update(arguments=args)), _with_head(statement, head.update(arguments=args))))
    for i, literal in enumerate(statement.body):
        where, line = f"b{i + 1}", literal.location.begin.line
        out.append(Change("drop", where, line, str(literal), "—", _with_body_literal(statement, i, None)))
        if literal.ast_type != ast.ASTType.Literal:
            continue
        atom = literal.atom
        if literal.sign != ast.Sign.NoSign:
            positive = literal.update(sign=ast.Sign.NoSign)
            out.append(Change("remove_not", where, line, str(literal), str(positive),
                              _with_body_literal(statement, i, positive)))
        elif atom.ast_type == ast.ASTType.SymbolicAtom:
            negative = literal.update(sign=ast.Sign.Negation)
            out.append(Change("add_not", where, line, str(literal), str(negative),
                              _with_body_literal(statement, i, negative)))
        if atom.ast_type == ast.ASTType.Comparison:
            for j, guard in enumerate(atom.guards):
                if guard.comparison in COMPARISON_SWAPS:
                    guards = list(atom.guards)
                    guards[j] = guard.update(comparison=COMPARISON_SWAPS[guard.comparison])
                    swapped = literal.update(atom=atom.update(guards=guards))
                    place = where if len(atom.guards) == 1 else f"{where}.{j + 1}"
                    out.append(Change(f"cmp={_OPERATOR[guards[j].comparison]}", place, line, str(literal),
                                      str(swapped), _with_body_literal(statement, i, swapped)))
    return out


_OPERATOR = {ast.ComparisonOperator.LessThan: "<", ast.ComparisonOperator.LessEqual: "<=",
             ast.ComparisonOperator.GreaterThan: ">", ast.ComparisonOperator.GreaterEqual: ">="}


def compiles(statement: ast.AST, context) -> bool:
    """Does clingo accept the rule (safe variables, well-formed terms)? Grounded alone, with no facts."""
    control = clingo.Control(["--warn=none"], logger=lambda _code, _message: None)
    try:
        with ast.ProgramBuilder(control) as builder:
            builder.add(statement)
        control.ground([("base", [])], context=context)
    except RuntimeError:
        return False
    return True


def predicates(statement: ast.AST) -> tuple[set, set]:
    """(head predicates, body predicates) of a rule, as (name, arity)."""
    heads, bodies = set(), set()
    for o in occurrences(statement):
        (heads if o.role == "head" else bodies).add((o.name, o.arity))
    return heads, bodies


def probe_program(rules: list[tuple[int, ast.AST]], add: Callable) -> None:
    """`_probe(N, H) :- B.` for each (N, rule `H :- B.`): the heads each rule derives over a set of
    facts (H is 0 for a constraint). `add` takes each statement (a ProgramBuilder's add)."""
    for number, statement in rules:
        loc = statement.location
        head = statement.head
        derived = (head.atom.symbol if head.ast_type == ast.ASTType.Literal and head.atom.ast_type == ast.ASTType.SymbolicAtom
                   else ast.SymbolicTerm(loc, clingo.Number(0)))
        atom = ast.Literal(loc, ast.Sign.NoSign, ast.SymbolicAtom(ast.Function(
            loc, "_probe", [ast.SymbolicTerm(loc, clingo.Number(number)), derived], 0)))
        add(ast.Rule(loc, atom, statement.body))


def probe(facts: str, rules: list[tuple[int, ast.AST]], context, definitions=()) -> dict[int, set[clingo.Symbol]]:
    """For each `(N, rule)` whose body has a true instance over `facts` (a program of facts), the
    heads it derives there. `definitions`: the rule base's `#const` statements, which bodies use."""
    control = clingo.Control(["--warn=none"], logger=lambda _code, _message: None)
    control.add("base", [], facts)
    with ast.ProgramBuilder(control) as builder:
        for definition in definitions:
            builder.add(definition)
        probe_program(rules, builder.add)
    control.ground([("base", [])], context=context)
    out: dict[int, set] = {}
    for atom in control.symbolic_atoms.by_signature("_probe", 2):
        number, head = atom.symbol.arguments
        out.setdefault(number.number, set()).add(head)
    return out

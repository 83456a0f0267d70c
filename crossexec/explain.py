"""Explanations: proof graphs (`why`), failed rules (`whynot`) and one-line reasons (`ask --explain`).

A proof is read off the solver's own records, never re-derived in Python. Every `_app_<label>(
values)` atom is a ground rule instance that fired (rulebase.py), so the proof of an atom is the
instances whose head is that atom, and each instance's body is re-read from the rule under those
values and looked up in the answer set. `whynot` only searches that answer set too.

Proof graph (networkx.DiGraph; node ids are stable across runs, sub-proofs are shared):

    atom:<atom>            a derived atom → the rule applications that derived it
    app:<label>:<values>   a rule application → its body: atoms, held `not …`, comparisons,
                           aggregate conditions, and the dates its external functions computed
    atom:<atom>            kind `fact`: stated by the scenario (YAML key path and line)
    calc: cmp: not: cond:  leaves: computed dates, comparisons, absent atoms, solver-checked conditions

Words and output formats live in graphs.py."""
from __future__ import annotations

import difflib
import json
import re
import sys
from dataclasses import dataclass, field

import clingo
import networkx as nx

from . import graphs, vocab
from . import rulebase as rb
from .encode import INPUTS
from .errors import InputError, cut, echo, escape
from .legaltime import LegalTimeContext, from_day, to_day
from .render import describe_object, target_name
from .solve import Answer, Conclusion

FUNCTION, NUMBER, STRING = clingo.SymbolType.Function, clingo.SymbolType.Number, clingo.SymbolType.String
VAR, EXT = "__var", "__ext"        # markers for open places in a pattern: a variable, an external call
DATE_MIN = 600_000                 # day numbers above this are dates (year 1643 on); below, counts and indices
MAX_DEPTH = 4                      # whynot: how deep to follow a failed condition that a rule could derive
BRANCH, BUDGET = 40, 4000          # whynot: candidates tried per literal, search steps per rule
FAMILIES = (vocab.POSITIVE, vocab.NEGATIVE)
INPUT_SIGNATURES = {(k.split("/")[0], int(k.split("/")[1])) for k in INPUTS}


# -- patterns: a literal instantiated with markers where its variables are not bound -------------------

def _var(name: str) -> clingo.Symbol:
    return clingo.Function(VAR, [clingo.String(name)])


_ANY_CALL = clingo.Function(EXT, [])


def _marker(s: clingo.Symbol) -> bool:
    return s.type == FUNCTION and s.name in (VAR, EXT)


def _open(s: clingo.Symbol) -> bool:
    return s.type == FUNCTION and (s.name in (VAR, EXT) or any(_open(a) for a in s.arguments))


class _Open(dict):
    """A binding that answers an unbound variable with a marker."""
    def __missing__(self, name):
        return _var(name)


class _Strict(dict):
    """A binding in which only the anonymous `_` may be unbound (for `not …` and comparisons)."""
    def __missing__(self, name):
        if name == "_":
            return _var("_")
        raise KeyError(name)


def unify(pattern: clingo.Symbol, sym: clingo.Symbol, env: dict) -> bool:
    """Match `pattern` against `sym`, binding the pattern's variables in `env`. An open place in
    `sym` itself (a whynot query left open there) matches anything and binds nothing."""
    if _marker(sym):
        return True
    if pattern.type == FUNCTION and pattern.name == VAR:
        name = pattern.arguments[0].string
        if name == "_":
            return True
        if name in env:
            return env[name] == sym
        env[name] = sym
        return True
    if pattern.type == FUNCTION and pattern.name == EXT:
        return True
    if pattern.type == FUNCTION and sym.type == FUNCTION:
        return (pattern.name == sym.name and pattern.positive == sym.positive
                and len(pattern.arguments) == len(sym.arguments)
                and all(unify(p, s, env) for p, s in zip(pattern.arguments, sym.arguments)))
    return pattern == sym


@dataclass
class Support:
    """One body literal of a ground rule instance, looked up in the answer set."""
    kind: str                           # pos | neg | cmp | cond
    text: str                           # as written in the rule
    pattern: clingo.Symbol | None = None
    matches: tuple = ()                 # pos: atoms satisfying it; neg: atoms that would defeat it
    held: bool = True
    calls: tuple = ()                   # (function, args, result) evaluated for it


@dataclass
class Query:
    """A conclusion as the user wrote it; `target` None = not given."""
    modality: str
    actor: clingo.Symbol
    action: str
    object: clingo.Symbol
    target: clingo.Symbol | None
    text: str = ""

    def modal_atom(self, modality: str | None = None, target=None) -> clingo.Symbol:
        t = target if target is not None else (self.target if self.target is not None else clingo.Function("none"))
        return clingo.Function(modality or self.modality, [self.actor, clingo.Function(self.action), self.object, t])


@dataclass
class _Ranks:
    """Strongly connected components of the atoms a proof may use, and the least derivation depth
    of those on a positive cycle: a proof follows every derivation except, inside a cycle, one that
    does not go down (so it stays acyclic and well-founded)."""
    component: dict = field(default_factory=dict)
    level: dict = field(default_factory=dict)

    def ok(self, atom, support) -> bool:
        return support != atom and (self.component[support] != self.component[atom]
                                    or self.level[support] < self.level[atom])


@dataclass
class _Literal:
    """A body literal as read once from the rule's AST."""
    kind: str                           # atom | comparison | other
    negative: bool
    payload: object                     # the atom's term or the comparison (AST)
    text: str
    compiled: object = None             # atom term as a function (env, call) → Symbol


class Explainer:
    """Indexes one answer (solved with explain=True) and builds proof and whynot graphs from it.
    Reading a clingo Symbol's name or arguments crosses into C and is slow, so atoms are grouped
    by name once and by argument position only when a pattern asks for it."""

    def __init__(self, answer: Answer):
        self.answer, self.rules = answer, answer.rulebase
        self.origin = answer.encoding.origin
        self.consts = self.rules.consts     # `#const` values, bound like variables (rulebase.binding)
        self.by_name: dict[str, list] = {}          # predicate name → atoms
        for atom in answer.atoms:
            name = atom.name
            if not name.startswith(rb.APP):
                self.by_name.setdefault(name, []).append(atom)
        self.producers = self._producers()
        self._tables: dict[tuple, list] = {}        # (name, arity) → [(atom, its arguments)]
        self._positions: dict[tuple, dict] = {}     # ((name, arity), i) → i-th argument → table rows
        self._literals: dict[str, list] = {}
        self._label_apps: dict[str, list] = {}
        self._heads: dict[tuple, tuple] = {}
        self._derivs: dict[clingo.Symbol, list] = {}
        self._bodies: dict[tuple, list] = {}
        self._statutes: dict[str, rb.Rule] = {}
        self._shown: dict[tuple, str] = {}

    def _producers(self) -> dict[tuple, list]:
        """(name, arity) → [(rule, head pattern)]; kept on the rule base, which answers share."""
        cached = getattr(self.rules, "_explain_producers", None)
        if cached is None:
            cached = {}
            for rule in self.rules.rules.values():
                for alt in rule.head_alternatives:
                    pattern = self._pattern(alt, {})
                    sig = (pattern.name, len(pattern.arguments)) if pattern is not None else rule.head_signature
                    cached.setdefault(sig, []).append((rule, pattern))
            self.rules._explain_producers = cached
        return cached

    # -- evaluation helpers --------------------------------------------------------------------------

    def _recording(self, calls: list):
        def call(name, args):
            result = self.answer.call(name, args)
            calls.append((name, tuple(args), result))
            return result
        return call

    def _pattern_call(self, name, args):
        return _ANY_CALL if any(_open(a) for a in args) else self.answer.call(name, args)

    def _pattern(self, term, env, strict: bool = False) -> clingo.Symbol | None:
        """The term under `env` with markers for unbound variables; None if it cannot be formed yet
        (arithmetic on an open place) or, when `strict`, if a named variable is still unbound."""
        try:
            return rb.instantiate(term, (_Strict if strict else _Open)({**self.consts, **env}), self._pattern_call)
        except (KeyError, RuntimeError, ValueError, AttributeError, TypeError):
            return None

    def literals(self, rule: rb.Rule) -> list[_Literal]:
        if rule.label not in self._literals:
            compile_term = getattr(rb, "compile_term", None)
            out = []
            for literal in rule.statement.body:
                kind, sign, payload = rb.literal_parts(literal)
                text = str(literal)
                if kind == "atom" and text.lstrip().startswith("not not "):
                    kind = "other"
                compiled = None
                if kind == "atom":
                    compiled = compile_term(payload) if compile_term else \
                        (lambda env, call, term=payload: rb.instantiate(term, env, call))
                out.append(_Literal(kind, rb.is_negative(sign), payload, text, compiled))
            self._literals[rule.label] = out
        return self._literals[rule.label]

    def _literal_pattern(self, rule: rb.Rule, literal: _Literal, env: dict, strict: bool = False):
        try:
            pattern = literal.compiled((_Strict if strict else _Open)({**self.consts, **env}), self._pattern_call)
        except (KeyError, RuntimeError, ValueError, AttributeError, TypeError):
            return None
        return pattern

    def matching(self, pattern: clingo.Symbol | None) -> list[clingo.Symbol]:
        """Atoms of the answer set that match `pattern`, looked up by one of its ground arguments."""
        if pattern is None or pattern.type != FUNCTION:
            return []
        if not _open(pattern):
            return [pattern] if pattern in self.answer.atoms else []
        args = pattern.arguments
        key = (pattern.name, len(args))
        ground = [i for i, a in enumerate(args) if not _open(a)]
        # an id (a string) is the most selective argument as a rule; one index per argument position
        where = next((i for i in ground if args[i].type == STRING), ground[0] if ground else None)
        pool = self._table(key) if where is None else self._position(key, where).get(args[where], [])
        return sorted((atom for atom, values in pool
                       if all(unify(p, v, {}) for p, v in zip(args, values))), key=str)

    def _table(self, key: tuple) -> list:
        if key not in self._tables:
            rows = ((atom, tuple(atom.arguments)) for atom in self.by_name.get(key[0], []))
            self._tables[key] = [row for row in rows if len(row[1]) == key[1]]
        return self._tables[key]

    def _position(self, key: tuple, i: int) -> dict:
        if (key, i) not in self._positions:
            index: dict = {}
            for row in self._table(key):
                index.setdefault(row[1][i], []).append(row)
            self._positions[(key, i)] = index
        return self._positions[(key, i)]

    # -- derivations: from `_app` records only ----------------------------------------------------------

    def heads(self, rule: rb.Rule, values: clingo.Symbol) -> list[clingo.Symbol]:
        key = (rule.label, values)
        if key not in self._heads:
            calls: list = []
            heads = rb.ground_heads(rule, values, self._recording(calls))
            self._heads[key] = (heads, tuple(calls))
        return self._heads[key][0]

    def derivations(self, atom: clingo.Symbol) -> list[tuple[str, clingo.Symbol]]:
        """The rule instances (label, values) that fired with `atom` as their head: the head gives
        some variables, the body's atoms in the answer set the others, and each candidate counts
        only if the solver recorded it, `_app_<label>(values…)`."""
        found = self._derivs.get(atom)
        if found is None:
            found = []
            for rule, pattern in self.producers.get((atom.name, len(atom.arguments)), ()):
                env: dict = {}
                if pattern is not None and not unify(pattern, atom, env):
                    continue
                for values in self._instances(rule, env):
                    if (rule.label, values) not in found and atom in self.heads(rule, values):
                        found.append((rule.label, values))
            self._derivs[atom] = found
        return found

    def _instances(self, rule: rb.Rule, env: dict):
        """Recorded instances of `rule` extending `env`."""
        seen = set()
        for full in self._bind(rule, env, 0):
            if full is None:          # a variable no positive body atom binds: scan the records
                yield from (v for v in self._apps_of(rule.label)
                            if all(env.get(n, a) == a for n, a in zip(rule.variables, v.arguments)))
                return
            values = clingo.Function("", [full[v] for v in rule.variables])
            if values not in seen and rb.app_atom(rule.label, values) in self.answer.atoms:
                seen.add(values)
                yield values

    def _bind(self, rule: rb.Rule, env: dict, i: int):
        """Bindings of all the rule's variables through its positive body atoms, from literal i on
        (None: some variable is bound otherwise, e.g. by an assignment)."""
        if all(v in env for v in rule.variables):
            yield env
            return
        literals = self.literals(rule)
        while i < len(literals) and (literals[i].kind != "atom" or literals[i].negative):
            i += 1
        pattern = self._literal_pattern(rule, literals[i], env) if i < len(literals) else None
        if pattern is None:
            yield None
            return
        for match in self.matching(pattern):
            extended = dict(env)
            if unify(pattern, match, extended):
                yield from self._bind(rule, extended, i + 1)

    def _apps_of(self, label: str) -> list:
        if label not in self._label_apps:
            self._label_apps[label] = [v for name, v in self.answer.apps if name == label]
        return self._label_apps[label]

    def body(self, label: str, values: clingo.Symbol) -> list[Support]:
        key = (label, values)
        if key not in self._bodies:
            rule = self.rules.rules[label]
            env = rb.binding(rule, values)
            self._bodies[key] = [self._support(rule, literal, env) for literal in self.literals(rule)]
        return self._bodies[key]

    def _support(self, rule: rb.Rule, literal: _Literal, env: dict) -> Support:
        if literal.kind == "atom":
            pattern = self._literal_pattern(rule, literal, env)
            if pattern is not None:
                matches = tuple(self.matching(pattern))
                if literal.negative:
                    return Support("neg", literal.text, pattern, matches, not matches)
                return Support("pos", literal.text, pattern, matches, bool(matches))
        if literal.kind == "comparison":
            calls: list = []
            held = self._compare(literal.payload, literal.text, env, calls)
            return Support("cmp", literal.text, None, (), held, tuple(calls))
        return Support("cond", literal.text)

    def _compare(self, payload, text: str, env: dict, calls: list) -> bool:
        """A ground comparison (raises KeyError while a variable of it is unbound)."""
        return rb.compare(payload, _Strict({**self.consts, **env}), self._recording(calls))

    # -- proof graphs ---------------------------------------------------------------------------------

    def _ranks(self, roots) -> _Ranks:
        deps, stack, seen = {}, list(roots), set()
        while stack:
            atom = stack.pop()
            if atom in seen:
                continue
            seen.add(atom)
            supports = deps.setdefault(atom, set())
            if atom in self.origin:
                continue
            for label, values in self.derivations(atom):
                for s in self.body(label, values):
                    if s.kind == "pos":
                        supports.update(s.matches)
                        stack.extend(s.matches)
        ranks = _Ranks()
        graph = nx.DiGraph(deps)
        for i, component in enumerate(nx.strongly_connected_components(graph)):
            for atom in component:
                ranks.component[atom] = i
            if len(component) > 1 or any(a in deps[a] for a in component):
                ranks.level.update(self._levels(component))
        return ranks

    def _levels(self, component: set) -> dict:
        """Least derivation depth inside a positive cycle, atoms below it counting as given."""
        inf = float("inf")
        level = {a: inf for a in component}
        changed = True
        while changed:
            changed = False
            for atom in component:
                for label, values in self.derivations(atom):
                    steps = [min((level.get(m, 0) for m in s.matches), default=inf)
                             for s in self.body(label, values) if s.kind == "pos"]
                    depth = 1 + max(steps, default=0)
                    if depth < level[atom]:
                        level[atom], changed = depth, True
        return level

    def proof(self, roots: list[clingo.Symbol], graph: nx.DiGraph | None = None) -> nx.DiGraph:
        """The proof of `roots` (atoms of the answer set), added to `graph` if given."""
        g = graph if graph is not None else nx.DiGraph(kind="why", roots=[atom_id(r) for r in roots])
        ranks = self._ranks(roots)
        for root in roots:
            self._add_atom(g, root, ranks)
        return g

    def _add_atom(self, g: nx.DiGraph, atom: clingo.Symbol, ranks: _Ranks) -> str:
        nid = atom_id(atom)
        if nid in g:
            return nid
        if atom in self.origin:
            g.add_node(nid, **self._fact_attrs(atom))
            return nid
        g.add_node(nid, kind="atom", atom=str(atom), shown=self.show(atom), gloss=self.gloss(atom))
        for label, values in self.derivations(atom):
            supports = self.body(label, values)
            if all(s.kind != "pos" or any(ranks.ok(atom, m) for m in s.matches) for s in supports):
                g.add_edge(nid, self._add_app(g, atom, label, values, supports, ranks))
        if g.out_degree(nid) == 0:
            g.nodes[nid]["kind"] = "unexplained"
        return nid

    def _add_app(self, g, head, label, values, supports, ranks) -> str:
        nid = f"app:{label}:{values}"
        if nid in g:
            return nid
        rule = self.rules.rules[label]
        env = rb.binding(rule, values)
        g.add_node(nid, **self._rule_attrs(rule), kind="app", instance=self.ground(str(rule.statement), env),
                   verified=all(s.held for s in supports))
        self.heads(rule, values)
        calls = list(self._heads[(label, values)][1])
        for s in supports:
            if s.kind == "pos":
                for m in s.matches:
                    if ranks.ok(head, m):
                        g.add_edge(nid, self._add_atom(g, m, ranks))
            elif s.kind == "neg":
                g.add_edge(nid, self._add_leaf(g, f"not:{s.pattern}", kind="neg", text=s.text,
                                               atom=self.show(s.pattern), reason=self._absence(s.pattern)))
            elif s.kind == "cmp":
                ground = self.ground(s.text, env)
                g.add_edge(nid, self._add_leaf(g, f"cmp:{ground}", kind="cmp", text=s.text, ground=ground,
                                               held=s.held))
                calls += s.calls
            else:
                g.add_edge(nid, self._add_leaf(g, f"cond:{label}:{values}:{s.text}", kind="cond", text=s.text,
                                               ground=self.ground(s.text, env)))
        for name, args, result in calls:
            g.add_edge(nid, self._add_calc(g, name, args, result))
        return nid

    @staticmethod
    def _add_leaf(g, nid, **attrs) -> str:
        if nid not in g:
            g.add_node(nid, **attrs)
        return nid

    def _add_calc(self, g, name, args, result) -> str:
        nid = f"calc:{name}({','.join(map(str, args))})"
        if nid in g:
            return nid
        attrs = {"kind": "calc", "function": name, "result": self.show(result)}
        context = LegalTimeContext(self.answer.context.calendar)
        getattr(context, name)(*args)          # a fresh context records exactly this computation
        if context.computations:
            (start, n, unit, excl, deadline), pc = next(iter(context.computations.items()))
            attrs.update(start=pc.start.isoformat(), n=n, unit=unit, deadline=deadline,
                         raw_end=pc.raw_end.isoformat(), excluded_days=pc.excluded_days,
                         extended_end=pc.extended_end.isoformat(), end=pc.end.isoformat(),
                         holiday_shift=pc.holiday_shift,
                         exclusions=[[from_day(a).isoformat(), from_day(b).isoformat(), r] for a, b, r in excl],
                         steps=[{"source": s, "zh": zh, "en": en} for s, zh, en in pc.steps])
        else:
            attrs.update(args=[self.show(a) for a in args], end=self.show(result))
        g.add_node(nid, **attrs)
        return nid

    # -- node contents --------------------------------------------------------------------------------

    def _fact_attrs(self, atom) -> dict:
        path = self.origin[atom]
        lines, probe = self.answer.scenario.lines, path
        while probe and probe not in lines:                  # a default the file does not spell out
            probe = re.sub(r"(\.[^.\[]+|\[\d+\])$", "", probe) if re.search(r"(\.[^.\[]+|\[\d+\])$", probe) else ""
        return {"kind": "fact", "atom": str(atom), "shown": self.show(atom), "file": self.answer.scenario.file,
                "path": path, "line": lines.get(probe), "written": path in lines,
                "national": self.answer.scenario.national and path == "courts"}

    def _rule_attrs(self, rule: rb.Rule) -> dict:
        quoted = self.quoted_by(rule)
        return {"label": rule.label, "sources": list(rule.sources), "statute": self.statute(rule),
                "statute_of": quoted.label if quoted is not rule and quoted.statute else None,
                "file": f"rules/{rule.file}", "line": rule.line}

    def statute(self, rule: rb.Rule, limit: int = 80) -> str:
        """The statute text quoted above the rule, shortened (see `quoted_by`)."""
        return shorten(self.quoted_by(rule).statute, limit)

    def quoted_by(self, rule: rb.Rule) -> rb.Rule:
        """The rule whose `%>` quote applies to `rule`: its own, else, for a rule without one, the
        nearest rule above it in the same file citing a common source, if only annotations and blank
        lines stand between them (a04_urge written under a04_ground). Shown marked as inherited."""
        if rule.label not in self._statutes:
            self._statutes[rule.label] = rule
            if not rule.statute:
                previous = self._previous(rule)
                if previous is not None and set(previous.sources) & set(rule.sources):
                    self._statutes[rule.label] = self.quoted_by(previous)
        return self._statutes[rule.label]

    def _previous(self, rule: rb.Rule) -> rb.Rule | None:
        earlier = [r for r in self.rules.rules.values() if r.file == rule.file and r.line < rule.line]
        if not earlier:
            return None
        previous = max(earlier, key=lambda r: r.line)
        path = self.rules.folder / rule.file
        lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
        between = lines[previous.line + previous.text.count("\n"):rule.line - 1]
        return previous if all(not x.strip() or x.lstrip().startswith("%@") for x in between) else None

    def _absence(self, pattern) -> str:
        if pattern.name == "exception":
            return "exception"
        return "input" if (pattern.name, len(pattern.arguments)) in INPUT_SIGNATURES else "derived"

    def show(self, s: clingo.Symbol, names: bool = True) -> str:
        """A symbol for people: day numbers as ISO dates, court ids as names (unless `names` is off)."""
        key = (s, names)
        if key not in self._shown:
            self._shown[key] = self._show(s, names)
        return self._shown[key]

    def _show(self, s: clingo.Symbol, names: bool) -> str:
        if s.type == NUMBER:
            return from_day(s.number).isoformat() if s.number > DATE_MIN else str(s.number)
        if s.type == STRING:
            return self.answer.scenario.court_name(s.string) if names else json.dumps(s.string, ensure_ascii=False)
        if s.type == FUNCTION:
            if s.name == VAR:
                return s.arguments[0].string
            if s.name == EXT:
                return "@…"
            args = ", ".join(self.show(a, names) for a in s.arguments)
            if not s.name:
                return f"({args}{',' if len(s.arguments) == 1 else ''})"
            return ("" if s.positive else "-") + (f"{s.name}({args})" if s.arguments else s.name)
        return str(s)

    def ground(self, text: str, env: dict) -> str:
        """Rule text with its variables replaced by their values (dates as ISO)."""
        def value(m):
            token = m.group(0)
            if re.match(r"_*[A-Z]", token) and token in env:
                return self.show(env[token], names=False)
            if token in self.consts:
                return self.show(self.consts[token], names=False)
            return token
        return re.sub(r'"(?:[^"\\]|\\.)*"|@?[A-Za-z_][A-Za-z0-9_\']*', value, text)

    def gloss(self, atom: clingo.Symbol) -> dict | None:
        """Conclusions in words: {"zh": "江苏省苏州市中级人民法院 可以 提级执行 案件 c1", "en": …}."""
        args = atom.arguments
        if atom.name == "holds" and len(args) == 5:
            modality, args = args[0].name, args[1:]
        elif atom.name in ("must", "should", "may", "should_not", "must_not") and len(args) == 4:
            modality = atom.name
        elif atom.name == "deadline" and len(args) == 5:
            modality = None
        else:
            return None
        if args[2].type != FUNCTION or not args[2].arguments or args[2].arguments[0].type != STRING:
            return None
        out = {}
        for lang in ("zh", "en"):
            actor = self._actor(args[0], lang)
            words = [actor] + ([vocab.name(vocab.MODALITIES, modality, lang)] if modality else []) + \
                    [vocab.name(vocab.ACTIONS, args[1].name, lang), describe_object(self.answer, args[2], lang)]
            target = target_name(self.answer, args[3])
            text = " ".join(words) + (f" → {target}" if target else "")
            if modality is None:
                text += ("，期限 " if lang == "zh" else ", deadline ") + self.show(args[4])
            out[lang] = text
        return out

    def _actor(self, actor: clingo.Symbol, lang: str) -> str:
        if actor.type == STRING:
            return self.answer.scenario.court_name(actor.string)
        return vocab.name(vocab.ACTORS, actor.name, lang) if actor.type == FUNCTION else str(actor)

    # -- whynot -----------------------------------------------------------------------------------------

    def attempt(self, rule: rb.Rule, pattern, query: clingo.Symbol) -> dict | None:
        """The best partial binding of `rule` towards `query`: the most body literals satisfied
        (taken in written order, postponing `not …` and comparisons until their variables are bound),
        and the first literal that failed under it. None if the rule's head cannot give `query`."""
        env: dict = {}
        if pattern is not None and not unify(pattern, query, env):
            return None
        body = self.literals(rule)
        best: dict = {}
        budget = [BUDGET]

        def record(met, env, failure):
            if not best or len(met) > len(best["met"]):
                best.update(met=met, env=env, **failure)

        def visit(env, todo, met):
            budget[0] -= 1
            if budget[0] < 0:
                return
            step = self._next(rule, body, todo, env)
            if step is None:
                record(met, env, {"failure": "unchecked", "literal": body[todo[0]].text} if todo
                       else {"failure": "none"})
                return
            kind, i, value = step
            rest, text = tuple(j for j in todo if j != i), body[i].text
            if kind == "pos":
                matches = self.matching(value)
                if not matches:
                    record(met, env, {"failure": "missing", "literal": text, "pattern": value})
                for m in matches[:BRANCH]:
                    extended = dict(env)
                    unify(value, m, extended)
                    visit(extended, rest, met + [(self.show(m), m)])
            elif kind == "neg":
                matches = self.matching(value)
                if matches:
                    record(met, env, {"failure": "blocked", "literal": text, "pattern": value, "atoms": matches})
                else:
                    visit(env, rest, met + [(f"not {self.show(value)}", None)])
            elif kind == "cmp":
                held, calls = value
                if held:
                    visit(env, rest, met + [(self.ground(text, env), None)])
                else:
                    compared = {env[v] for v in re.findall(r"(?<![\w@\"])_*[A-Z][A-Za-z0-9_']*", text) if v in env}
                    record(met, env, {"failure": "false", "literal": text, "ground": self.ground(text, env),
                                      "calls": calls, "compared": compared})
            else:
                visit(env, rest, met + [(f"{self.ground(text, env)} (?)", None)])

        visit(env, tuple(range(len(body))), [])
        return best

    def _next(self, rule, body, todo, env):
        """The first literal (in written order) that can be checked under `env`."""
        for i in todo:
            literal = body[i]
            if literal.kind == "atom":
                pattern = self._literal_pattern(rule, literal, env, strict=literal.negative)
                if pattern is not None:
                    return ("neg" if literal.negative else "pos"), i, pattern
            elif literal.kind == "comparison":
                calls: list = []
                try:
                    held = self._compare(literal.payload, literal.text, _Strict(env), calls)
                except (KeyError, RuntimeError, ValueError, AttributeError, TypeError):
                    continue     # a variable still unbound, or arithmetic on one
                return "cmp", i, (held, tuple(calls))
            else:
                return "cond", i, None
        return None

    def whynot(self, query: Query, depth: int = MAX_DEPTH) -> nx.DiGraph:
        g = nx.DiGraph(kind="whynot", title=self.gloss(query.modal_atom()))
        root = f"whynot:{query.modal_atom()}"
        g.add_node(root, kind="whynot", atom=str(query.modal_atom()), gloss=self.gloss(query.modal_atom()))
        g.graph["roots"] = [root]
        holding = self.holding(query)
        family = next(f for f in FAMILIES if query.modality in f)
        stronger = [h for h in holding if h.arguments[0].name in family
                    and family.index(h.arguments[0].name) <= family.index(query.modality)]
        if stronger:
            h = stronger[0]
            g.graph["satisfied"] = True
            note = _note(g, root, "satisfied" if h.arguments[0].name != query.modality else "holds",
                         modality=h.arguments[0].name, asked=query.modality)
            self.proof([h], g)
            g.add_edge(note, atom_id(h))
            return g
        for h in holding:            # named only: `why` proves it; here it would bury the failures
            _note(g, root, "other_modality", modality=h.arguments[0].name)
        target = query.modal_atom()
        tried = self._attempts(g, root, target, depth, frozenset())
        if not tried:
            others = sorted({rule.head_signature[0] for sig, producers in self.producers.items()
                             if sig[1] == 4 and sig[0] in vocab.POSITIVE + vocab.NEGATIVE
                             for rule, pattern in producers
                             if pattern is not None and unify(pattern, query.modal_atom(sig[0]), {})})
            _note(g, root, "no_rule", modality=query.modality, action=query.action, others=others)
        return g

    def _attempts(self, g, parent, target, depth, path) -> int:
        """Add one node per rule that could derive `target`, with why it did not; returns how many."""
        count = 0
        for rule, pattern in self.producers.get((target.name, len(target.arguments)), ()):
            key = (rule.label, str(target))
            if key in path:
                continue
            result = self.attempt(rule, pattern, target)
            if result is None:
                continue
            count += 1
            nid = f"try:{rule.label}:{target}"
            if nid in g:
                g.add_edge(parent, nid)
                continue
            env = result["env"]
            binding = {v: self.show(env[v]) for v in rule.variables if v in env}
            g.add_node(nid, kind="attempt", **self._rule_attrs(rule), met=[t for t, _ in result["met"]], binding=binding,
                       complete=result["failure"] == "none", target=self.show(target))
            g.add_edge(parent, nid)
            if result["failure"] != "none":
                self._add_failure(g, nid, result, depth, path | {key})
        return count

    def _add_failure(self, g, parent, result, depth, path):
        fid, failure = f"{parent}:fail", result["failure"]
        if failure == "missing":       # shared by every attempt that lacks the same atom
            pattern = result["pattern"]
            sig, fid = (pattern.name, len(pattern.arguments)), f"missing:{pattern}"
            if fid not in g:
                g.add_node(fid, kind="missing", literal=result["literal"], atom=self.show(pattern),
                           hint=self.hint(pattern), derivable=sig in self.producers, expanded=False)
            g.add_edge(parent, fid)
            if sig in self.producers and depth > 1 and not g.nodes[fid]["expanded"]:
                g.nodes[fid]["expanded"] = True
                self._attempts(g, fid, pattern, depth - 1, path)
        elif failure == "blocked":
            g.add_node(fid, kind="blocked", literal=result["literal"], atom=self.show(result["pattern"]),
                       atoms=[self.show(a) for a in result["atoms"]])
            g.add_edge(parent, fid)
            self.proof(result["atoms"][:3], g)
            for a in result["atoms"][:3]:
                g.add_edge(fid, atom_id(a))
        elif failure == "false":        # with how the compared dates were reached
            g.add_node(fid, kind="false", literal=result["literal"], ground=result["ground"])
            g.add_edge(parent, fid)
            for name, args, value in result["calls"]:
                g.add_edge(fid, self._add_calc(g, name, args, value))
            derived = [a for _, a in result["met"] if a is not None and a not in self.origin
                       and set(a.arguments) & result["compared"]]
            self.proof(derived, g)
            for a in derived:
                g.add_edge(fid, atom_id(a))
        else:
            g.add_node(fid, kind="unchecked", literal=result["literal"])
            g.add_edge(parent, fid)

    def hint(self, pattern) -> str | None:
        """Where a missing scenario fact would be written: `cases[0].circumstances` …"""
        sections = {"circumstance": "circumstances", "event": "events", "event_by": "events[].by",
                    "event_for": "events[].for", "asset": "assets", "asset_found": "assets[].found",
                    "asset_disposed": "assets[].disposed", "measure_expires": "assets[].measure_expires",
                    "filed": "filed", "applied": "applied", "status": "status", "obligation": "obligation",
                    "case_court": "court", "case_debtor": "debtor", "applicant": "applicants",
                    "excluded": "excluded_periods"}
        if pattern.name in sections and pattern.arguments and pattern.arguments[0].type == STRING:
            ids = [k.id for k in self.answer.scenario.cases]
            if pattern.arguments[0].string in ids:
                return f"cases[{ids.index(pattern.arguments[0].string)}].{sections[pattern.name]}"
        if pattern.name.startswith("decision"):
            return "decisions"
        if pattern.name in ("court", "level", "parent", "court_kind"):
            return "courts"
        if pattern.name.startswith(("dispute", "negotiation")):
            return "disputes"
        return None

    def holding(self, query: Query) -> list[clingo.Symbol]:
        """holds/5 atoms for the query's actor, action and object (and target, if given)."""
        out = []
        for atom, (_, actor, action, obj, target) in self._position(("holds", 5), 1).get(query.actor, []):
            if (action.name, obj) == (query.action, query.object) and \
                    (query.target is None or target == query.target):
                out.append(atom)
        return sorted(out, key=str)

    def conclusion_roots(self, c: Conclusion) -> list[clingo.Symbol]:
        """The holds/5 atom of a conclusion, and its deadline atom if it has one."""
        roots = [holds_atom(c)]
        if c.deadline:
            for atom, (a, act, o, t, day) in self._position(("deadline", 5), 0).get(c.actor, []):
                if (act.name, o, t) == (c.action, c.object, c.target) and from_day(day.number) == c.deadline:
                    roots.append(atom)
        return roots


def atom_id(atom: clingo.Symbol) -> str:
    return f"atom:{atom}"


def holds_atom(c: Conclusion) -> clingo.Symbol:
    return clingo.Function("holds", [clingo.Function(c.modality), c.actor, clingo.Function(c.action), c.object, c.target])


# -- the reader's proof: statute-level steps only ---------------------------------------------------------

LIBRARY_SOURCE = "本库约定"


def is_bookkeeping(node: dict) -> bool:
    """An internal step: a rule labelled core_* (the machinery of modalities, courts, case state,
    time) or one whose only source is the library's own convention (本库约定)."""
    return node["kind"] == "app" and (node["label"].startswith("core_")
                                      or set(node["sources"]) <= {LIBRARY_SOURCE})


def fold_internal(g: nx.DiGraph) -> nx.DiGraph:
    """The proof as a reader wants it (`why` without --full): the conclusions, the statute-level
    rule applications, the facts from the scenario (file:line), the period computations, and the
    exceptions that did not apply. A bookkeeping step (see is_bookkeeping) and an intermediate atom
    without words of its own (pending/2, origin/2, deadline_from/7 …) are folded into the step they
    serve: their own supports become that step's. Comparisons, solver-checked conditions and absent
    helper atoms are left out. Where a conclusion is only restated by bookkeeping (holds/5 over
    must/4) the two are one node. Every node kept is a node of `g`; a kept rule application lists
    the labels of the steps folded into it (`folded`), and the graph is marked `folded`."""
    kept_kinds = {"fact", "calc", "unexplained", "whynot", "note", "attempt", "missing", "blocked", "false"}

    def role(nid) -> str:
        node = g.nodes[nid]
        kind = node["kind"]
        if kind == "app":
            return "through" if is_bookkeeping(node) else "keep"
        if kind == "atom":
            return "keep" if node.get("gloss") else "through"
        if kind == "neg":
            return "keep" if node.get("reason") == "exception" else "drop"
        return "keep" if kind in kept_kinds else "drop"

    memo: dict[str, list[str]] = {}

    def visible(nid) -> list[str]:
        """The kept nodes that stand for `nid` in the folded graph (itself, or what it folds into)."""
        if nid not in memo:
            memo[nid] = []                      # a cycle through bookkeeping adds nothing
            r = role(nid)
            memo[nid] = [nid] if r == "keep" else [] if r == "drop" else _unique(
                v for child in g.successors(nid) for v in visible(child))
        return memo[nid]

    out = nx.DiGraph(**{**g.graph, "folded": True})
    todo = _unique(v for root in g.graph.get("roots", []) for v in (
        visible(root) if role(root) == "through" and g.nodes[root]["kind"] != "atom" else [root]))
    roots = []
    for root in todo:
        roots.append(_merge_restated(g, root, visible))
    out.graph["roots"] = _unique(roots)
    stack = list(out.graph["roots"])
    while stack:
        nid = stack.pop()
        if nid in out and out.nodes[nid].get("_done"):
            continue
        out.add_node(nid, **g.nodes[nid], _done=True)
        children = _unique(v for child in g.successors(nid) for v in visible(child))
        children = [_merge_restated(g, c, visible) for c in children]
        for child in children:
            out.add_edge(nid, child)
            stack.append(child)
    for nid in out:
        out.nodes[nid].pop("_done", None)
        if out.nodes[nid]["kind"] == "app":
            folded = _folded_steps(g, nid, role)
            if folded:
                out.nodes[nid]["folded"] = folded
    return out


def _folded_steps(g: nx.DiGraph, nid: str, role) -> list[str]:
    """The labels of the bookkeeping steps folded into the application `nid`."""
    labels, stack, seen = [], list(g.successors(nid)), set()
    while stack:
        child = stack.pop(0)
        if child in seen or role(child) != "through":
            continue
        seen.add(child)
        if g.nodes[child]["kind"] == "app":
            labels.append(g.nodes[child]["label"])
        stack += list(g.successors(child))
    return _unique(labels)


def _merge_restated(g: nx.DiGraph, nid: str, visible) -> str:
    """holds(must, …) proven only through bookkeeping from must(…): show the one node."""
    node = g.nodes[nid]
    while node["kind"] == "atom" and node.get("gloss"):
        below = _unique(v for child in g.successors(nid) for v in visible(child))
        if len(below) == 1 and g.nodes[below[0]].get("gloss") == node["gloss"] and \
                all(is_bookkeeping(g.nodes[c]) for c in g.successors(nid)):
            nid, node = below[0], g.nodes[below[0]]
        else:
            break
    return nid


def _unique(items) -> list:
    return list(dict.fromkeys(items))


def _note(g, parent, message, **params) -> str:
    nid = f"note:{message}:{len(g)}"
    g.add_node(nid, kind="note", message=message, **params)
    g.add_edge(parent, nid)
    return nid


def shorten(text: str, limit: int = 80) -> str:
    """Cut at the last sentence mark before `limit` characters, else hard, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = max(text.rfind(mark, 0, limit) for mark in "。；，")
    return (text[:cut] if cut > limit // 2 else text[:limit]) + "…"


def explainer(answer: Answer) -> Explainer:
    """The answer's Explainer, built once. An answer solved without `explain` is solved again with it."""
    cached = getattr(answer, "_explainer", None)
    if cached is None:
        as_of = clingo.Function("as_of", [clingo.Number(to_day(answer.scenario.as_of))])
        if as_of not in answer.atoms:            # only the shown atoms were kept
            from .solve import solve
            full = solve(answer.scenario, answer.rulebase, explain=True)
            answer.atoms, answer.apps = full.atoms, full.apps
        cached = answer._explainer = Explainer(answer)
    return cached


# -- public functions ----------------------------------------------------------------------------------

def proof_graph(answer: Answer, c: Conclusion) -> nx.DiGraph:
    """The proof of one conclusion (and of its deadline); roots in `graph.graph["roots"]`."""
    ex = explainer(answer)
    roots = ex.conclusion_roots(c)
    g = ex.proof(roots)
    g.graph["title"] = ex.gloss(roots[0])
    return g


def short_reason(answer: Answer, c: Conclusion, lang: str = "zh") -> str:
    """One or two lines: the sources, then the dates computed and the findings the proof rests on."""
    g = proof_graph(answer, c)
    items: list[str] = []
    for root in g.graph["roots"]:
        for nid in nx.dfs_preorder_nodes(g, root):
            phrase = _salient(answer, g.nodes[nid], lang)
            if phrase and phrase not in items:
                items.append(phrase)
    zh = lang == "zh"
    head = (f"依据{'、'.join(c.sources)}：" if zh else f"Under {', '.join(c.sources)}: ")
    if not items:          # no date or finding to name: quote the first statute text of the proof
        quote = next((shorten(d["statute"], 60) for n in nx.dfs_preorder_nodes(g, g.graph["roots"][0])
                      if (d := g.nodes[n])["kind"] == "app" and d["statute"]), "")
        return head + (f"“{quote}”" if quote else ("规则条件均已满足" if zh else "the rule's conditions hold"))
    shown = items[:4] + (["等" if zh else "…"] if len(items) > 4 else [])
    sep = "；" if zh else "; "
    text = head + sep.join(shown)
    if len(text) > 110 and len(shown) > 1:      # two lines rather than one very long one
        half = (len(shown) + 1) // 2
        text = head + sep.join(shown[:half]) + sep.rstrip() + "\n" + sep.join(shown[half:])
    return text


def _salient(answer: Answer, node: dict, lang: str) -> str | None:
    """The findings a lawyer looks for first: dates computed, circumstances, events, decisions."""
    zh = lang == "zh"
    kind = node["kind"]
    if kind == "calc" and "start" in node:
        unit = {"day": ("日", "day(s)"), "month": ("个月", "month(s)"), "year": ("年", "year(s)")}[node["unit"]]
        if zh:
            text = f"自{node['start']}起{node['n']}{unit[0]}，期满{node['extended_end']}"
            if node["excluded_days"]:
                reasons = "、".join(vocab.name(vocab.EXCLUSION_REASONS, r, "zh") for _, _, r in node["exclusions"])
                text += f"（不计{reasons}{node['excluded_days']}日）"
            if node["holiday_shift"]:
                text += f"，遇休息日顺延至{node['end']}"
            return text
        text = f"{node['n']} {unit[1]} from {node['start']} end on {node['extended_end']}"
        if node["excluded_days"]:
            reasons = ", ".join(vocab.name(vocab.EXCLUSION_REASONS, r, "en") for _, _, r in node["exclusions"])
            text += f" ({node['excluded_days']} day(s) of {reasons} not counted)"
        if node["holiday_shift"]:
            text += f", moved past rest days to {node['end']}"
        return text
    if kind != "fact":
        return None
    atom = clingo.parse_term(node["atom"])
    args = atom.arguments

    def date(i):
        return from_day(args[i].number).isoformat()

    if atom.name == "circumstance" and len(args) == 2:
        return f"{args[0].string}{'：' if zh else ': '}{vocab.name(vocab.CIRCUMSTANCES, args[1].name, lang)}"
    if atom.name == "event" and len(args) == 4:
        return f"{args[0].string} {date(2)} {vocab.name(vocab.EVENT_TYPES, args[3].name, lang)}"
    if atom.name == "decision" and len(args) == 4:
        by = answer.scenario.court_name(args[2].string) if args[2].type == STRING else str(args[2])
        kind_name = vocab.name(vocab.DECISION_KINDS, args[1].name, lang)
        return f"{date(3)} {by}作出{kind_name}决定" if zh else f"{date(3)} {by} decided: {kind_name}"
    if atom.name == "decision_received" and len(args) == 2:
        return f"{date(1)} 收到该决定" if zh else f"{date(1)} decision received"
    return None


# -- the command line -----------------------------------------------------------------------------------

MAX_CONCLUSION = 10_000     # characters of a CONCLUSION argument; a real one has about 100


def parse_conclusion(text: str, answer: Answer, file: str) -> Query:
    """`modality actor action object [-> target]`, or the JSON object of one conclusion."""
    def bad(where, expected):
        raise InputError(file, f"CONCLUSION{'.' + where if where else ''}", expected)

    text = text.strip()
    if len(text) > MAX_CONCLUSION:
        bad("", f"expected a conclusion of at most {MAX_CONCLUSION:,} characters, got {len(text):,}")
    if text.startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            bad("", f"expected the JSON object of one conclusion ({e.msg} at column {e.colno})")
        except (ValueError, RecursionError):   # a number of thousands of digits, nesting thousands deep
            bad("", "expected the JSON object of one conclusion (a value too long or nested too deep)")
        if not isinstance(data, dict):
            bad("", "expected a JSON object")
        objects = [(k, data[k]) for k in ("case", "debtor", "dispute", "area") if data.get(k) is not None]
        if len(objects) != 1:
            bad("", "expected exactly one of case, debtor, dispute, area")
        for key in ("modality", "actor", "action"):
            if not isinstance(data.get(key), str):
                bad(key, "expected a string")
        modality, actor, action = data["modality"], data["actor"], data["action"]
        kind, obj = objects[0]
        if isinstance(obj, bool) or not isinstance(obj, (str, int)):
            bad(kind, f"expected the id as a string, got {echo(obj)}")
        obj = str(obj)
        target = data.get("target")
        if target is not None and not isinstance(target, str):
            bad("target", f"expected a court's name or id as a string, or null, got {echo(target)}")
    else:
        left, _, right = text.partition("->")
        words = left.split()
        if len(words) != 4 or (_ and not right.strip()):
            bad("", 'expected "modality actor action object [-> target]", e.g. "may 江苏省高级人民法院 elevate c1"')
        modality, actor, action, obj = words
        kind, target = None, right.strip() or None
    modality = next((m for m, names in vocab.MODALITIES.items() if modality in (m, names["zh"], names["en"])), modality)
    if modality not in vocab.MODALITIES:
        bad("modality", f"unknown modality {echo(modality)}; expected one of {', '.join(vocab.MODALITIES)}")
    action = next((a for a, names in vocab.ACTIONS.items() if action in (a, names["zh"])), action)
    if action not in vocab.ACTIONS:
        bad("action", f"unknown action id {echo(action)}; expected an action id of facts/vocab.yaml (e.g. elevate)")
    scenario = answer.scenario
    ids = {"case": [k.id for k in scenario.cases], "dispute": [d.id for d in scenario.disputes],
           "debtor": list(scenario.parties) + [k.debtor for k in scenario.cases if k.debtor]}
    kind = kind or next((k for k in ("case", "dispute", "debtor") if obj in ids[k]), None)
    if kind == "area" or (kind is None and _is_court(obj, scenario)):
        court = _who(obj, scenario, file, "object")                        # a high court's area (art. 27)
        return Query(modality, _who(actor, scenario, file, "actor"), action, clingo.Function("area", [court]),
                     None if target is None else _who(target, scenario, file, "target"), text)
    if kind is None or obj not in ids[kind]:
        bad("object", f"unknown case, debtor or dispute {echo(obj)}; {_expected_ids(obj, ids)}")
    return Query(modality, _who(actor, scenario, file, "actor"), action, clingo.Function(kind, [clingo.String(obj)]),
                 None if target is None else _who(target, scenario, file, "target"), text)


LISTED_IDS = 20        # a file with more ids than this is not listed whole in a message


def _expected_ids(obj: str, ids: dict[str, list[str]]) -> str:
    """What an unknown object could have been: every id of a small file; of a ledger, how many
    there are and the closest few to what was written (a list of 100,000 ids helps nobody)."""
    every = list(dict.fromkeys(ids["case"] + ids["dispute"] + sorted(set(ids["debtor"]))))
    if len(every) <= LISTED_IDS:
        return f"expected one of: {', '.join(every)}"
    counts = f"{len(ids['case']):,} cases, {len(set(ids['debtor'])):,} debtors, {len(ids['dispute']):,} disputes"
    close = difflib.get_close_matches(obj[:100], every, n=5, cutoff=0.5)
    return (f"expected the id of one of the file's {counts}"
            + (f"; the closest: {', '.join(close)}" if close else ""))


def _is_court(ref: str, scenario) -> bool:
    from .courts import CourtIndex
    return CourtIndex(scenario.courts).resolve(ref)[1] is None


def _who(ref: str, scenario, file: str, where: str) -> clingo.Symbol:
    from .courts import CourtIndex
    if ref == "none" and where == "target":
        return clingo.Function("none")
    for key, names in vocab.ACTORS.items():
        if ref in (key, names["zh"], names["en"]):
            return clingo.Function(key)
    court, problem = CourtIndex(scenario.courts).resolve(ref)
    if problem:
        raise InputError(file, f"CONCLUSION.{where}", problem)
    return clingo.String(court)


def _prepare(args):
    from . import RULES
    from .rulebase import load_rulebase, local_files
    from .solve import solve
    rules = load_rulebase(args.rules or RULES, local_files(getattr(args, "local", None)))
    query, part = _component_asked(args)
    answer = solve(part, rules, explain=True)
    return answer, query


def _component_asked(args) -> tuple["Query", Scenario]:
    """The query and the part of the scenario it rests on. A conclusion rests only on its own
    component (crossexec/sweep.py): on a ledger of thousands of cases, that part is read (exactly,
    with the file's lines and key paths: crossexec/stream.py) and solved with provenance, not the
    whole file. A file that cannot be read in pieces is read whole, as before."""
    from types import SimpleNamespace
    from .load import load_scenario
    from .sweep import component_of
    index, text = _ledger_index(args)
    if index is not None:
        from .load import load_scenario_text
        from .stream import read_component
        head = load_scenario_text(index.head, args.scenario, args.as_of)
        ids = SimpleNamespace(file=args.scenario, courts=head.courts, parties=index.debtors,
                              cases=list(map(_Named, index.cases)), disputes=list(map(_Named, index.disputes)))
        query = parse_conclusion(args.conclusion, SimpleNamespace(scenario=ids), args.scenario)
        if query.object.name != "area":
            part = read_component(args.scenario, text, index, query.object.name,
                                  query.object.arguments[0].string, args.as_of)
            if part is not None:
                return query, part
    scenario = load_scenario(args.scenario, args.as_of)
    query = parse_conclusion(args.conclusion, SimpleNamespace(scenario=scenario), args.scenario)
    return query, component_of(scenario, query.object.name, query.object.arguments[0].string)


class _Named:
    """An id for parse_conclusion: a case or dispute of the index (its debtors are in `parties`)."""
    __slots__ = ("id",)
    debtor = None

    def __init__(self, id_: str):
        self.id = id_


def _ledger_index(args):
    """(index, text) of a YAML file that can be read in pieces, or (None, None)."""
    from .stream import ledger_bytes, ledger_index
    text = ledger_bytes(args.scenario)
    return (None, None) if text is None else (ledger_index(args.scenario, text, args.as_of), text)


def why_graph(answer: Answer, query: Query) -> nx.DiGraph | None:
    """The proof of the strongest holding conclusion that satisfies `query`, or None."""
    ex = explainer(answer)
    family = next(f for f in FAMILIES if query.modality in f)
    holding = [h for h in ex.holding(query) if h.arguments[0].name in family
               and family.index(h.arguments[0].name) <= family.index(query.modality)]
    if query.target is None:
        plain = [h for h in holding if h.arguments[4] == clingo.Function("none")]
        holding = plain or holding
        if len({h.arguments[4] for h in holding}) > 1:
            targets = "、".join(sorted({ex.show(h.arguments[4]) for h in holding}))
            raise InputError(answer.scenario.file, "CONCLUSION.target",
                             f"several conclusions match (targets {targets}); add `-> target`")
    if not holding:
        return None
    holding.sort(key=lambda h: family.index(h.arguments[0].name), reverse=True)
    chosen = holding[0]                       # the asked modality if it holds, else the weakest stronger one
    m = chosen.arguments[0].name
    c = next((c for c in answer.conclusions if holds_atom(c) == chosen), None)
    roots = ex.conclusion_roots(c) if c else [chosen]
    g = ex.proof(roots)
    g.graph["title"] = ex.gloss(chosen)
    if m != query.modality:
        g.graph["note"] = {"message": "stronger", "modality": m, "asked": query.modality}
    return g


def run_why(args) -> int:
    answer, query = _prepare(args)
    g = why_graph(answer, query)
    if g is None:
        shown, text = cut(escape(args.scenario)), cut(escape(query.text))
        print(f"crossexec: {shown}: “{text}” does not hold here; to see which condition is "
              f"missing run: crossexec whynot {shown} \"{text}\"", file=sys.stderr)
        return 1
    if not getattr(args, "full", False):
        g = fold_internal(g)
    text = graphs.render(g, args.format, args.lang)
    if args.format == "text":                 # a ranked target: which factor placed it, against whom
        from .render import ranking_explanation
        chosen = next((c for c in answer.conclusions if _matches(c, query)), None)
        if chosen is not None and chosen.rank is not None:
            text = text.rstrip("\n") + "\n" + "\n".join(ranking_explanation(answer, chosen, args.lang)) + "\n"
    sys.stdout.write(escape(text, keep_newlines=True))
    return 0


def _matches(c, query) -> bool:
    return (c.actor, c.action, c.object) == (query.actor, query.action, query.object) and \
        (query.target is None or c.target == query.target) and c.modality == query.modality


def run_whynot(args) -> int:
    answer, query = _prepare(args)
    ex = explainer(answer)
    g = ex.whynot(query, getattr(args, "depth", None) or MAX_DEPTH)
    sys.stdout.write(escape(graphs.render(g, args.format, args.lang), keep_newlines=True))
    return 0

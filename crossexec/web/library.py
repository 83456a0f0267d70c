"""What the workbench shows besides answers, read once when the server starts: the articles (their
statute text from the `%>` lines of rules/guidance/aNN.lp, the rules under each sentence, the
tests), the example scenarios, and the national court hierarchy. The article reader is the one
`crossexec check --coverage` uses (crossexec/check.py); nothing here interprets the law."""
from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path

from .. import ROOT, vocab
from ..check import ARTICLES, TESTS, coverage, survey
from ..errors import InputError

EXAMPLE_FOLDERS = (ROOT / "facts" / "examples", TESTS)
_NAME = re.compile(r"^name:\s*(.+?)\s*$", re.MULTILINE)


class Library:
    def __init__(self, rules: Path, tests: Path = TESTS):
        self.rules, self.tests = Path(rules), Path(tests)

    # -- articles ------------------------------------------------------------------------------------
    @cached_property
    def _survey(self):
        return survey(self.rules)

    @cached_property
    def _coverage(self):
        return {a.number: a for a in coverage(self._survey, self.tests)}

    @cached_property
    def _tests_by_label(self) -> dict[str, list[str]]:
        """label → the scenario tests whose expectations name it (`rests_on`)."""
        labels = {r.label for r in self._survey.labelled()}
        out: dict[str, list[str]] = {}
        for path in sorted(self.tests.rglob("*.yaml")):
            text = path.read_text(encoding="utf-8")
            for label in set(re.findall(r"[a-z][a-z0-9_]*", text)) & labels:
                out.setdefault(label, []).append(str(path.relative_to(self.tests)))
        return out

    def articles(self) -> list[dict]:
        out = []
        for n in ARTICLES:
            a = self._coverage[n]
            out.append({"number": n, "title": a.title, "file": a.file, "exists": a.exists,
                        "non_normative": a.non_normative, "rules": len(a.rules), "tests": len(a.tests),
                        "sentences": len(a.sentences), "covered": sum(s.covered for s in a.sentences)})
        return out

    def article(self, n: int) -> dict:
        if n not in ARTICLES:
            raise InputError("articles", "n", f"expected an article number from 1 to 28, got {n}")
        a = self._coverage[n]
        lines = self._survey.lines.get(a.file, [])
        here = sorted((r for r in a.rules if r.file == a.file), key=lambda r: r.line)
        normative = {s.line: s.covered for s in a.sentences}
        return {"number": n, "title": a.title, "file": a.file, "non_normative": a.non_normative,
                "blocks": self._blocks(lines, here, normative),
                "rules_elsewhere": [self._rule(r) for r in a.rules if r.file != a.file],
                "tests": [f"tests/scenarios/{t}" for t in a.tests]}

    def _rule(self, r) -> dict:
        return {"label": r.label, "sources": list(r.sources), "file": r.file, "line": r.line,
                "tests": [f"tests/scenarios/{t}" for t in self._tests_by_label.get(r.label, [])]}

    def _blocks(self, lines: list[str], rules, normative: dict[int, bool]) -> list[dict]:
        """The file cut at each run of `%>` lines: the statute text, then the code under it (its
        rules with their labels and lines) up to the next run."""
        blocks: list[dict] = [{"statute": [], "code": [], "rules": []}]
        in_statute = False
        for i, line in enumerate(lines, 1):
            if line.lstrip().startswith("%>"):
                if not in_statute and (blocks[-1]["statute"] or blocks[-1]["code"]):
                    blocks.append({"statute": [], "code": [], "rules": []})
                blocks[-1]["statute"].append({"line": i, "text": line.lstrip()[2:].strip(),
                                              "normative": i in normative, "covered": normative.get(i)})
                in_statute = True
            else:
                blocks[-1]["code"].append({"line": i, "text": line})
                in_statute = False
        for block in blocks:
            code_lines = {c["line"] for c in block["code"]}
            block["rules"] = [self._rule(r) for r in rules if r.line in code_lines]
        return [b for b in blocks if b["statute"] or b["rules"] or any(c["text"].strip() for c in b["code"])]

    # -- examples --------------------------------------------------------------------------------------
    @cached_property
    def _examples(self) -> dict[str, Path]:
        found = {}
        for folder in EXAMPLE_FOLDERS:
            for path in sorted(folder.rglob("*.yaml")):
                found[str(path.relative_to(ROOT))] = path
        return found

    def examples(self) -> list[dict]:
        out = []
        for key, path in self._examples.items():
            head = path.read_text(encoding="utf-8")[:4000]
            name = _NAME.search(head)
            group = "examples" if key.startswith("facts/") else path.parent.name
            out.append({"id": key, "group": group, "name": name.group(1).strip("'\"") if name else path.stem})
        return out

    def example(self, key: str) -> str | None:
        path = self._examples.get(key)        # only the files listed: never a path the client makes up
        return path.read_text(encoding="utf-8") if path else None

    # -- courts ------------------------------------------------------------------------------------------
    @cached_property
    def courts(self):
        from ..courts_cli import _courts
        from types import SimpleNamespace
        return _courts(SimpleNamespace(scenario=None))[0]

    @cached_property
    def court_index(self):
        from ..courts import CourtIndex
        return CourtIndex(self.courts)

    def resolve(self, ref: str, where: str = "QUERY") -> str:
        court_id, problem = self.court_index.resolve(ref)
        if problem:
            raise InputError("facts/courts", where, problem)
        return court_id

    def court(self, ref: str) -> dict:
        """What `crossexec courts NAME` prints, as JSON."""
        courts, court_id = self.courts, self.resolve(ref)
        court = courts[court_id]
        brief = lambda c: {"id": c.id, "name": c.name, "level": c.level}   # noqa: E731
        children = sorted((c for c in courts.values() if c.parent == court_id), key=lambda c: c.name)
        peers = sorted((c for c in courts.values() if court.parent and c.parent == court.parent
                        and c.level == court.level and c.id != court_id), key=lambda c: c.name)
        return {**brief(court), "level_zh": vocab.name(vocab.LEVELS, court.level), "kind": court.kind,
                "area": court.area, "superiors": [brief(courts[c]) for c in self.court_index.chain(court_id)[1:]],
                "children": [brief(c) for c in children], "peers": [brief(c) for c in peers]}

    def common(self, refs: list[str]) -> dict:
        """`crossexec courts --common A B …`: the lowest common superior, from rules/core/courts.lp."""
        from ..courts_cli import lowest_common_superior
        ids = [self.resolve(ref) for ref in refs]
        if len(set(ids)) < 2:
            raise InputError("facts/courts", "QUERY", "--common needs at least two different courts")
        found = lowest_common_superior(self.courts, ids)
        return {"courts": [self.courts[c].name for c in ids],
                "common": {"id": found, "name": self.courts[found].name} if found else None}

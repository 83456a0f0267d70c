"""Proof graphs as text, JSON, DOT, Mermaid and HTML (crossexec/graphs.py).

DOT is checked by Graphviz itself (`dot -Tsvg`; `make test` installs Graphviz when it is missing,
and the DOT tests skip, saying so, only if `dot` is still absent). Mermaid has no checker here,
so graphs.check_mermaid is a small validator of the subset graphs.py writes; it is tested below
against broken input too."""
from __future__ import annotations

import json
import shutil
import subprocess
from html.parser import HTMLParser

import networkx as nx
import pytest

from crossexec import ROOT, explain, graphs
from crossexec.load import load_scenario
from crossexec.rulebase import load_rulebase
from crossexec.solve import solve

DEMO = ROOT / "facts" / "examples" / "demo.yaml"
CASES = ROOT / "tests" / "explain_cases"
NASTY = 'a "quoted" \\ back\\slash\nnew line [bracket] {brace} <tag> | pipe # hash `tick` ; semi &amp; 中文（括号）'


@pytest.fixture(scope="module")
def samples():
    """A proof with a deadline, a whynot with an exception proof, and a graph of hostile labels."""
    rules = load_rulebase()
    demo = solve(load_scenario(DEMO), rules, explain=True)
    c = next(c for c in demo.conclusions if c.action == "transfer_files")
    request = solve(load_scenario(CASES / "applicant_request.yaml"), rules, explain=True)
    query = explain.parse_conclusion("may sz instruct c1", request, "applicant_request.yaml")
    nasty = nx.DiGraph(kind="why", roots=["atom:x(\"a\")"], title={"zh": NASTY, "en": NASTY})
    nasty.add_node('atom:x("a")', kind="atom", atom='x("a")', shown=NASTY, gloss=None)
    nasty.add_node("app:r:(\"a\",)", kind="app", label="r", sources=["本库约定"], statute=NASTY, statute_of=None,
                   file="rules/x.lp", line=1, instance=NASTY, verified=True)
    nasty.add_node('atom:y("\\"")', kind="fact", atom='y("\\"")', shown=NASTY, file="s.yaml", path="cases[0]",
                   line=3, written=True, national=False)
    nasty.add_edge('atom:x("a")', 'app:r:("a",)')
    nasty.add_edge('app:r:("a",)', 'atom:y("\\"")')
    why = explain.proof_graph(demo, c)
    return {"why": why, "folded": explain.fold_internal(why), "whynot": explain.explainer(request).whynot(query),
            "nasty": nasty}


NAMES = ("why", "folded", "whynot", "nasty")


@pytest.mark.parametrize("name", NAMES)
def test_dot_is_accepted_by_graphviz(samples, name):
    if shutil.which("dot") is None:
        pytest.skip("Graphviz `dot` is not installed (make test installs it): DOT output NOT checked")
    for lang in ("zh", "en"):
        result = subprocess.run(["dot", "-Tsvg"], input=graphs.to_dot(samples[name], lang), text=True,
                                capture_output=True, timeout=60)
        assert result.returncode == 0 and "<svg" in result.stdout, result.stderr
        assert "Warning" not in result.stderr and "Error" not in result.stderr, result.stderr


def test_dot_escapes_labels():
    assert graphs.dot_escape('a"b\\c\nd') == 'a\\"b\\\\c\\nd'


@pytest.mark.parametrize("name", NAMES)
def test_mermaid_passes_the_validator(samples, name):
    for lang in ("zh", "en"):
        text = graphs.to_mermaid(samples[name], lang)
        assert graphs.check_mermaid(text) == []
        assert text.count("-->") == samples[name].number_of_edges()


@pytest.mark.parametrize("text, problem", [
    ('graph XY\n  n0["a"]', "first line"),
    ('flowchart TD\n  n0["say "hi""]', "not a node"),
    ('flowchart TD\n  n0["a<b"]', "not a node"),
    ('flowchart TD\n  n0["a"]\n  n0 --> n1', "undeclared node n1"),
    ('flowchart TD\n  n0["a"]\n  n0["b"]', "declared twice"),
    ('flowchart TD\n  n0[a "b"]', "not a node"),
    ('flowchart TD\n  n0["a"] --> ', "not a node"),
])
def test_mermaid_validator_catches_mistakes(text, problem):
    assert any(problem in p for p in graphs.check_mermaid(text))


def test_mermaid_escapes_what_would_break_a_label():
    escaped = graphs.mermaid_escape(NASTY)
    assert '"' not in escaped and "<tag>" not in escaped and "\n" not in escaped and "<br/>" in escaped


@pytest.mark.parametrize("name", NAMES)
def test_json_has_stable_ids_and_closed_edges(samples, name):
    first, second = graphs.to_json(samples[name], "zh"), graphs.to_json(samples[name], "zh")
    assert first == second
    data = json.loads(first)
    ids = [n["id"] for n in data["nodes"]]
    assert len(ids) == len(set(ids)) and set(data["roots"]) <= set(ids)
    assert all(e["from"] in ids and e["to"] in ids for e in data["edges"])
    assert all(n["text"] for n in data["nodes"])


def test_ids_are_the_same_in_a_new_run(samples):
    rules = load_rulebase()
    demo = solve(load_scenario(DEMO), rules, explain=True)
    c = next(c for c in demo.conclusions if c.action == "transfer_files")
    assert list(explain.proof_graph(demo, c).nodes) == list(samples["why"].nodes)


class _Tags(HTMLParser):
    VOID = {"meta", "br", "input", "link", "img"}

    def __init__(self):
        super().__init__()
        self.stack, self.problems, self.seen = [], [], set()

    def handle_starttag(self, tag, attrs):
        self.seen.add(tag)
        for key, value in attrs:
            if key in ("src", "href") and value and not value.startswith("#"):
                self.problems.append(f"external reference {key}={value}")
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.problems.append(f"unbalanced </{tag}>")


@pytest.mark.parametrize("name", NAMES)
def test_html_is_one_self_contained_page(samples, name):
    page = graphs.to_html(samples[name], "zh")
    parser = _Tags()
    parser.feed(page)
    assert parser.problems == [] and parser.stack == []
    assert {"details", "summary", "style", "script"} <= parser.seen
    assert "http://" not in page and "https://" not in page
    if name == "nasty":
        assert "<tag>" not in page and "&lt;tag&gt;" in page


def test_text_tree_shares_sub_proofs_and_speaks_both_languages(samples):
    zh, en = graphs.to_text(samples["why"], "zh"), graphs.to_text(samples["why"], "en")
    assert zh.startswith("为什么：") and en.startswith("Why: ")
    assert "（见上）" in zh and "(see above)" in en
    assert "规则 a06_transfer_files【指导意见第6条第1款】" in zh and "rule a06_transfer_files [指导意见第6条第1款]" in en
    assert "[民事诉讼法第85条] 期满日2024-10-04为法定休假日，顺延至其后第一个工作日2024-10-08" in zh
    whynot = graphs.to_text(samples["whynot"], "zh")
    assert whynot.startswith("为什么不：") and "被排除：" in whynot


def test_dot_proof_renders_chinese_in_png(samples, tmp_path):
    """The DOT output names a CJK font; Graphviz must resolve it to a font that covers Chinese, or
    the PNG shows empty boxes. `dot -v` says which font file it used; fontconfig says whether that
    file covers Chinese (`fc-list :lang=zh`)."""
    if shutil.which("dot") is None:
        pytest.skip("Graphviz `dot` is not installed (make test installs it): PNG rendering NOT checked")
    cjk = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True).stdout if \
        shutil.which("fc-list") else ""
    cjk_files = {line.split(":")[0].strip() for line in cjk.splitlines() if line.strip()}
    if not cjk_files:
        pytest.skip("no CJK font is installed (make test installs fonts-noto-cjk): PNG rendering NOT checked")
    text = graphs.to_dot(samples["folded"], "zh")
    assert f'fontname="{graphs.DOT_FONT}"' in text
    png = tmp_path / "why.png"
    result = subprocess.run(["dot", "-v", "-Tpng", "-o", str(png)], input=text, text=True,
                            capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr
    used = [line for line in result.stderr.splitlines() if line.startswith("fontname:")]
    assert used, result.stderr
    for line in used:
        assert any(f in line for f in cjk_files), f"Graphviz drew with a font without Chinese: {line}"
        # and that font has a glyph for every non-ASCII character of the proof (no empty boxes)
        font_file = line.rsplit(" ", 1)[-1]
        wanted = {ch for ch in text if ord(ch) > 0x7F}
        missing = sorted(wanted - _covered(font_file, wanted))
        assert missing == [], f"{font_file} has no glyph for {''.join(missing)}"
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert width > 500 and height > 100


def _covered(font_file: str, chars: set[str]) -> set[str]:
    """Those of `chars` that a font file has glyphs for (in any of its faces), as fontconfig reports."""
    out = subprocess.run(["fc-query", "--format", "%{charset}\n", font_file], capture_output=True, text=True,
                         timeout=60).stdout
    spans = [(int(a, 16), int(b or a, 16)) for a, _, b in (span.partition("-") for span in out.split())]
    return {ch for ch in chars if any(lo <= ord(ch) <= hi for lo, hi in spans)}

"""`why` for a reader (issue 12, part 4): by default only the statute-level steps — the facts of
the scenario with file and line, the articles, the period computations — with the internal
bookkeeping (core_*, 本库约定) folded into the step it serves; `--full` shows every step."""
import json
import re

import pytest

from crossexec import ROOT, explain, graphs
from crossexec.cli import main
from crossexec.load import load_scenario
from crossexec.rulebase import load_rulebase
from crossexec.solve import solve

DEMO = str(ROOT / "facts" / "examples" / "demo.yaml")
TRANSFER = "must 苏州市吴江区人民法院 transfer_files c2 -> 昆山市人民法院"   # as in the README


def _why(capsys, *extra):
    assert main(["why", DEMO, TRANSFER, "--as-of", "2024-09-30", *extra]) == 0
    return capsys.readouterr().out


def test_transfer_duty_fits_one_screen_and_reaches_the_yaml(capsys):
    text = _why(capsys)
    lines = text.splitlines()
    assert len(lines) <= 40, text
    assert "规则 a06_transfer_files【指导意见第6条第1款】" in text
    # the facts, each with the file and line of the scenario that states it
    assert re.search(r"■ 事实 decision_to\(0, 昆山市人民法院\)\s+见 \S*demo\.yaml decisions\[0\]\.to（第40行）", text)
    assert re.search(r"■ 事实 case_court\(c2, 苏州市吴江区人民法院\)\s+见 \S*demo\.yaml cases\[1\]\.court（第30行）", text)
    # the period computation, with its articles
    assert "[民事诉讼法第85条] 期满日2024-10-04为法定休假日，顺延至其后第一个工作日2024-10-08" in text
    # no bookkeeping step of its own, no solver terms
    assert not any(re.match(r"\s*← (规则|rule) core_", l) for l in lines)
    assert "本库约定" not in text and "实例：" not in text and "holds(" not in text and "must(" not in text
    assert "含内部步骤：core_pending" in text            # but the reader is told what was folded


def test_full_shows_every_step(capsys):
    brief, full = _why(capsys), _why(capsys, "--full")
    assert len(full.splitlines()) > len(brief.splitlines())
    assert "规则 core_holds_must【本库约定】" in full and "实例：" in full and "← 规则 core_pending" in full


def test_english_reader_proof(capsys):
    text = _why(capsys, "--lang", "en")
    assert len(text.splitlines()) <= 40 and "stated in" in text and "with the internal steps core_pending" in text


@pytest.fixture(scope="module")
def demo():
    return solve(load_scenario(DEMO), load_rulebase(), explain=True)


def test_every_demo_conclusion_folds_to_statute_steps_and_facts(demo):
    for c in demo.conclusions:
        full = explain.proof_graph(demo, c)
        folded = explain.fold_internal(full)
        kinds = {d["kind"] for _, d in folded.nodes(data=True)}
        assert "fact" in kinds, c
        assert set(folded.nodes) <= set(full.nodes)
        assert not any(explain.is_bookkeeping(d) for _, d in folded.nodes(data=True)), c
        assert {d["label"] for _, d in folded.nodes(data=True) if d["kind"] == "app"} == {
            d["label"] for _, d in full.nodes(data=True) if d["kind"] == "app" and not explain.is_bookkeeping(d)}, c


@pytest.mark.parametrize("fmt", ["json", "mermaid", "html", "dot"])
def test_other_formats_show_the_same_folded_proof(capsys, fmt):
    text = _why(capsys, "--format", fmt)
    full = _why(capsys, "--format", fmt, "--full")
    assert "core_holds_must" not in text and "core_holds_must" in full
    assert "a06_transfer_files" in text and "decisions[0].to" in text
    if fmt == "json":
        data = json.loads(text)
        assert data["folded"] is True and json.loads(full)["folded"] is False
        assert {n["id"] for n in data["nodes"]} >= set(data["roots"])
    if fmt == "mermaid":
        assert graphs.check_mermaid(text) == []

"""Answers that name the court (issue 12, parts 1–2): ranked targets, each shared power once on
its ordinary holder, duties printed with the act they go with, art. 27 about an area."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "facts/examples/demo.yaml"
NATIONAL = ROOT / "facts/examples/national_dispute.yaml"


CLI = Path(sys.executable).parent / "crossexec"


def run(*args) -> subprocess.CompletedProcess:
    return subprocess.run([str(CLI), *map(str, args)], cwd=ROOT, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def demo_json():
    return json.loads(run("ask", DEMO, "--format", "json").stdout)["conclusions"]


def find(conclusions, **want):
    hits = [c for c in conclusions if all(c.get(k) == v for k, v in want.items())]
    assert hits, f"no conclusion {want}"
    return hits[0]


def test_instruct_names_the_main_assets_court_first(demo_json):
    c = find(demo_json, actor="江苏省苏州市中级人民法院", action="instruct", case="c1", target="昆山市人民法院")
    assert c["rank"] == 1 and c["recommended"] is True
    assert [f["factor"] for f in c["factors"]] == ["main_assets"] and "指导意见第2条" in c["factors"][0]["sources"]
    # the executing court itself is never a target
    assert not [x for x in demo_json if x["action"] == "instruct" and x["target"] == "苏州市姑苏区人民法院"]


def test_centralize_ranks_first_filed_before_main_assets(demo_json):
    first = find(demo_json, actor="江苏省苏州市中级人民法院", action="centralize", target="苏州市姑苏区人民法院")
    main = find(demo_json, actor="江苏省苏州市中级人民法院", action="centralize", target="昆山市人民法院")
    assert (first["rank"], main["rank"]) == (1, 2)
    assert "first_filed" in [f["factor"] for f in first["factors"]]
    assert main["recommended"] is False


def test_a_shared_power_is_printed_once_on_its_ordinary_holder(demo_json):
    sz = find(demo_json, actor="江苏省苏州市中级人民法院", action="elevate", case="c1")
    spc = find(demo_json, actor="最高人民法院", action="elevate", case="c1")
    assert sz["ordinary_holder"] is True and spc["ordinary_holder"] is False
    text = run("ask", DEMO).stdout
    assert "[may elevate c1]" in text and text.count("[may elevate c1]") == 1
    assert "提级执行（上级法院均可）" in text
    every = run("ask", DEMO, "--all-superiors").stdout
    assert every.count("[may elevate c1]") == 3


def test_every_conclusion_is_printed_with_all_superiors(demo_json):
    every = run("ask", DEMO, "--all-superiors").stdout
    for c in demo_json:
        if c["action"] == "weigh_convenience":      # printed on the lines of the acts it goes with
            assert "须参照“两便原则”确定法院" in every
            continue
        obj = c["case"] or c["debtor"] or c["dispute"] or c["area"]
        form = " ".join([c["modality"], c["action"], obj]) + (f" -> {c['target']}" if c["target"] else "")
        assert f"[{form}]" in every, form


def test_demo_is_at_least_forty_percent_shorter_than_every_line():
    short, every = run("ask", DEMO).stdout.splitlines(), run("ask", DEMO, "--all-superiors").stdout.splitlines()
    conclusions = lambda lines: [l for l in lines if l.startswith("  ")]   # noqa: E731
    assert len(conclusions(short)) <= 0.6 * 46      # 46: the demo's lines before issue 12
    assert len(conclusions(short)) < len(conclusions(every))


def test_conditional_duty_names_its_condition(demo_json):
    c = find(demo_json, actor="江苏省苏州市中级人民法院", action="select_assisting_court", case="c1")
    assert c["condition"] == "joint_execution"
    assert "确定为协同执行法院（如决定协同执行" in run("ask", DEMO).stdout


def test_local_rules_are_about_the_high_courts_area(demo_json):
    c = find(demo_json, action="make_local_rules")
    assert c["area"] == "江苏省高级人民法院" and c["case"] is None
    assert run("why", DEMO, "may 江苏省高级人民法院 make_local_rules 江苏省高级人民法院").returncode == 0


def test_why_proves_a_ranked_target():
    r = run("why", DEMO, "may 江苏省苏州市中级人民法院 instruct c1 -> 昆山市人民法院")
    assert r.returncode == 0 and "a02_instruct_target" in r.stdout


def test_national_example_recommends_a_court():
    text = run("ask", NATIONAL).stdout
    assert "【推荐；主要财产所在地" in text and "辖区内其他法院" in text


def test_why_explains_which_factor_ranked_a_target():
    r = run("why", DEMO, "may 江苏省苏州市中级人民法院 centralize 某电器公司 -> 昆山市人民法院")
    assert r.returncode == 0
    assert "排序：第2位" in r.stdout and "次于 苏州市姑苏区人民法院：最先立案" in r.stdout
    first = run("why", DEMO, "may 江苏省苏州市中级人民法院 centralize 某电器公司 -> 苏州市姑苏区人民法院").stdout
    assert "排序：推荐" in first and "优于 昆山市人民法院：最先立案" in first


def test_a_void_decision_is_named_in_the_warnings():
    """rules/core/state.lp void_decision/2: the warning names the decision, why, and the article."""
    data = json.loads(run("ask", ROOT / "tests/scenarios/history/void_instruct_outside_area.yaml", "--format", "json").stdout)
    assert any(w.startswith("决定 decisions[0]（指令执行") and "不在作出决定的法院辖区内" in w and "指导意见第4条" in w
               for w in data["warnings"]), data["warnings"]
    assert not [c for c in data["conclusions"] if c["action"] in ("transfer_files", "stop_execution")]


# --- the indented JSON answer (render.dumps_indented) -----------------------------------------

from hypothesis import given, settings, strategies as st  # noqa: E402

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-2 ** 63, 2 ** 63 - 1) | st.text(st.characters(exclude_categories=["Cs"])),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(_JSON)
def test_indented_json_is_the_standard_library_s_text(data):
    """orjson writes ask's JSON answer: the same characters as json.dumps(indent=2, ensure_ascii=False)
    (escapes of control characters, quotes and backslashes, empty containers, CJK left as it is)."""
    from crossexec.render import dumps_indented
    assert dumps_indented(data) == json.dumps(data, ensure_ascii=False, indent=2)


def test_indented_json_of_a_lone_surrogate_falls_back_to_the_standard_library():
    from crossexec.render import dumps_indented
    data = {"warnings": ["案件\ud800"], "n": [1, {}], "e": []}
    assert dumps_indented(data) == json.dumps(data, ensure_ascii=False, indent=2)


def test_the_demo_answer_in_json_is_the_standard_library_s_text():
    from crossexec.load import load_scenario
    from crossexec.render import render_json, to_json
    from crossexec.rulebase import load_rulebase
    from crossexec.solve import solve
    answer = solve(load_scenario(DEMO), load_rulebase())
    assert render_json(answer) == json.dumps(to_json(answer), ensure_ascii=False, indent=2)

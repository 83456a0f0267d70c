"""Courts by the names people use (issue 12, part 5): generated short names, aliases kept as data
in facts/courts/aliases.yaml, a list of choices when ambiguous, the nearest names when unknown."""
import textwrap

import pytest

from crossexec.cli import main
from crossexec.courts import CourtIndex, generated_aliases
from crossexec.load import load_scenario
from crossexec.model import Court
from crossexec.national import load_national_courts


@pytest.fixture(scope="module")
def national():
    courts = {c["id"]: Court(c["id"], c["name"], c["level"], c.get("parent"), c.get("kind"), c.get("area"))
              for c in load_national_courts()}
    return courts, CourtIndex(courts)


@pytest.mark.parametrize("ref,name", [
    ("杭州中院", "浙江省杭州市中级人民法院"),
    ("北京三中院", "北京市第三中级人民法院"),
    ("深圳中院", "广东省深圳市中级人民法院"),
    ("浙江省杭州市西湖区人民法院", "杭州市西湖区人民法院"),
    ("杭州市西湖区法院", "杭州市西湖区人民法院"),
    ("上海金融法院", "上海金融法院"),
    ("广州铁路运输中级法院", "广州铁路运输中级法院"),
    ("上海市一中院", "上海市第一中级人民法院"),
    ("海南二中院", "海南省第二中级人民法院"),
    ("浙江高院", "浙江省高级人民法院"),
    ("新疆高院", "新疆维吾尔自治区高级人民法院"),
    ("塔城中院", "新疆维吾尔自治区塔城地区中级人民法院"),
    ("锡林郭勒盟中院", "内蒙古自治区锡林郭勒盟中级人民法院"),
    ("昆山法院", "昆山市人民法院"),
    ("北京海淀法院", "北京市海淀区人民法院"),
    ("恩施州中院", "湖北省恩施土家族苗族自治州中级人民法院"),       # data: prefectures
    ("前海法院", "深圳前海合作区人民法院"),                           # data: aliases
    ("珠海横琴新区人民法院", "横琴粤澳深度合作区人民法院"),           # a former name
    ("最高法", "最高人民法院"),
])
def test_names_people_use_resolve(national, ref, name):
    courts, index = national
    court_id, problem = index.resolve(ref)
    assert problem is None and courts[court_id].name == name


def test_ambiguous_short_name_lists_the_choices(national):
    _, index = national
    court_id, problem = index.resolve("西湖区法院")
    assert court_id is None
    assert "ambiguous" in problem and "杭州市西湖区人民法院" in problem and "南昌市西湖区人民法院" in problem
    assert "东西湖区" not in problem          # an alias that matches exactly wins over a part of a name


def test_unknown_court_names_the_nearest(national):
    _, index = national
    court_id, problem = index.resolve("杭州市西湖法院区")
    assert court_id is None and "unknown court" in problem
    assert "nearest names:" in problem and "杭州市西湖区人民法院" in problem


def test_no_alias_shadows_a_court_name(national):
    courts, index = national
    assert not set(index.by_alias) & {c.name for c in courts.values()}


def test_generated_rules_on_a_scenario_tree():
    courts = {"js": Court("js", "江苏省高级人民法院", "high", None),
              "sz": Court("sz", "江苏省苏州市中级人民法院", "intermediate", "js"),
              "ks": Court("ks", "昆山市人民法院", "basic", "sz")}
    assert {"苏州中院", "苏州市中院", "江苏省苏州市中院", "江苏省苏州市中级法院"} <= generated_aliases(courts["sz"], courts)
    assert {"江苏省昆山市人民法院", "江苏省昆山市法院", "昆山法院", "昆山市法院"} <= generated_aliases(courts["ks"], courts)
    assert {"江苏高院", "江苏省高院"} <= generated_aliases(courts["js"], courts)


def test_courts_command_takes_short_names(capsys):
    assert main(["courts", "杭州中院"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("浙江省杭州市中级人民法院") and "杭州市西湖区人民法院" in out
    assert main(["courts", "--common", "杭州市西湖区法院", "杭州市上城区人民法院"]) == 0
    assert capsys.readouterr().out.strip() == "浙江省杭州市中级人民法院"
    assert main(["courts", "塔城中院"]) == 0
    assert "上级法院：新疆维吾尔自治区高级人民法院伊犁哈萨克自治州分院 → 新疆维吾尔自治区高级人民法院" in capsys.readouterr().out
    assert main(["courts", "西湖区法院"]) == 2
    err = capsys.readouterr().err
    assert "杭州市西湖区人民法院" in err and "南昌市西湖区人民法院" in err and len(err.strip().splitlines()) == 1


def test_scenario_references_use_the_same_names(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(textwrap.dedent("""\
        as_of: 2024-09-30
        courts: national
        parties: [{id: 某公司, kind: enterprise, domicile: 西湖区法院}]
        cases:
          - {id: c1, court: 浙江省杭州市西湖区人民法院, filed: 2024-01-10, obligation: money, debtor: 某公司}
        decisions:
          - {kind: instruct, by: 杭州中院, case: c1, date: 2024-09-27, to: 杭州市上城区法院}
        """), encoding="utf-8")
    with pytest.raises(Exception) as bad:          # 西湖区法院 alone is ambiguous nationally
        load_scenario(path)
    assert "parties[0].domicile" in str(bad.value) and "杭州市西湖区人民法院" in str(bad.value)
    path.write_text(path.read_text(encoding="utf-8").replace("domicile: 西湖区法院", "domicile: 杭州西湖法院"),
                    encoding="utf-8")
    scenario = load_scenario(path)
    assert scenario.court_name(scenario.cases[0].court) == "杭州市西湖区人民法院"
    assert scenario.court_name(scenario.decisions[0].by) == "浙江省杭州市中级人民法院"
    assert scenario.court_name(scenario.parties["某公司"].domicile) == "杭州市西湖区人民法院"

"""`crossexec courts` over the shipped national hierarchy; common superiors come from the rules."""
import pytest

from crossexec.cli import main


@pytest.mark.parametrize("courts,expected", [
    (["北京市海淀区人民法院", "北京市朝阳区人民法院"], "北京市高级人民法院"),
    (["苏州市姑苏区人民法院", "昆山市人民法院"], "江苏省苏州市中级人民法院"),
    (["苏州市姑苏区人民法院", "北京市海淀区人民法院"], "最高人民法院"),
    (["苏州市姑苏区人民法院", "昆山市人民法院", "南京市玄武区人民法院"], "江苏省高级人民法院"),
    # a court and its own superior: the common superior is above both
    (["苏州市姑苏区人民法院", "江苏省苏州市中级人民法院"], "江苏省高级人民法院"),
])
def test_lowest_common_superior(capsys, courts, expected):
    assert main(["courts", "--common", *courts]) == 0
    assert capsys.readouterr().out.strip() == expected


def test_court_chain_and_subordinates(capsys):
    assert main(["courts", "江苏省苏州市中级人民法院"]) == 0
    out = capsys.readouterr().out
    assert "上级法院：江苏省高级人民法院 → 最高人民法院" in out
    assert "昆山市人民法院" in out and "苏州市姑苏区人民法院" in out


def test_ambiguous_court_is_bad_input(capsys):
    assert main(["courts", "朝阳区人民法院"]) == 2
    err = capsys.readouterr().err
    assert "北京市朝阳区人民法院" in err and "长春市朝阳区人民法院" in err


def test_court_whose_area_holds_a_place(capsys):
    assert main(["courts", "--area", "110108"]) == 0          # 海淀区
    assert capsys.readouterr().out.startswith("北京市海淀区人民法院")
    assert main(["courts", "--area", "320599"]) == 0          # no such district: the prefecture's court
    assert capsys.readouterr().out.startswith("江苏省苏州市中级人民法院")
    assert main(["courts", "--area", "999999"]) == 2


def test_same_level_courts_under_the_superior(capsys):
    assert main(["courts", "苏州市姑苏区人民法院"]) == 0
    out = capsys.readouterr().out
    peers = next(line for line in out.splitlines() if line.startswith("同一上级法院辖区内的同级法院"))
    assert "昆山市人民法院" in peers and "苏州市姑苏区人民法院" not in peers and "南京" not in peers

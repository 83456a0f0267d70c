"""crossexec draft (issue 16): each of the ten 文书样式 drafted from a scenario, read back with
python-docx: the filled values are there, no template syntax is left, and the placeholders left
(highlighted) are exactly those the facts do not answer."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest

from crossexec.cli import main
from crossexec.draft import chinese_date, chinese_number, cite
from crossexec.forms import load_forms

ROOT = Path(__file__).resolve().parent.parent
DEMO = str(ROOT / "facts/examples/demo.yaml")
NATIONAL = str(ROOT / "facts/examples/national_dispute.yaml")
REPORTED = str(ROOT / "tests/drafts/reported.yaml")
SPECIAL = str(ROOT / "tests/drafts/special.yaml")
SZ = "江苏省苏州市中级人民法院"
ALWAYS_LEFT = {"文号", "院印"}          # never in a scenario: the court's register and its seal

# (scenario, conclusion, --form, form drafted, values that must be in the document, labels left besides
# 文号, 院印 and 日期 (no --date), and 案由 where the scenario gives no `cause` (the demo gives one))
CASES = [
    (DEMO, f"should {SZ} urge c1", None, 1,
     ["督促执行令", "苏州市姑苏区人民法院：", "张某与某电器公司", "(2023)苏0508执123号", "该案无正当理由超过六个月未执行",
      "《中华人民共和国民事诉讼法》第二百三十七条", "第74条第1款"], {"文号年份", "执结期限"}),
    (DEMO, f"may {SZ} elevate c1", 2, 2,
     ["提级执行的请示", f"{SZ}：", "我院于2023年6月15日立案执行", "现报请你院提级执行该案"],
     {"文号年份", "基本案情及已开展的执行工作", "案情报告份数"}),
    (SPECIAL, f"may 苏州市姑苏区人民法院 report_up c1 -> {SZ}", None, 2,
     ["提级执行的请示", "我院认为，本案因特殊情况需要由上级人民法院执行。依照《最高人民法院关于人民法院执行工作若干问题的规定（试行）》第15条规定"],
     {"文号年份", "基本案情及已开展的执行工作", "案情报告份数"}),
    (DEMO, f"may {SZ} elevate c1", None, 3,
     [SZ, "执行决定书", "苏州市姑苏区人民法院：", "案件受到非法干预", "由本院执行",
      "《中华人民共和国民事诉讼法》第二百三十七条、《最高人民法院关于人民法院执行工作若干问题的规定（试行）》第74条第2款、"
      "《最高人民法院关于交叉执行工作的指导意见》第4条第1款规定", "7日内将有关案卷材料移送本院"],
     {"文号年份"}),
    (REPORTED, f"should {SZ} grant_request c1", None, 4,
     ["提级执行的批复", "关于你院报请提级执行的张某与某电器公司", "申请执行人张某于2024年9月10日申请不进行指令或者提级执行",
      "第5条", "不同意张某与某电器公司一案由本院提级执行。"],
     {"文号年份"}),
    (DEMO, f"may {SZ} centralize 某电器公司 -> 苏州市姑苏区人民法院", 5, 5,
     ["报请集中执行的请示", "等多案", "本院于2023年6月15日立案执行", "第71条", "第12条"],
     {"文号年份", "基本案情及已开展的执行工作", "案情报告份数", "案由"}),    # c2 of the demo gives no cause
    (DEMO, f"may {SZ} centralize 某电器公司 -> 苏州市姑苏区人民法院", None, 6,
     ["由苏州市姑苏区人民法院集中执行", "(2023)苏0508执123号、(2024)苏0509执45号", "张某、李某",
      "苏州市姑苏区人民法院为当事人住所地、最先立案法院", "苏州市姑苏区人民法院、昆山市人民法院、苏州市吴江区人民法院："],
     {"文号年份", "案由"}),                                                        # c2 of the demo gives no cause
    (DEMO, f"may {SZ} joint_execution c1", 7, 7,
     ["报请协同执行的请示", "被执行人主要财产在异地", "现报请你院要求有关法院协同执行"],
     {"文号年份", "基本案情及已开展的执行工作", "案情报告份数"}),
    (DEMO, f"may {SZ} joint_execution c1", None, 8,
     ["由昆山市人民法院协助苏州市姑苏区人民法院开展执行工作", "苏州市姑苏区人民法院、昆山市人民法院：", "第19条"],
     {"文号年份"}),
    (NATIONAL, "must 河北省高级人民法院 escalate d1 -> 最高人民法院", None, 9,
     ["执行争议的请示", "最高人民法院：", "优先债权执行法院与首先查封保全法院之间就移送处置权发生执行争议", "第67条"],
     {"文号年份", "申请执行人", "案号", "争议各方执行案件的基本情况", "争议焦点与协商情况", "报请协调的意见"}),
    (NATIONAL, "must 最高人民法院 coordinate d1", None, 10,
     ["最高人民法院", "执行决定书", "执协", "河北省邢台市中级人民法院、陕西省咸阳市中级人民法院：", "第70条"],
     {"文号年份", "申请执行人", "案号", "报请法院", "理由", "协调处理结果"}),
]


def _draft(tmp_path, capsys, scenario, conclusion, form, *extra):
    out = tmp_path / "d.docx"
    argv = ["draft", scenario, conclusion, "--out", str(out), *extra] + (["--form", str(form)] if form else [])
    rc = main(argv)
    return rc, out, capsys.readouterr().err


def _left(err: str) -> set[str]:
    line = next(x for x in err.splitlines() if x.startswith("未填写："))
    return set(line.removeprefix("未填写：").split("、")) - {"无"}


@pytest.mark.parametrize("scenario,conclusion,form,number,present,left", CASES,
                         ids=[f"form{c[3]}-{c[1].split()[2]}" for c in CASES])
def test_each_form_drafts(tmp_path, capsys, scenario, conclusion, form, number, present, left):
    rc, out, err = _draft(tmp_path, capsys, scenario, conclusion, form)
    assert rc == 0, err
    assert f"样式{number} " in err
    document = docx.Document(out)
    text = "\n".join(p.text for p in document.paragraphs)
    for value in present:
        assert value in text, f"{value!r} missing from 样式{number}:\n{text}"
    assert not re.search(r"[{}]|^@|\|", text, re.M), f"template syntax left in 样式{number}:\n{text}"
    assert _left(err) == left | ALWAYS_LEFT | {"日期"} | (set() if scenario == DEMO else {"案由"})
    # what is highlighted is exactly what is listed: the form's own ××××/…… text, nothing filled
    highlighted = [r.text for p in document.paragraphs for r in p.runs if r.font.highlight_color]
    assert highlighted and all(re.search(r"×|…|院印|（|/", h) for h in highlighted), highlighted
    assert len(document.sections) == 1 and round(document.sections[0].page_width.mm) == 210


def test_the_done_when_command(tmp_path, capsys):
    """The issue's example: a 执行决定书 for 提级执行, dated; left only what the facts cannot answer."""
    rc, out, err = _draft(tmp_path, capsys, DEMO, f"may {SZ} elevate c1", None, "--date", "2024-10-08")
    assert rc == 0
    paragraphs = docx.Document(out).paragraphs
    assert paragraphs[0].text == SZ and paragraphs[1].text == "执行决定书"
    assert paragraphs[0].alignment == 1 and paragraphs[2].alignment == 2        # centred; 文号 right
    assert paragraphs[2].text.startswith("(2024)")
    assert paragraphs[-2].text == "二〇二四年十月八日"
    fonts = {r._element.rPr.rFonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
             for p in paragraphs[4:5] for r in p.runs}
    assert fonts == {"仿宋"}
    assert _left(err) == {"文号", "院印"}


def test_refused_conclusion_exits_1_with_the_reason(tmp_path, capsys):
    rc, out, err = _draft(tmp_path, capsys, DEMO, f"may {SZ} elevate c2", None)
    assert rc == 1 and not out.exists()
    assert "不成立" in err and "为什么不" in err and "a04_elevate" in err


def test_a_prohibited_act_is_refused(tmp_path, capsys):
    rc, out, err = _draft(tmp_path, capsys, REPORTED, f"may {SZ} elevate c1", None)
    assert rc == 1 and "一般不得" in err and not out.exists()


def test_a_reply_answers_what_was_reported(tmp_path, capsys):
    """The 批复 answers what the report asked for (its `for:`): here 指令执行."""
    text = (ROOT / "tests/drafts/reported.yaml").read_text(encoding="utf-8").replace("for: elevate", "for: instruct")
    (tmp_path / "r.yaml").write_text(text, encoding="utf-8")
    rc, _, err = _draft(tmp_path, capsys, str(tmp_path / "r.yaml"), f"should {SZ} grant_request c1", 4)
    assert rc == 0, err
    assert "不同意张某与某电器公司一案指令执行" in "".join(p.text for p in docx.Document(tmp_path / "d.docx").paragraphs)


def test_a_reply_needs_a_report(tmp_path, capsys):
    rc, _, err = _draft(tmp_path, capsys, DEMO, f"may {SZ} elevate c1", 4)
    assert rc == 1 and "report_up" in err


def test_a_form_that_does_not_serve_the_act_is_bad_input(tmp_path, capsys):
    rc, _, err = _draft(tmp_path, capsys, DEMO, f"should {SZ} urge c1", 3)
    assert rc == 2 and len(err.strip().splitlines()) == 1 and "does not serve urge" in err


def test_an_unwritable_out_is_bad_input(tmp_path, capsys):
    rc = main(["draft", DEMO, f"may {SZ} elevate c1", "--out", str(tmp_path / "no" / "such" / "d.docx")])
    err = capsys.readouterr().err
    assert rc == 2 and len(err.strip().splitlines()) == 1 and "--out" in err


def test_markdown_marks_the_placeholders(tmp_path, capsys):
    out = tmp_path / "d.md"
    assert main(["draft", DEMO, f"may {SZ} elevate c1", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "# 执行决定书" in text and "==（院印）==" in text and "{" not in text


def test_all_drafts_every_supported_form(tmp_path, capsys):
    folder = tmp_path / "drafts"
    assert main(["draft", DEMO, "--all", "--out", str(folder)]) == 0
    numbers = sorted({p.name[:2] for p in folder.glob("*.docx")})
    assert numbers == ["01", "03", "06", "08"], numbers


def test_list_names_every_form(capsys):
    assert main(["draft", "--list"]) == 0
    out = capsys.readouterr().out
    assert all(f"{n:>2}  " in out for n in range(1, 11))
    assert len(load_forms()) == 10


def test_citations():
    assert [chinese_number(n) for n in (1, 10, 15, 105, 237, 240)] == ["一", "十", "十五", "一百零五", "二百三十七", "二百四十"]
    assert chinese_date(__import__("datetime").date(2024, 10, 8)) == "二〇二四年十月八日"
    assert cite(["指导意见第4条", "指导意见第4条第1款", "执行工作若干规定第74条第2款", "民事诉讼法第237条", "本库约定"]) == \
        "《中华人民共和国民事诉讼法》第二百三十七条、《最高人民法院关于人民法院执行工作若干问题的规定（试行）》第74条第2款、" \
        "《最高人民法院关于交叉执行工作的指导意见》第4条第1款"


def test_renders_with_libreoffice(tmp_path, capsys):
    """LibreOffice renders the draft to PDF, poppler's pdftoppm the PDF's first page to PNG (make test
    installs libreoffice-writer-nogui and poppler-utils when it can); look at the PNG when changing
    the layout (README: "Drafting documents")."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed; make test installs libreoffice-writer-nogui when it can")
    rc, out, _ = _draft(tmp_path, capsys, DEMO, f"may {SZ} elevate c1", None, "--date", "2024-10-08")
    assert rc == 0
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(out)], check=True, capture_output=True, timeout=120)
    pdf = (tmp_path / "d.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and b"/Count 1" in pdf          # one A4 page
    if shutil.which("pdftoppm") is None:
        pytest.skip("PDF rendered; pdftoppm (poppler-utils) is not installed, so no PNG")
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", str(tmp_path / "d.pdf"), str(tmp_path / "d")],
                   check=True, timeout=60)
    assert (tmp_path / "d.png").read_bytes().startswith(b"\x89PNG")


def test_cause_and_judgment_complete_the_decision(tmp_path, capsys):
    """The demo's 案由 and 执行依据 (optional keys `cause`, `judgment`) fill the 执行决定书, which then
    leaves only what the court adds when it issues it (its 文号 and its seal); without them, those
    two are left as the form's placeholders."""
    rc, out, err = _draft(tmp_path, capsys, DEMO, f"may {SZ} elevate c1", None, "--date", "2024-10-08")
    assert rc == 0 and _left(err) == {"文号", "院印"}
    body = "\n".join(p.text for p in docx.Document(out).paragraphs)
    assert "关于张某与某电器公司买卖合同纠纷一案（案号：(2023)苏0508执123号）" in body
    assert "苏州市姑苏区人民法院(2023)苏0508民初1234号民事判决由本院执行。" in body
    text = Path(DEMO).read_text(encoding="utf-8")
    text = "\n".join(line for line in text.splitlines() if not line.startswith(("    cause:", "    judgment:"))) + "\n"
    scenario = tmp_path / "demo.yaml"
    scenario.write_text(text, encoding="utf-8")
    rc, out, err = _draft(tmp_path, capsys, str(scenario), f"may {SZ} elevate c1", None, "--date", "2024-10-08")
    assert rc == 0 and _left(err) == {"文号", "案由", "执行依据（生效法律文书）", "院印"}


def test_readme_shows_the_drafted_decision(capsys):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- draft:begin -->\n```markdown\n", 1)[1].split("\n```\n<!-- draft:end -->", 1)[0]
    assert main(["draft", DEMO, f"may {SZ} elevate c1", "--date", "2024-10-08"]) == 0
    assert capsys.readouterr().out.rstrip("\n") == block, "README's draft block is stale"

"""A drafted form as .docx, laid out as Chinese court documents are (python-docx).

A4 with the margins of GB/T 9704 (top 37 mm, bottom 35 mm, left 28 mm, right 26 mm); the court's
name and the title centred in 宋体, the 文号 right-aligned, the body in 仿宋 三号 (16 pt) with a
two-character first-line indent and a fixed 28 pt line, headings in 黑体, date and 院印 at the right.
The placeholders the facts do not answer keep the form's ××××/…… text, highlighted yellow."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from .forms import Form, Paragraph

BODY_SIZE = Pt(16)                      # 三号
LAYOUT = {   # style: (East Asian font, size, bold, alignment, first-line indent in characters)
    "court": ("宋体", Pt(22), True, WD_ALIGN_PARAGRAPH.CENTER, 0),        # 二号
    "title": ("宋体", Pt(26), True, WD_ALIGN_PARAGRAPH.CENTER, 0),        # 一号 (二号 for a long title)
    "number": ("仿宋", BODY_SIZE, False, WD_ALIGN_PARAGRAPH.RIGHT, 0),
    "to": ("仿宋", BODY_SIZE, False, WD_ALIGN_PARAGRAPH.LEFT, 0),
    "heading": ("黑体", BODY_SIZE, False, WD_ALIGN_PARAGRAPH.LEFT, 2),
    "plain": ("仿宋", BODY_SIZE, False, WD_ALIGN_PARAGRAPH.LEFT, 0),
    "right": ("仿宋", BODY_SIZE, False, WD_ALIGN_PARAGRAPH.RIGHT, 0),
    "body": ("仿宋", BODY_SIZE, False, WD_ALIGN_PARAGRAPH.JUSTIFY, 2),
}


def _font(run, east_asian: str, size, bold: bool) -> None:
    run.font.size = size
    run.font.bold = bold
    run.font.name = "Times New Roman"          # digits and Latin letters
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)


def build(form: Form, paragraphs: list[Paragraph]) -> Document:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    doc.core_properties.title = f"{form.name}（{form.use}）"
    doc.core_properties.comments = f"crossexec draft，样式{form.number}（{form.file}）"
    previous = None
    for p in paragraphs:
        font, size, bold, align, indent = LAYOUT[p.style]
        if p.style == "title" and len(p.text) > 8:      # a 请示's or 批复's title: 二号, as it runs over lines
            size = Pt(22)
        para = doc.add_paragraph()
        fmt = para.paragraph_format
        fmt.alignment = align
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(max(28, size.pt + 8))
        fmt.first_line_indent = Pt(size.pt * indent) if indent else None
        fmt.space_after = Pt(0)
        # 成文日期右空四字 (GB/T 9704); the seal is set over the date
        fmt.right_indent = Pt(size.pt * 4) if p.style == "right" else None
        # a blank line after the title block and before the date, as printed forms have
        fmt.space_before = Pt(16) if (p.style == "number" or (p.style == "right" and previous != "right")
                                      or (p.style == "to" and previous != "number")) else Pt(0)
        for s in p.segments:
            if not s.text:
                continue
            run = para.add_run(s.text)
            _font(run, font, size, bold)
            if s.kind == "unfilled":
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        previous = p.style
    return doc


def write_docx(form: Form, paragraphs: list[Paragraph], out: Path) -> None:
    """Written through a temporary file in the same folder: a reader never sees half a document."""
    doc = build(form, paragraphs)
    out = Path(out)
    fd, tmp = tempfile.mkstemp(dir=out.parent or ".", suffix=".docx.tmp")
    os.close(fd)
    try:
        doc.save(tmp)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise

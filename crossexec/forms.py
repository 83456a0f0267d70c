"""The guidance's ten 文书样式 as data (facts/forms/): reading the templates and filling them.

A template is a YAML header and one paragraph a line (facts/forms/README.md). Filling it gives a
list of paragraphs, each a style and a list of segments; a segment is filled text, the form's own
text, or a placeholder the facts do not answer (kept as the form wrote it, with its label)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import FACTS
from .errors import InputError

FORMS = FACTS / "forms"
STYLES = ("court", "title", "number", "to", "heading", "plain", "right", "body")
FIELD = re.compile(r"\{([a-z_]+)(\?|\|[^{}]*)?\}")


@dataclass
class Form:
    number: int
    name: str
    use: str
    acts: list[str]
    default_for: list[str]
    basis: list[str]
    lines: list[tuple[str, str]]            # (style, text with {fields})
    file: str

    @property
    def heading(self) -> str:
        return f"样式{self.number}　{self.name}（{self.use}）"


@dataclass
class Segment:
    text: str
    kind: str = "text"          # text (the form's words) | filled | unfilled
    label: str | None = None    # unfilled: what it stands for (facts/forms/fields.yaml)


@dataclass
class Paragraph:
    style: str
    segments: list[Segment] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.segments)


def _read(path: Path) -> Form:
    text = path.read_text(encoding="utf-8")
    parts = text.split("---\n", 2)
    if len(parts) != 3 or parts[0].strip():
        raise InputError(str(path), "", "expected a YAML header between --- lines, then the form")
    head = yaml.safe_load(parts[1])
    lines = []
    for raw in parts[2].splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        if raw.startswith("@"):
            style, _, rest = raw[1:].partition(" ")
            if style not in STYLES:
                raise InputError(str(path), raw[:20], f"unknown paragraph style @{style}; expected one of {', '.join(STYLES)}")
            lines.append((style, rest.strip()))
        else:
            lines.append(("body", raw.strip()))
    return Form(head["form"], head["name"], head["use"], list(head["acts"]), list(head.get("default_for") or []),
                 list(head.get("basis") or []), lines, str(path.relative_to(FACTS.parent)))


def load_forms() -> dict[int, Form]:
    forms = {f.number: f for f in map(_read, sorted(FORMS.glob("[0-9][0-9]_*.txt")))}
    if sorted(forms) != list(range(1, 11)):
        raise InputError(str(FORMS), "", f"expected the ten forms 1–10, found {sorted(forms)}")
    return forms


def field_labels() -> dict[str, str]:
    return yaml.safe_load((FORMS / "fields.yaml").read_text(encoding="utf-8"))


def data(name: str):
    return yaml.safe_load((FORMS / name).read_text(encoding="utf-8"))


# A value is a string, or a list of segments when part of it is known and part is not
# (“×××与某电器公司”); None when the facts do not answer it.
Value = str | list[Segment] | None


def fill(form: Form, values: dict[str, Value]) -> list[Paragraph]:
    labels = field_labels()
    paragraphs = []
    for style, text in form.lines:
        p = Paragraph(style)
        pos = 0
        for m in FIELD.finditer(text):
            if m.start() > pos:
                p.segments.append(Segment(text[pos:m.start()]))
            pos = m.end()
            name, mode = m.group(1), m.group(2) or ""
            value = values.get(name)
            if isinstance(value, list):
                p.segments.extend(value)
            elif value:
                p.segments.append(Segment(value, "filled"))
            elif mode.startswith("|"):
                p.segments.append(Segment(mode[1:], "unfilled", labels.get(name, name)))
            elif mode != "?":
                raise KeyError(f"{form.file}: no value for {{{name}}}")
        if pos < len(text):
            p.segments.append(Segment(text[pos:]))
        paragraphs.append(p)
    return paragraphs


def unfilled(paragraphs: list[Paragraph]) -> list[str]:
    """The labels of the placeholders left, each once, in the order of the document."""
    seen: list[str] = []
    for p in paragraphs:
        for s in p.segments:
            if s.kind == "unfilled" and s.label not in seen:
                seen.append(s.label)
    return seen

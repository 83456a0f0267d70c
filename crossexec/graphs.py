"""Proof and whynot graphs (built by explain.py) in words and formats: an indented text tree
(Chinese by default, English with lang="en"), JSON (nodes and edges with stable ids), Graphviz DOT,
Mermaid, and one self-contained HTML page (inline CSS and JS, no network).

A graph is a networkx.DiGraph whose `graph` holds kind ("why" | "whynot"), roots, title ({zh, en})
and an optional note; every node has a `kind` and the fields explain.py gives it. This module only
puts those fields into words: it decides nothing."""
from __future__ import annotations

import html
import json
import re

import networkx as nx

from . import vocab

UNITS = {"day": ("日", "day(s)"), "month": ("个月", "month(s)"), "year": ("年", "year(s)")}


def _m(modality: str, lang: str) -> str:
    return vocab.name(vocab.MODALITIES, modality, lang)


def _gloss(node: dict, lang: str) -> str:
    return (node.get("gloss") or {}).get(lang) or node.get("shown") or node.get("atom", "")


def title(node: dict, lang: str = "zh") -> str:
    """One line naming the node."""
    zh, kind = lang == "zh", node["kind"]
    if kind in ("atom", "unexplained"):
        text = _gloss(node, lang)
        return text if kind == "atom" else (f"未能追溯：{text}" if zh else f"not traced: {text}")
    if kind == "fact":
        return f"事实 {node['shown']}" if zh else f"fact {node['shown']}"
    if kind in ("app", "attempt"):
        sources = ("、" if zh else ", ").join(node["sources"])
        if kind == "app":
            return f"规则 {node['label']}【{sources}】" if zh else f"rule {node['label']} [{sources}]"
        if node.get("complete"):
            return (f"规则 {node['label']}【{sources}】的条件均已满足" if zh
                    else f"rule {node['label']} [{sources}]: all conditions hold")
        return f"规则 {node['label']}【{sources}】不适用" if zh else f"rule {node['label']} [{sources}] does not apply"
    if kind == "calc":
        if "start" not in node:
            return (f"计算日期：{node['function']}({', '.join(node['args'])}) = {node['end']}" if zh
                    else f"computed date: {node['function']}({', '.join(node['args'])}) = {node['end']}")
        unit = UNITS.get(node["unit"], (node["unit"], node["unit"]))
        if zh:
            return f"计算日期：自 {node['start']} 起{node['n']}{unit[0]}{'的期限' if node['deadline'] else ''} → {node['end']}"
        return f"computed date: {node['n']} {unit[1]} from {node['start']}{' (time limit)' if node['deadline'] else ''} → {node['end']}"
    if kind == "cmp":
        return f"条件成立：{node['ground']}" if zh else f"condition holds: {node['ground']}"
    if kind == "neg":
        return f"不存在：{node['atom']}" if zh else f"absent: {node['atom']}"
    if kind == "cond":
        return f"条件（求解器已检验）：{node['ground']}" if zh else f"condition (checked by the solver): {node['ground']}"
    if kind == "whynot":
        return f"为什么不：{_gloss(node, lang)}" if zh else f"why not: {_gloss(node, lang)}"
    if kind == "missing":
        return f"缺少：{node['atom']}" if zh else f"missing: {node['atom']}"
    if kind == "blocked":
        atoms = "、".join(node["atoms"]) if zh else ", ".join(node["atoms"])
        return (f"被排除：{node['literal']} 不满足，因为 {atoms} 成立" if zh
                else f"blocked: {node['literal']} fails because {atoms} holds")
    if kind == "false":
        return f"条件不成立：{node['ground']}" if zh else f"condition fails: {node['ground']}"
    if kind == "unchecked":
        return f"条件未检验：{node['literal']}" if zh else f"condition not checked: {node['literal']}"
    if kind == "note":
        return _note(node, lang)
    return node.get("shown") or node["kind"]


def _note(node: dict, lang: str) -> str:
    zh, message = lang == "zh", node["message"]
    if message == "satisfied":
        return (f"已成立：所问“{_m(node['asked'], 'zh')}”已由更强的“{_m(node['modality'], 'zh')}”满足，证明如下" if zh
                else f"holds: “{_m(node['asked'], 'en')}” is satisfied by the stronger “{_m(node['modality'], 'en')}”; proof:")
    if message == "holds":
        return "该结论成立，证明如下" if zh else "this conclusion holds; proof:"
    if message == "other_modality":
        return (f"该行为现有的结论是“{_m(node['modality'], 'zh')}”（其证明可用 crossexec why 查看）" if zh
                else f"what holds for this act is “{_m(node['modality'], 'en')}” (crossexec why proves it)")
    if message == "no_rule":
        others = ("、" if zh else ", ").join(_m(m, lang) for m in node["others"])
        if zh:
            return (f"规则库中没有得出“{_m(node['modality'], 'zh')} {node['action']}”的规则"
                    + (f"（该行为只有“{others}”的规则）" if others else ""))
        return (f"no rule of the rule base concludes “{_m(node['modality'], 'en')} {node['action']}”"
                + (f" (rules for this act give: {others})" if others else ""))
    if message == "stronger":
        return (f"所问“{_m(node['asked'], 'zh')}”由更强的“{_m(node['modality'], 'zh')}”满足" if zh
                else f"asked “{_m(node['asked'], 'en')}”; the stronger “{_m(node['modality'], 'en')}” holds")
    return message


def details(node: dict, lang: str = "zh", brief: bool = False) -> list[str]:
    """Further lines: statute, where a fact is stated, computation steps, the ground instance.
    `brief` (a folded proof, `why` without --full): no atoms as the solver writes them, no ground
    instances; instead the names of the internal steps folded into a rule application."""
    zh, kind, out = lang == "zh", node["kind"], []
    if kind == "atom" and node.get("gloss"):
        if not brief:
            out.append(node["shown"])
    elif kind == "fact":
        where = f"{node['file']} {node['path']}"
        line = node.get("line")
        if node.get("national"):
            out.append("见全国法院名录（facts/courts/）" if zh else "from the national court hierarchy (facts/courts/)")
        elif node.get("written"):
            out.append(f"见 {where}（第{line}行）" if zh else f"stated in {where} (line {line})")
        else:
            out.append(f"{where}：文件未写，按默认（第{line}行附近）" if zh
                       else f"{where}: not written, the default applies (near line {line})")
    elif kind in ("app", "attempt"):
        if node.get("statute"):
            inherited = node.get("statute_of")
            out.append(f"“{node['statute']}”" + ((f"（与 {inherited} 同条）" if zh else f" (as for {inherited})")
                                                 if inherited else ""))
        out.append(f"{node['file']}:{node['line']}")
        if kind == "app" and brief:
            if node.get("folded"):
                out.append(("含内部步骤：" if zh else "with the internal steps ") + ("、" if zh else ", ").join(
                    node["folded"]) + ("（--full 显示）" if zh else " (shown with --full)"))
        elif kind == "app":
            out.append(("实例：" if zh else "instance: ") + node["instance"])
            if not node.get("verified", True):
                out.append("注意：重读此实例时有条件未能核对" if zh else "note: re-reading this instance, a condition did not check out")
        else:
            if node.get("binding"):
                out.append(("已确定：" if zh else "bound: ") +
                           ", ".join(f"{k} = {v}" for k, v in node["binding"].items()))
            met = node.get("met") or []
            out.append(("已满足：" if zh else "met: ") + ("；".join(met) if zh else "; ".join(met))
                       if met else ("没有已满足的条件" if zh else "no condition met"))
    elif kind == "calc" and "steps" in node:
        out += [f"[{s['source']}] {s[lang]}" for s in node["steps"]]
    elif kind in ("cmp", "false"):
        out.append(("规则写作：" if zh else "as written: ") + node.get("text", node.get("literal", "")))
    elif kind == "neg":
        out.append({"input": ("情形文件未载明此事实" if zh else "the scenario states no such fact"),
                    "exception": ("该例外不成立（没有规则推出它）" if zh else "this exception is not established"),
                    "derived": ("不能推出（没有适用的规则）" if zh else "no rule derives it")}[node["reason"]])
    elif kind == "missing":
        if node.get("derivable"):
            out.append(("不能推出，各规则未适用的原因见下" if zh else "not derivable; why each rule failed is below")
                       if node.get("expanded") else ("不能推出（未继续展开）" if zh else "not derivable (not expanded further)"))
        else:
            hint = node.get("hint")
            out.append(f"情形文件未载明此事实{'（应写在 ' + hint + '）' if hint else ''}" if zh
                       else f"the scenario does not state it{' (it would go under ' + hint + ')' if hint else ''}")
    elif kind == "blocked":
        out.append("该例外的证明如下" if zh else "the proof of the exception follows")
    elif kind == "unchecked":
        out.append("聚合条件或变量未绑定，未予检验" if zh else "an aggregate or an unbound variable: not checked")
    return out


def heading(g: nx.DiGraph, lang: str) -> list[str]:
    zh = lang == "zh"
    text = (g.graph.get("title") or {}).get(lang, "")
    word = {"why": ("为什么：", "Why: "), "whynot": ("为什么不：", "Why not: ")}.get(g.graph.get("kind"), ("", ""))
    lines = [(word[0] if zh else word[1]) + text] if text else []
    if g.graph.get("note"):
        lines.append(_note(g.graph["note"], lang))
    return lines


# -- text ----------------------------------------------------------------------------------------------

MARKS = {"atom": "●", "fact": "■", "app": "←", "calc": "◆", "cmp": "✓", "neg": "∅", "cond": "✓",
         "unexplained": "!", "whynot": "?", "note": "·", "attempt": "✗", "missing": "✗", "blocked": "⊘",
         "false": "✗", "unchecked": "?"}


def to_text(g: nx.DiGraph, lang: str = "zh") -> str:
    lines, seen, brief = heading(g, lang), set(), bool(g.graph.get("folded"))
    see_above = "（见上）" if lang == "zh" else " (see above)"

    def walk(nid, depth):
        node, pad = g.nodes[nid], "  " * depth
        mark = MARKS.get(node["kind"], "-")
        if nid in seen and g.out_degree(nid):
            lines.append(f"{pad}{mark} {title(node, lang)}{see_above}")
            return
        seen.add(nid)
        rows = details(node, lang, brief)
        if brief and node["kind"] == "fact":        # one line: the fact and where the file states it
            sep, join = ("　", "；") if lang == "zh" else ("  ", "; ")
            lines.append(f"{pad}{mark} {title(node, lang)}{sep}{join.join(rows)}")
            return
        lines.append(f"{pad}{mark} {title(node, lang)}")
        lines.extend(f"{pad}    {row}" for row in rows)
        for child in g.successors(nid):
            walk(child, depth + 1)

    for root in g.graph.get("roots", []):
        walk(root, 0)
    return "\n".join(lines) + "\n"


# -- json ----------------------------------------------------------------------------------------------

def to_json_data(g: nx.DiGraph, lang: str = "zh") -> dict:
    return {"kind": g.graph.get("kind"), "title": heading(g, lang)[0] if heading(g, lang) else "",
            "note": _note(g.graph["note"], lang) if g.graph.get("note") else None,
            "roots": g.graph.get("roots", []),
            "folded": bool(g.graph.get("folded")),
            "nodes": [{"id": nid, **data, "text": title(data, lang),
                       "details": details(data, lang, bool(g.graph.get("folded")))}
                      for nid, data in g.nodes(data=True)],
            "edges": [{"from": a, "to": b} for a, b in g.edges()]}


def to_json(g: nx.DiGraph, lang: str = "zh") -> str:
    return json.dumps(to_json_data(g, lang), ensure_ascii=False, indent=2) + "\n"


# -- dot and mermaid -------------------------------------------------------------------------------------

COLORS = {"atom": "#e8f0fe", "fact": "#e6f4ea", "app": "#fef7e0", "calc": "#f3e8fd", "cmp": "#e6f4ea",
          "neg": "#f1f3f4", "cond": "#f1f3f4", "unexplained": "#fce8e6", "whynot": "#fce8e6",
          "note": "#f1f3f4", "attempt": "#fef7e0", "missing": "#fce8e6", "blocked": "#fce8e6",
          "false": "#fce8e6", "unchecked": "#f1f3f4"}


def _label(node: dict, lang: str, rows: int = 3, brief: bool = False) -> str:
    lines = [title(node, lang)] + details(node, lang, brief)[:rows]
    return "\n".join(line if len(line) <= 90 else line[:89] + "…" for line in lines)


def _short_ids(g: nx.DiGraph) -> dict[str, str]:
    """Graph node ids hold quotes and brackets; the formats get n0, n1, … in node order."""
    return {nid: f"n{i}" for i, nid in enumerate(g.nodes)}


def dot_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "").replace("\n", "\\n")


# Graphviz picks a font by name; without a CJK one it draws Chinese as empty boxes. Noto Sans CJK SC
# is Debian's fonts-noto-cjk (make test installs it); fontconfig substitutes a near font elsewhere.
DOT_FONT = "Noto Sans CJK SC"


def to_dot(g: nx.DiGraph, lang: str = "zh") -> str:
    ids, brief = _short_ids(g), bool(g.graph.get("folded"))
    lines = ["digraph proof {", '  rankdir=TB;', f'  graph [fontname="{DOT_FONT}"];',
             f'  node [shape=box, style="rounded,filled", fontsize=10, fontname="{DOT_FONT}"];',
             f'  edge [fontname="{DOT_FONT}"];']
    head = heading(g, lang)
    if head:
        lines.append(f'  labelloc=t; label="{dot_escape(chr(10).join(head))}";')
    for nid, data in g.nodes(data=True):
        lines.append(f'  {ids[nid]} [label="{dot_escape(_label(data, lang, brief=brief))}", '
                     f'fillcolor="{COLORS.get(data["kind"], "#ffffff")}", tooltip="{dot_escape(nid)}"];')
    lines += [f"  {ids[a]} -> {ids[b]};" for a, b in g.edges()]
    return "\n".join(lines + ["}"]) + "\n"


_MERMAID = {'"': "#quot;", "#": "#35;", "<": "#lt;", ">": "#gt;", "&": "#amp;", "`": "#96;", "\r": "",
            "\n": "<br/>"}


def mermaid_escape(text: str) -> str:
    return "".join(_MERMAID.get(ch, ch) for ch in text)


def to_mermaid(g: nx.DiGraph, lang: str = "zh") -> str:
    ids, brief = _short_ids(g), bool(g.graph.get("folded"))
    lines = ["flowchart TD"]
    for nid, data in g.nodes(data=True):
        lines.append(f'  {ids[nid]}["{mermaid_escape(_label(data, lang, brief=brief))}"]')
    lines += [f"  {ids[a]} --> {ids[b]}" for a, b in g.edges()]
    kinds = sorted({data["kind"] for _, data in g.nodes(data=True)})
    for kind in kinds:
        lines.append(f"  classDef {kind} fill:{COLORS.get(kind, '#ffffff')},stroke:#888")
        members = ",".join(ids[n] for n, d in g.nodes(data=True) if d["kind"] == kind)
        lines.append(f"  class {members} {kind}")
    return "\n".join(lines) + "\n"


_M_ID = r"[A-Za-z][A-Za-z0-9_]*"
_M_LABEL = r'"((?:[^"#<>`]|#[A-Za-z0-9]+;|<br/>)*)"'
_M_NODE = re.compile(rf"^\s*({_M_ID})\[{_M_LABEL}\]\s*$")
_M_EDGE = re.compile(rf"^\s*({_M_ID})\s*-->\s*(?:\|{_M_LABEL}\|\s*)?({_M_ID})\s*$")
_M_CLASSDEF = re.compile(r"^\s*classDef\s+[A-Za-z_][\w-]*\s+[\w#:,.\- ]+;?\s*$")
_M_CLASS = re.compile(rf"^\s*class\s+{_M_ID}(?:,{_M_ID})*\s+[A-Za-z_][\w-]*;?\s*$")


def check_mermaid(text: str) -> list[str]:
    """Problems with a Mermaid flowchart as this module writes it: the header, node declarations
    with quoted labels (no raw quote, <, >, # or backtick; entities like #quot; and <br/> only),
    arrows between declared nodes, class lines. An empty list means it passed."""
    problems, declared, edges = [], set(), []
    lines = [line for line in text.splitlines() if line.strip() and not line.strip().startswith("%%")]
    if not lines or not re.match(r"^\s*(flowchart|graph)\s+(TD|TB|BT|LR|RL)\s*$", lines[0]):
        return ["the first line must be `flowchart TD` (or another direction)"]
    for number, line in enumerate(lines[1:], 2):
        if m := _M_NODE.match(line):
            if m.group(1) in declared:
                problems.append(f"line {number}: node {m.group(1)} declared twice")
            declared.add(m.group(1))
        elif m := _M_EDGE.match(line):
            edges.append((number, m.group(1), m.group(3)))
        elif not (_M_CLASSDEF.match(line) or _M_CLASS.match(line)):
            problems.append(f"line {number}: not a node, arrow or class line: {line.strip()[:60]}")
    for number, a, b in edges:
        problems += [f"line {number}: arrow from/to undeclared node {x}" for x in (a, b) if x not in declared]
    return problems


# -- html ----------------------------------------------------------------------------------------------

_CSS = """body{font-family:system-ui,"Noto Sans CJK SC","PingFang SC",sans-serif;margin:2em;line-height:1.5}
ul.tree,ul.tree ul{list-style:none;padding-left:1.4em;margin:0}ul.tree{padding-left:0}
summary{cursor:pointer}.k{display:inline-block;min-width:1.2em;color:#555}
.d{color:#555;font-size:.9em;margin-left:1.6em;white-space:pre-wrap}
.app>summary,.app>span,.attempt>summary{color:#8a5a00}.fact>span{color:#1e7a34}
.missing>summary,.missing>span,.false>span,.blocked>summary,.unexplained>span{color:#b3261e}
.calc>summary,.calc>span{color:#6a1b9a}a.ref{color:#555;font-size:.9em}button{margin-right:.5em}"""
_JS = """function setAll(open){document.querySelectorAll('details').forEach(function(d){d.open=open;});}"""


def to_html(g: nx.DiGraph, lang: str = "zh") -> str:
    ids, seen, out, brief = _short_ids(g), set(), [], bool(g.graph.get("folded"))
    zh = lang == "zh"
    see_above = "见上" if zh else "see above"

    def item(nid):
        node, e = g.nodes[nid], html.escape
        kind, children = node["kind"], list(g.successors(nid))
        head = f'<span class="k">{e(MARKS.get(kind, "-"))}</span>{e(title(node, lang))}'
        rows = "".join(f'<div class="d">{e(row)}</div>' for row in details(node, lang, brief))
        if nid in seen and children:
            return f'<li class="{kind}"><span>{head}</span> <a class="ref" href="#{ids[nid]}">（{see_above}）</a></li>'
        seen.add(nid)
        if not children:
            return f'<li class="{kind}" id="{ids[nid]}"><span>{head}</span>{rows}</li>'
        inner = "".join(item(c) for c in children)
        return (f'<li class="{kind}" id="{ids[nid]}"><details open><summary>{head}</summary>{rows}'
                f"<ul>{inner}</ul></details></li>")

    for root in g.graph.get("roots", []):
        out.append(item(root))
    head = heading(g, lang)
    page_title = html.escape(head[0] if head else "crossexec")
    notes = "".join(f"<p>{html.escape(line)}</p>" for line in head[1:])
    buttons = (f'<button onclick="setAll(true)">{"全部展开" if zh else "Expand all"}</button>'
               f'<button onclick="setAll(false)">{"全部收起" if zh else "Collapse all"}</button>')
    return (f'<!DOCTYPE html>\n<html lang="{"zh-CN" if zh else "en"}"><head><meta charset="utf-8">'
            f"<title>{page_title}</title><style>{_CSS}</style><script>{_JS}</script></head>\n"
            f"<body><h1>{page_title}</h1>{notes}<p>{buttons}</p>\n<ul class=\"tree\">{''.join(out)}</ul>\n"
            f"</body></html>\n")


FORMATS = {"text": to_text, "json": to_json, "dot": to_dot, "mermaid": to_mermaid, "html": to_html}


def render(g: nx.DiGraph, fmt: str = "text", lang: str = "zh") -> str:
    return FORMATS[fmt](g, lang)

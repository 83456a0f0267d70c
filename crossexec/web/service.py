"""What each scenario request of `crossexec serve` computes: the CLI's own steps (load → solve →
filter/explain → render), called with the scenario's text instead of a file, so that the API
returns the JSON the CLI prints (`ask --format json`, `why --format json`, …).

A request is a dict of plain values and the result a pair (HTTP status, body), so that it crosses
a process boundary (crossexec/web/pool.py) as it is. Statuses:
  200 answered · 404 the conclusion does not hold (`why`; the CLI's exit 1) · 409 the draft is
  refused (`draft`; exit 1) · 422 bad input (exit 2: the one-line message, with file, key path and
  line) · 500 internal error (exit 3; the traceback goes to the server's log, not to the client)."""
from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path
from types import SimpleNamespace

from ..errors import InputError, cut, escape

REQUEST_FILE = "<request>"           # how messages name a scenario posted without a file name
_RULES = None                        # the rule base, loaded once per process by init()


def init(rules: str | Path | None = None, local: list[str] | None = None) -> None:
    global _RULES
    from .. import RULES
    from ..rulebase import load_rulebase, local_files
    _RULES = load_rulebase(rules or RULES, local_files(local))


def handle(kind: str, request: dict) -> tuple[int, dict]:
    try:
        return HANDLERS[kind](request)
    except InputError as e:
        return 422, input_error(e)
    except Exception as e:  # noqa: BLE001 — the one place a bug becomes a 500, as the CLI's exit 3
        traceback.print_exc(file=sys.stderr)
        return 500, {"error": f"internal error: {type(e).__name__} (the server's log has the details)"}


def input_error(e: InputError) -> dict:
    """The CLI's message (without its `crossexec: ` prefix) and its parts, so that a page can mark
    the line and the key."""
    return {"error": str(e), "file": cut(escape(str(e.file))), "line": e.line,
            "where": cut(escape(str(e.where))), "expected": e.expected}


def _file(request: dict) -> str:
    return request.get("file") or REQUEST_FILE


def _as_of(request: dict):
    from ..cli import _date
    if request.get("as_of") in (None, ""):
        return None
    try:
        return _date(str(request["as_of"]))
    except argparse.ArgumentTypeError as e:
        raise InputError(_file(request), "as_of", str(e)) from None


def _scenario(request: dict):
    from ..load import load_scenario_text
    return load_scenario_text(request["scenario"], _file(request), _as_of(request))


def _answer(request: dict, explain: bool):
    from ..solve import solve
    return solve(_scenario(request), _RULES, explain=explain)


def ask(request: dict) -> tuple[int, dict]:
    """`crossexec ask --format json [--actor] [--case] [--overdue]`, or the text answer."""
    from ..cli import _filter
    from ..render import to_json
    answer = _answer(request, explain=False)
    _filter(answer, SimpleNamespace(overdue=bool(request.get("overdue")), actor=request.get("actor"),
                                    case=request.get("case"), scenario=_file(request)))
    if request.get("format") == "text":           # `ask --format text [--lang] [--all-superiors]`
        from ..render import render_text
        text = render_text(answer, request.get("lang") or "zh", None, bool(request.get("all_superiors")))
        return 200, {"format": "text", "text": text}
    return 200, to_json(answer)


def _graph_body(g, request: dict, answer=None, query=None) -> dict:
    """JSON nodes and edges, or the CLI's text, DOT, Mermaid or HTML as {"format", "text"}."""
    from .. import graphs
    fmt, lang = request.get("format") or "json", request.get("lang") or "zh"
    if fmt == "json":
        return graphs.to_json_data(g, lang)
    text = graphs.render(g, fmt, lang)
    if fmt == "text" and answer is not None:      # as `crossexec why`: which factor ranked a target
        from ..explain import _matches
        from ..render import ranking_explanation
        chosen = next((c for c in answer.conclusions if _matches(c, query)), None)
        if chosen is not None and chosen.rank is not None:
            text = text.rstrip("\n") + "\n" + "\n".join(ranking_explanation(answer, chosen, lang)) + "\n"
    return {"format": fmt, "text": text}


def why(request: dict) -> tuple[int, dict]:
    """`crossexec why`: the proof, folded as the CLI folds it unless `full`."""
    from ..explain import fold_internal, parse_conclusion, why_graph
    answer = _answer(request, explain=True)
    query = parse_conclusion(request["conclusion"], answer, _file(request))
    g = why_graph(answer, query)
    if g is None:
        return 404, {"error": f"“{cut(escape(query.text))}” does not hold here; POST /whynot shows which "
                              "condition is missing", "holds": False}
    if not request.get("full"):
        g = fold_internal(g)
    return 200, _graph_body(g, request, answer, query)


def whynot(request: dict) -> tuple[int, dict]:
    """`crossexec whynot [--depth N]`."""
    from ..explain import MAX_DEPTH, explainer, parse_conclusion
    answer = _answer(request, explain=True)
    query = parse_conclusion(request["conclusion"], answer, _file(request))
    g = explainer(answer).whynot(query, request.get("depth") or MAX_DEPTH)
    return 200, _graph_body(g, request)


def check(request: dict) -> tuple[int, dict]:
    """Validate a scenario without solving it (the workbench checks as the expert types): what
    `ask` would refuse is refused with the same message, else a short summary and the warnings
    the encoding gives (a case filed after the day asked …), and the level of each court the
    solver sees (the page lists courts from the top of the hierarchy down, as the text answer)."""
    from ..encode import _courts_needed, encode
    scenario = _scenario(request)
    encoding = encode(scenario)
    needed = _courts_needed(scenario)         # the courts the solver sees (of the national tree: those named, and above)
    return 200, {"ok": True, "scenario": scenario.name, "as_of": scenario.as_of.isoformat(),
                 "cases": len(scenario.cases), "courts": len(needed),
                 "decisions": len(scenario.decisions), "disputes": len(scenario.disputes),
                 "court_levels": {scenario.courts[c].name: scenario.courts[c].level for c in needed},
                 "warnings": list(encoding.warnings)}


def draft(request: dict) -> tuple[int, dict]:
    """`crossexec draft SCENARIO CONCLUSION [--form N] [--date D]` as Markdown."""
    from ..draft import Refused, draft as fill, render_markdown
    from ..explain import parse_conclusion
    from ..forms import unfilled
    answer = _answer(request, explain=True)
    query = parse_conclusion(request["conclusion"], answer, _file(request))
    day = None
    if request.get("date"):
        from ..cli import _date
        try:
            day = _date(str(request["date"]))
        except argparse.ArgumentTypeError as e:
            raise InputError(_file(request), "date", str(e)) from None
    try:
        form, paragraphs, _ = fill(answer, query, request.get("form"), day, _file(request))
    except Refused as e:
        return 409, {"error": str(e), "holds": False}
    return 200, {"form": form.number, "name": form.name, "use": form.use,
                 "markdown": render_markdown(form, paragraphs), "unfilled": unfilled(paragraphs)}


HANDLERS = {"ask": ask, "why": why, "whynot": whynot, "check": check, "draft": draft}

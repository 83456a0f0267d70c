"""Command line (README.md, "Asking questions"). Exit codes: 0 answered; 1 a test or check failed;
2 bad input (file, key path, what was expected; no traceback); 3 internal error."""
from __future__ import annotations

import argparse
import os
import sys
import traceback
from datetime import date

from .errors import InputError, echo, escape


class _Parser(argparse.ArgumentParser):
    """Bad arguments are bad input like any other: exit 2 with one line, not argparse's usage block
    (`crossexec COMMAND --help` prints the usage)."""

    def error(self, message: str):
        print(f"crossexec: {escape(message)} (see {self.prog} --help)", file=sys.stderr)
        raise SystemExit(2)


def _date(text: str) -> date:
    from .load import FIRST_DAY, LAST_DAY
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a real date written YYYY-MM-DD, got {echo(text)}") from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise argparse.ArgumentTypeError(f"expected a date from {FIRST_DAY} to {LAST_DAY}, got {day}")
    return day


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {echo(text)}")
    return int(text)


def _count(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 0, got {echo(text)}")
    return int(text)


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port number from 1 to 65535, got {echo(text)}")
    return int(text)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value <= 3600:
        raise argparse.ArgumentTypeError(f"expected a number of seconds above 0 and at most 3600, got {echo(text)}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="crossexec", description="交叉执行指导意见知识库 — what each court may, should, must or must not do")
    sub = parser.add_subparsers(dest="command", required=True)

    ask = sub.add_parser("ask", help="answer a scenario: what each court may/should/must (not) do")
    ask.add_argument("scenario")
    ask.add_argument("--as-of", type=_date, help="the day the question is asked (default: the file's as_of, else today)")
    ask.add_argument("--actor", help="only conclusions of this court (id or name) or applicant/debtor")
    ask.add_argument("--case", help="only conclusions about this case id")
    ask.add_argument("--format", choices=("text", "json"), default="text")
    ask.add_argument("--lang", choices=("zh", "en"), default="zh")
    ask.add_argument("--overdue", action="store_true",
                     help="only duties whose deadline has passed (deadline before the day asked)")
    ask.add_argument("--explain", action="store_true", help="print the short reason under each conclusion")
    ask.add_argument("--all-superiors", action="store_true",
                     help="print a power several superiors hold for every one of them (default: once, on its ordinary holder)")
    ask.add_argument("--rules", help="a rules folder other than the shipped one")
    ask.add_argument("--local", action="append", metavar="PATH",
                     help="also load provincial rules (art. 27): a .lp file or a folder such as rules/local/")

    for name, helptext in (("why", "prove a conclusion"), ("whynot", "show why a conclusion does not hold")):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("scenario")
        p.add_argument("conclusion", help='e.g. "may 某中院 elevate c1" or the JSON of one conclusion')
        p.add_argument("--as-of", type=_date)
        p.add_argument("--format", choices=("text", "json", "dot", "mermaid", "html"), default="text")
        p.add_argument("--lang", choices=("zh", "en"), default="zh")
        p.add_argument("--rules", help="a rules folder other than the shipped one")
        p.add_argument("--local", action="append", metavar="PATH", help="also load provincial rules (art. 27)")
        if name == "why":
            p.add_argument("--full", action="store_true",
                           help="every step, with the internal bookkeeping rules (core_*, 本库约定) and the "
                                "ground instances; by default only the statute-level steps")
        if name == "whynot":
            p.add_argument("--depth", type=int, default=4, choices=range(1, 10), metavar="N",
                           help="how many levels of failed, derivable conditions to follow (1-9, default 4)")

    test = sub.add_parser("test", help="run scenario expectations (default: tests/scenarios/)",
                          description="Run every scenario with an `expect:` section (tests/scenarios/README.md) "
                          "and compare it with its <name>.snapshot.json if there is one. Exit 0 all pass, "
                          "1 an expectation or snapshot failed, 2 bad input.")
    test.add_argument("paths", nargs="*", help="scenario files or folders (searched for *.yaml)")
    test.add_argument("--update", action="store_true",
                      help="write the current answers (with the rules and sources of each proof) as "
                           "<name>.snapshot.json beside each scenario")
    test.add_argument("--rules", help="a rules folder (or git ref) other than the shipped one")
    test.add_argument("--lang", choices=("zh", "en"), default="zh")

    diff = sub.add_parser("diff", help="scenarios whose conclusions or reasons change between two rule bases",
                          description="List every scenario (with or without `expect:`) whose conclusions, "
                          "or the rules and sources behind them, differ between OLD and NEW. It is a report: "
                          "exit 0 whatever changed (2 only on bad input).")
    diff.add_argument("paths", nargs="*", help="scenario files or folders (default: tests/scenarios/)")
    diff.add_argument("--rules", action="append", required=True,
                      help="OLD (git ref or folder); give it twice for OLD and NEW (default NEW: the working rules/)")
    diff.add_argument("--lang", choices=("zh", "en"), default="zh")

    check = sub.add_parser("check", help="check the rule base: parses, annotations, coverage, consistency")
    check.add_argument("--rules", help="a rules folder other than the shipped one")
    check.add_argument("--coverage", action="store_true", help="print the article coverage report")
    check.add_argument("--static-only", action="store_true", help="skip the consistency search")
    check.add_argument("--tests", help="the scenario tests folder (default: tests/scenarios/)")
    check.add_argument("--out", help="folder for counterexample scenarios (default: the current folder)")
    check.add_argument("--budget", type=float, help="seconds the consistency search may take in all (default 45)")
    check.add_argument("--lang", choices=("zh", "en"), default="zh")

    sweep = sub.add_parser("sweep", help="answer a whole ledger: independent parts solved in parallel, streamed out",
                           description="Split the ledger (a scenario file) into independent components (a debtor's "
                           "cases, a case without a debtor, joined by decisions and disputes), solve them in batches "
                           "in worker processes and print one conclusion per line as each batch finishes; a summary "
                           "per court goes to stderr.")
    sweep.add_argument("ledger", help="a scenario file (any size up to 4 GB), or a ledger as .jsonl, .csv or .xlsx")
    sweep.add_argument("--format", choices=("jsonl", "csv", "xlsx"), default="jsonl",
                       help="one conclusion per line (jsonl), per row (csv), or an .xlsx workbook (needs --out)")
    sweep.add_argument("--article", type=int, metavar="N", help="only conclusions citing article N of the guidance")
    sweep.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                       help="a progress bar on stderr (default: only when stderr is a terminal)")
    sweep.add_argument("--jobs", type=_positive, help="worker processes (default: the number of CPUs)")
    sweep.add_argument("--overdue", action="store_true", help="only duties whose deadline has passed")
    sweep.add_argument("--actor", help="only conclusions of this court (id or name) or applicant/debtor")
    sweep.add_argument("--out", help="write the conclusions to this file instead of stdout")
    sweep.add_argument("--as-of", type=_date, help="the day the question is asked (default: the file's as_of)")
    sweep.add_argument("--batch", type=_positive, default=400, help="cases per solver call (default 400)")
    sweep.add_argument("--rules", help="a rules folder other than the shipped one")
    sweep.add_argument("--backend", choices=("local", "dask"), default="local",
                       help="local: worker processes on this machine (default); dask: a Dask cluster "
                            "(needs crossexec[dask])")
    sweep.add_argument("--scheduler", metavar="ADDR",
                       help="with --backend dask: the address of a running Dask scheduler (tcp://HOST:8786); "
                            "without it, a local cluster of --jobs worker processes is started")

    init = sub.add_parser("init", help="write a commented starting scenario (docs/scenario-format.md)")
    init.add_argument("file", nargs="?", help="where to write it (default: print it)")
    init.add_argument("--force", action="store_true", help="overwrite an existing file")

    draft = sub.add_parser("draft", help="draft the guidance's 文书样式 for a conclusion (.docx or Markdown)",
                           description="Fill one of the ten 交叉执行文书样式 (facts/forms/) from the scenario and "
                           "the proof of CONCLUSION. Exit 0 drafted (the placeholders left are listed on stderr), "
                           "1 the conclusion does not hold (with the reason), 2 bad input.")
    draft.add_argument("scenario", nargs="?")
    draft.add_argument("conclusion", nargs="?", help='e.g. "may 江苏省苏州市中级人民法院 elevate c1"')
    draft.add_argument("--form", type=int, choices=range(1, 11), metavar="N", help="the form 1-10 (default: the one the act calls for)")
    draft.add_argument("--out", help="FILE.docx or FILE.md (default: Markdown on stdout); with --all a folder (default drafts/)")
    draft.add_argument("--date", type=_date, help="the document's date, YYYY-MM-DD (default: left for the judge)")
    draft.add_argument("--as-of", type=_date, help="the day the question is asked (default: the file's as_of)")
    draft.add_argument("--all", action="store_true", help="draft every form the answer supports, into a folder")
    draft.add_argument("--list", action="store_true", help="list the forms and the acts they serve")
    draft.add_argument("--rules", help="a rules folder other than the shipped one")

    mutate = sub.add_parser("mutate", help="mutation testing: which readings of the rules the scenario tests do not pin down",
                            description="Make small changes (mutants) of the rules and run the scenario tests that can "
                            "see each one. Reports per article: mutants, killed, survived, equivalent, score. "
                            "It is a report: exit 0 (2 on bad input).")
    mutate.add_argument("paths", nargs="*", help="scenario files or folders (default: tests/scenarios/)")
    mutate.add_argument("--article", action="append", metavar="N",
                        help="only the rules of this article (1-28, rules/guidance/aNN.lp), or core or cited; repeatable")
    mutate.add_argument("--kind", action="append", metavar="KIND",
                        help="only mutants of this kind: period, modality, drop, remove_not, add_not, court, cmp; repeatable")
    mutate.add_argument("--rules", help="a rules folder (or git ref) other than the shipped one")
    mutate.add_argument("--jobs", type=int, help="worker processes (default: the number of CPUs)")
    mutate.add_argument("--format", choices=("text", "json"), default="text")
    mutate.add_argument("--lang", choices=("zh", "en"), default="zh")
    mutate.add_argument("--plant", action="append", metavar="ID",
                        help="also run a hand-made mutant: label/period=N/nK sets the K-th period number of the rule to N "
                             "(e.g. a06_transfer_deadline/period=10/n1)")
    mutate.add_argument("--equivalent", metavar="FILE", help="equivalent mutants with reasons (default: tests/mutants-equivalent.yaml)")

    serve = sub.add_parser("serve", help="the workbench page and the HTTP API (README: Workbench and HTTP API)",
                           description="Serve the workbench at http://HOST:PORT/ and the API (/ask, /why, /whynot, "
                           "/check, /draft, /courts, /articles; OpenAPI at /openapi.json). Binds to 127.0.0.1 unless told.")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    serve.add_argument("--port", type=_port, default=8000)
    serve.add_argument("--rules", help="a rules folder other than the shipped one")
    serve.add_argument("--local", action="append", metavar="PATH", help="also load provincial rules (art. 27)")
    serve.add_argument("--workers", type=_count, default=2,
                       help="solver processes, each with the rule base loaded once (default 2; 0: answer in the server's threads, no time limit)")
    serve.add_argument("--timeout", type=_seconds, default=30.0,
                       help="seconds a request may wait for a solver, and then to be solved; past it: 503 (default 30)")
    serve.add_argument("--max-body", type=_positive, default=10 * 1024 * 1024 + 64 * 1024, metavar="BYTES",
                       help="largest request body; past it: 413 (default: 10 MB, a scenario file's limit, plus 64 KB)")
    serve.add_argument("--log-level", choices=("critical", "error", "warning", "info", "debug"), default="info")

    courts = sub.add_parser("courts", help="the court hierarchy: a court, its superiors, a common superior")
    courts.add_argument("query", nargs="*", help="a court name or id")
    courts.add_argument("--common", action="store_true", help="print the lowest common superior of the courts given")
    courts.add_argument("--scenario", help="use this scenario's courts instead of the national hierarchy")
    courts.add_argument("--area", metavar="CODE", help="the court whose area holds this administrative division code")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except InputError as e:
        print(f"crossexec: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:            # `crossexec ask … | head`: the reader has gone, not an error
        sys.stderr.close()
        return 0
    except Exception as e:  # noqa: BLE001 — the one place that turns a bug into exit code 3
        if os.environ.get("CROSSEXEC_DEBUG"):
            traceback.print_exc()
        print(f"crossexec: internal error: {type(e).__name__}: {e} (set CROSSEXEC_DEBUG=1 for details)", file=sys.stderr)
        return 3


def run_ask(args) -> int:
    from .load import load_scenario
    from .render import render_json, render_text
    from . import RULES
    from .rulebase import load_rulebase, local_files
    from .solve import solve

    # the lines of the facts are cited only by the reasons of --explain: without it, the fast reader
    scenario = load_scenario(args.scenario, args.as_of, lines=args.explain)
    rules = load_rulebase(args.rules or RULES, local_files(args.local))
    answer = solve(scenario, rules, explain=args.explain)
    _filter(answer, args)
    if args.format == "json":
        print(render_json(answer))
        return 0
    explain = None
    if args.explain:
        from .explain import short_reason
        explain = lambda c: short_reason(answer, c, args.lang)  # noqa: E731
    # names come from the user's file: the loader refuses control characters in them, and the
    # output escapes any that reach it another way, so it can never move the cursor or fake a line
    sys.stdout.write(escape(render_text(answer, args.lang, explain, args.all_superiors), keep_newlines=True))
    return 0


def _filter(answer, args) -> None:
    from .courts import CourtIndex
    from .render import days_overdue
    if args.overdue:
        answer.conclusions = [c for c in answer.conclusions if days_overdue(answer, c)]
        answer.conflicts = [(p, n) for p, n in answer.conflicts if days_overdue(answer, p) or days_overdue(answer, n)]
    if args.actor:
        if args.actor in ("applicant", "debtor"):
            keep = args.actor
        else:
            keep, problem = CourtIndex(answer.scenario.courts).resolve(args.actor)
            if problem:
                raise InputError(args.scenario, "--actor", problem)
        answer.conclusions = [c for c in answer.conclusions
                              if (c.actor.string if c.actor.type.name == "String" else c.actor.name) == keep]
    if args.case:
        if args.case not in {k.id for k in answer.scenario.cases}:
            raise InputError(args.scenario, "--case", f"unknown case {args.case!r}")
        answer.conclusions = [c for c in answer.conclusions
                              if c.object.name == "case" and c.object.arguments[0].string == args.case]


def _lazy(module: str, function: str):
    def run(args):
        import importlib
        return getattr(importlib.import_module(f"crossexec.{module}"), function)(args)
    return run


COMMANDS = {
    "ask": run_ask,
    "why": _lazy("explain", "run_why"),
    "whynot": _lazy("explain", "run_whynot"),
    "test": _lazy("regress", "run_test"),
    "diff": _lazy("regress", "run_diff"),
    "check": _lazy("check", "run_check"),
    "courts": _lazy("courts_cli", "run_courts"),
    "init": _lazy("starter", "run_init"),
    "draft": _lazy("draft", "run_draft"),
    "mutate": _lazy("mutate", "run_mutate"),
    "sweep": _lazy("sweep", "run_sweep"),
    "serve": _lazy("web.serve", "run_serve"),
}

if __name__ == "__main__":
    sys.exit(main())

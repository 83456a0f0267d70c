"""crossexec serve (issue 17): the HTTP API answers what the CLI answers, refuses what the CLI
refuses with the same one-line message, and keeps its limits (413 body, 503 time, 500 without a
traceback). FastAPI's TestClient calls the app in-process; the solver workers are real processes."""
from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")
from fastapi.testclient import TestClient  # noqa: E402

from crossexec import cli, rulebase  # noqa: E402
from crossexec.web import service  # noqa: E402
from crossexec.web.app import create_app  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEMO = "facts/examples/demo.yaml"
NATIONAL = "facts/examples/national_dispute.yaml"
AS_OF = "2024-09-30"
TRANSFER = "must 苏州市吴江区人民法院 transfer_files c2 -> 昆山市人民法院"
ELEVATE_C2 = "may 江苏省苏州市中级人民法院 elevate c2"


def text(path: str) -> str:
    return (ROOT / path).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def pooled():
    """The server as `crossexec serve` runs it: two solver processes."""
    with TestClient(create_app(workers=2, timeout=120)) as client:
        yield client


@pytest.fixture(scope="module")
def inline():
    """Answers in the test's own process (no worker, no time limit)."""
    with TestClient(create_app(workers=0), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture()
def cached_rules(monkeypatch):
    """The CLI run in-process loads the rule base once for all scenarios instead of once per call
    (0.7 s each); everything else it does is unchanged."""
    load = rulebase.load_rulebase
    cached = lru_cache(maxsize=4)(lambda folder, extra: load(folder, list(extra)))
    monkeypatch.setattr(rulebase, "load_rulebase", lambda folder=None, extra=(): cached(str(folder), tuple(extra)))


def run_cli(*args: str) -> tuple[int, str, str]:
    """`crossexec ARGS…` in this process: exit code, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(args))
    return code, out.getvalue(), err.getvalue()


def cli_process(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "crossexec.cli", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


# -- the same answers as the CLI ------------------------------------------------------------------------

def scenario_files() -> list[str]:
    """Every scenario of tests/scenarios/ (whatever other work adds there) and the shipped examples."""
    found = sorted((ROOT / "tests" / "scenarios").rglob("*.yaml")) + sorted((ROOT / "facts" / "examples").glob("*.yaml"))
    return [str(p.relative_to(ROOT)) for p in found]


def test_ask_equals_the_cli_for_every_scenario(pooled, cached_rules, monkeypatch):
    """POST /ask (two solver processes, two requests at a time) against `crossexec ask --format
    json` run in this process meanwhile, scenario by scenario, field for field; a scenario the CLI
    refuses must be refused with the same line."""
    monkeypatch.chdir(ROOT)
    files = scenario_files()
    assert len(files) > 100
    with ThreadPoolExecutor(2) as threads:
        api = {f: threads.submit(pooled.post, "/ask", json={"scenario": text(f), "file": f}) for f in files}
        problems = []
        for f in files:
            code, out, err = run_cli("ask", f, "--format", "json")
            response = api[f].result()
            if code == 0:
                if response.status_code != 200 or response.json() != json.loads(out):
                    problems.append(f)
            elif code == 2:
                if response.status_code != 422 or f"crossexec: {response.json()['error']}" != err.strip():
                    problems.append(f)
            else:
                problems.append(f"{f}: the CLI failed with exit {code}: {err}")
    assert not problems, f"the API differs from the CLI on {len(problems)} scenario(s): {problems[:10]}"


def test_ask_equals_the_cli_binary(pooled):
    """The installed command itself, in its own process, with the options /ask takes."""
    cases = [(DEMO, {"as_of": AS_OF}, ["--as-of", AS_OF]),
             (DEMO, {"as_of": AS_OF, "actor": "苏州市吴江区人民法院"}, ["--as-of", AS_OF, "--actor", "苏州市吴江区人民法院"]),
             (DEMO, {"as_of": "2024-10-20", "overdue": True}, ["--as-of", "2024-10-20", "--overdue"]),
             (DEMO, {"as_of": AS_OF, "case": "c2"}, ["--as-of", AS_OF, "--case", "c2"]),
             (NATIONAL, {}, [])]
    for path, options, flags in cases:
        expected = cli_process("ask", path, "--format", "json", *flags)
        assert expected.returncode == 0, expected.stderr
        response = pooled.post("/ask", json={"scenario": text(path), "file": path, **options})
        assert response.status_code == 200, response.text
        assert response.json() == json.loads(expected.stdout), (path, options)
    for flags, options in ((["--lang", "en"], {"lang": "en"}), (["--all-superiors"], {"all_superiors": True})):
        expected = cli_process("ask", DEMO, "--as-of", AS_OF, *flags)
        response = pooled.post("/ask", json={"scenario": text(DEMO), "as_of": AS_OF, "format": "text", **options})
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
        assert response.text == expected.stdout, flags
    overdue = pooled.post("/ask", json={"scenario": text(DEMO), "as_of": "2024-10-20", "overdue": True}).json()
    assert overdue["conclusions"] and all(c["overdue"] for c in overdue["conclusions"])


def test_concurrent_requests_give_the_cli_answers(pooled, cached_rules, monkeypatch):
    """Eight clients at once, on different scenarios and questions: each gets its own answer."""
    monkeypatch.chdir(ROOT)
    asks = [(DEMO, AS_OF), (NATIONAL, None), (DEMO, "2024-10-20"), ("tests/scenarios/a04/" +
            sorted(p.name for p in (ROOT / "tests/scenarios/a04").glob("*.yaml"))[0], None)]
    expected = {}
    for path, day in asks:
        code, out, _ = run_cli("ask", path, "--format", "json", *(["--as-of", day] if day else []))
        expected[(path, day)] = json.loads(out)
    code, why_out, _ = run_cli("why", DEMO, TRANSFER, "--as-of", AS_OF, "--format", "json")
    jobs = [("/ask", {"scenario": text(p), "file": p, **({"as_of": d} if d else {})}, expected[(p, d)]) for p, d in asks]
    jobs += [("/why", {"scenario": text(DEMO), "file": DEMO, "as_of": AS_OF, "conclusion": TRANSFER}, json.loads(why_out))]
    jobs = (jobs * 2)[:8]                       # eight requests
    barrier = threading.Barrier(len(jobs))

    def call(job):
        path, body, _ = job
        barrier.wait()
        return pooled.post(path, json=body)

    with ThreadPoolExecutor(len(jobs)) as threads:
        responses = list(threads.map(call, jobs))
    for (path, body, want), response in zip(jobs, responses):
        assert response.status_code == 200, response.text
        assert response.json() == want, (path, body.get("file"), body.get("as_of"))


def test_why_and_whynot_equal_the_cli(pooled, cached_rules, monkeypatch):
    monkeypatch.chdir(ROOT)
    for fmt in ("json", "dot", "mermaid", "text"):
        code, out, err = run_cli("why", DEMO, TRANSFER, "--as-of", AS_OF, "--format", fmt)
        assert code == 0, err
        response = pooled.post("/why", json={"scenario": text(DEMO), "file": DEMO, "as_of": AS_OF,
                                             "conclusion": TRANSFER, "format": fmt})
        assert response.status_code == 200, response.text
        assert (response.json() == json.loads(out)) if fmt == "json" else (response.text == out), fmt
    graph = pooled.post("/why", json={"scenario": text(DEMO), "as_of": AS_OF, "conclusion": TRANSFER}).json()
    assert graph["nodes"] and graph["edges"] and graph["roots"]
    app = next(n for n in graph["nodes"] if n["kind"] == "app")
    assert app["statute"] and app["label"] and app["file"].startswith("rules/")
    fact = next(n for n in graph["nodes"] if n["kind"] == "fact" and n.get("written"))
    assert fact["file"] == "<request>" and fact["line"] > 0 and fact["path"]
    code, out, _ = run_cli("why", DEMO, TRANSFER, "--as-of", AS_OF, "--format", "json", "--full")
    full = pooled.post("/why", json={"scenario": text(DEMO), "file": DEMO, "as_of": AS_OF, "conclusion": TRANSFER,
                                     "full": True})
    assert full.json() == json.loads(out)
    # the conclusion as the JSON object /ask returns, as `why` takes it
    answer = pooled.post("/ask", json={"scenario": text(DEMO), "as_of": AS_OF}).json()
    chosen = next(c for c in answer["conclusions"] if c["action"] == "transfer_files")
    assert pooled.post("/why", json={"scenario": text(DEMO), "as_of": AS_OF, "conclusion": chosen}).json() == graph

    code, out, err = run_cli("whynot", DEMO, ELEVATE_C2, "--as-of", AS_OF, "--format", "json")
    assert code == 0, err
    response = pooled.post("/whynot", json={"scenario": text(DEMO), "file": DEMO, "as_of": AS_OF, "conclusion": ELEVATE_C2})
    assert response.status_code == 200 and response.json() == json.loads(out)
    english = pooled.post("/whynot", json={"scenario": text(DEMO), "as_of": AS_OF, "conclusion": ELEVATE_C2, "lang": "en"})
    assert english.json()["title"].startswith("Why not")


def test_why_of_a_conclusion_that_does_not_hold_is_404(pooled):
    response = pooled.post("/why", json={"scenario": text(DEMO), "as_of": AS_OF, "conclusion": ELEVATE_C2})
    assert response.status_code == 404
    assert response.json()["holds"] is False and "/whynot" in response.json()["error"]


def test_draft_equals_the_cli(pooled, cached_rules, monkeypatch):
    monkeypatch.chdir(ROOT)
    conclusion = "may 江苏省苏州市中级人民法院 elevate c1"
    code, out, err = run_cli("draft", DEMO, conclusion, "--date", "2024-10-08", "--as-of", AS_OF)
    assert code == 0, err
    response = pooled.post("/draft", json={"scenario": text(DEMO), "file": DEMO, "as_of": AS_OF,
                                           "conclusion": conclusion, "date": "2024-10-08"})
    assert response.status_code == 200, response.text
    assert response.json()["markdown"] == out and response.json()["form"] == 3
    assert "文号" in response.json()["unfilled"]
    refused = pooled.post("/draft", json={"scenario": text(DEMO), "as_of": AS_OF, "conclusion": ELEVATE_C2})
    assert refused.status_code == 409 and "不成立" in refused.json()["error"]


def test_check_validates_without_solving(inline):
    ok = inline.post("/check", json={"scenario": text(DEMO)})
    assert ok.status_code == 200 and ok.json()["ok"] is True and ok.json()["cases"] == 2
    as_json = inline.post("/check", json={"scenario": {"name": "x", "as_of": "2024-09-30", "courts": "national",
                                                       "cases": [{"id": "k", "court": "昆山法院", "filed": "2024-01-02", "obligation": "money"}]}})
    assert as_json.status_code == 200 and as_json.json()["courts"] >= 1


# -- bad input: 422 with the CLI's line ----------------------------------------------------------------

def test_a_bad_scenario_is_422_with_the_cli_message_and_line(inline, tmp_path):
    broken = text(DEMO).replace("    filed: 2023-06-15", "    filedd: 2023-06-15")
    line = broken.splitlines().index("    filedd: 2023-06-15") + 1
    path = tmp_path / "broken.yaml"
    path.write_text(broken, encoding="utf-8")
    code, _, err = run_cli("ask", str(path))
    assert code == 2
    for endpoint in ("/ask", "/check", "/why"):
        response = inline.post(endpoint, json={"scenario": broken, "file": str(path), "conclusion": TRANSFER})
        assert response.status_code == 422, endpoint
        body = response.json()
        assert f"crossexec: {body['error']}" == err.strip()
        assert body["line"] == line and body["where"] == "cases[0].filedd" and "unknown key" in body["expected"]
    anonymous = inline.post("/ask", json={"scenario": broken}).json()
    assert anonymous["error"].startswith(f"<request>:{line}: cases[0].filedd: ")
    assert "\n" not in anonymous["error"]


def test_bad_requests_are_422_in_one_line(inline):
    cases = [({"as_of": AS_OF}, "scenario", "this key is required"),
             ({"scenario": text(DEMO), "as_of": "2024-13-01"}, "as_of", "expected a real date"),
             ({"scenario": text(DEMO), "as_of": "3024-01-01"}, "as_of", "expected a date from 1900-01-01"),
             ({"scenario": "- just\n- a list\n"}, "", "expected a mapping"),
             ({"scenario": "a: [unclosed\n"}, "", "not valid YAML"),
             ({"scenario": text(DEMO), "actor": "no such court"}, "--actor", "")]
    for body, where, expected in cases:
        response = inline.post("/ask", json=body)
        assert response.status_code == 422, body
        data = response.json()
        assert data["where"] == where and expected in data["expected"], data
        assert "\n" not in data["error"] and "Traceback" not in data["error"]
    bad_conclusion = inline.post("/why", json={"scenario": text(DEMO), "conclusion": "may nobody fly c9"})
    assert bad_conclusion.status_code == 422 and bad_conclusion.json()["where"].startswith("CONCLUSION")
    not_json = inline.post("/ask", content=b"{not json", headers={"content-type": "application/json"})
    assert not_json.status_code == 422 and "\n" not in not_json.json()["error"]
    unknown_court = inline.get("/courts", params={"q": "西湖区法院"})
    assert unknown_court.status_code == 422 and "杭州市西湖区人民法院" in unknown_court.json()["error"]


# -- limits ----------------------------------------------------------------------------------------------

def test_a_body_over_the_limit_is_413():
    with TestClient(create_app(workers=0, max_body=50_000)) as client:
        big = {"scenario": text(DEMO) + "#" * 60_000}
        assert client.post("/ask", json=big).status_code == 413

        def chunks():                       # no Content-Length: counted as it arrives
            for _ in range(20):
                yield b"x" * 5_000
        response = client.post("/ask", content=chunks(), headers={"content-type": "application/json"})
        assert response.status_code == 413 and "50,000 bytes" in response.json()["error"]
        assert client.post("/ask", json={"scenario": text(DEMO), "as_of": AS_OF}).status_code == 200


def test_a_request_over_the_time_limit_is_503_and_its_worker_is_replaced():
    """A seeded ledger of 1,000 cases takes about a second to answer (the demo, 3 cases, takes less
    than 0.05 s in a warm worker); a limit of 0.05 s stops it, the worker is killed and a fresh one
    answers the next request."""
    sys.path.insert(0, str(ROOT / "bench"))
    import yaml
    from make_ledger import ledger
    slow = yaml.safe_dump(ledger(1000, 15), allow_unicode=True, sort_keys=False, width=1000)
    app = create_app(workers=1, timeout=0.05)
    with TestClient(app) as client:
        pool = app.state.pools["pool"]
        pool.call("check", {"scenario": "name: x\n"}, timeout=120)          # started and ready
        before = pool.pids()
        response = client.post("/ask", json={"scenario": slow, "as_of": AS_OF})
        assert response.status_code == 503 and "0.05 s" in response.json()["error"]
        after = pool.pids()
        assert len(after) == 1 and after != before
        with pytest.raises(ProcessLookupError):          # the killed worker is gone, not leaked
            import os
            os.kill(before[0], 0)
        status, answer = pool.call("ask", {"scenario": text(DEMO), "as_of": AS_OF}, timeout=120)
        assert status == 200 and answer["conclusions"]


def test_an_internal_error_is_500_without_a_traceback(inline, monkeypatch):
    def broken(request):
        raise KeyError("secret/path/in/the/message")
    monkeypatch.setitem(service.HANDLERS, "ask", broken)
    response = inline.post("/ask", json={"scenario": text(DEMO)})
    assert response.status_code == 500
    assert response.json() == {"error": "internal error: KeyError (the server's log has the details)"}


# -- the other endpoints --------------------------------------------------------------------------------

def test_courts_and_common_superior(inline):
    court = inline.get("/courts", params={"q": "昆山法院"}).json()
    assert court["name"] == "昆山市人民法院" and court["superiors"][0]["name"] == "江苏省苏州市中级人民法院"
    assert any(p["name"] == "苏州市吴江区人民法院" for p in court["peers"])
    common = inline.get("/courts/common", params=[("c", "昆山法院"), ("c", "吴江法院")]).json()
    assert common["common"]["name"] == "江苏省苏州市中级人民法院"
    assert cli_process("courts", "--common", "昆山法院", "吴江法院").stdout.strip() == common["common"]["name"]
    assert inline.get("/courts/common", params=[("c", "昆山法院")]).status_code == 422


def test_articles(inline):
    articles = inline.get("/articles").json()
    assert [a["number"] for a in articles] == list(range(1, 29))
    a7 = inline.get("/articles/7").json()
    assert a7["title"] and a7["file"] == "rules/guidance/a07.lp"
    statute = [s for b in a7["blocks"] for s in b["statute"]]
    assert any("应当停止执行" in s["text"] for s in statute)
    stop = next(b for b in a7["blocks"] if any("应当停止执行" in s["text"] for s in b["statute"]))
    assert "a07_stop_execution" in [r["label"] for r in stop["rules"]]
    assert a7["tests"] and all(t.startswith("tests/scenarios/a07/") for t in a7["tests"])
    assert inline.get("/articles/29").status_code == 422


def test_examples(inline):
    examples = inline.get("/examples").json()
    ids = [e["id"] for e in examples]
    assert DEMO in ids and any(i.startswith("tests/scenarios/a04/") for i in ids)
    assert inline.get(f"/examples/{DEMO}").text == text(DEMO)
    assert inline.get("/examples/../pyproject.toml").status_code == 404
    assert inline.get("/examples/facts%2F..%2Fpyproject.toml").status_code == 404


def test_page_openapi_and_vendored_files(inline):
    page = inline.get("/")
    assert page.status_code == 200 and "交叉执行" in page.text
    for src in ("/static/vendor/codemirror/codemirror.js", "/static/vendor/cytoscape/cytoscape.min.js",
                "/static/vendor/dagre/dagre.min.js", "/static/vendor/cytoscape-dagre/cytoscape-dagre.js",
                "/static/app.js"):
        assert src in page.text
        assert inline.get(src).status_code == 200
    assert "http://" not in page.text and "https://" not in page.text        # nothing from a CDN
    vendor = ROOT / "crossexec/web/static/vendor"
    for name in ("codemirror", "cytoscape", "dagre", "cytoscape-dagre"):
        assert (vendor / name / "LICENSE").is_file()
    spec = inline.get("/openapi.json").json()
    for path in ("/ask", "/why", "/whynot", "/check", "/draft", "/courts", "/courts/common", "/articles/{n}"):
        assert path in spec["paths"]
    assert inline.get("/docs").status_code == 404      # Swagger UI would load from a CDN


def test_serve_refuses_bad_options_in_one_line():
    for args in (["--port", "0"], ["--timeout", "-1"], ["--workers", "x"]):
        result = cli_process("serve", *args)
        assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr

"""`crossexec serve`: the HTTP API and the workbench page (README, "Workbench and HTTP API").

One process serves both. The scenario endpoints send their work to a pool of solver processes
(crossexec/web/pool.py) that loaded the rule base once; the rest (articles, examples, courts) is
read once in the server process (crossexec/web/library.py). Answers are the CLI's JSON
(crossexec/web/service.py). Errors: 422 bad input with the CLI's one-line message; 413 a body over
the limit; 503 no answer within the time limit (the worker is replaced); 500 a bug, without a
traceback."""
from __future__ import annotations

import json
import logging
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Literal

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field

from .. import RULES, __version__
from ..errors import InputError, cut, escape
from ..files import MAX_BYTES
from . import pool as pools
from .library import Library
from .service import REQUEST_FILE, input_error

STATIC = Path(__file__).parent / "static"
MAX_BODY = MAX_BYTES + 64 * 1024          # a scenario file's limit, plus the request's other fields
TIMEOUT = 30.0                            # seconds a request may wait for a worker, then to solve
log = logging.getLogger("crossexec.serve")


# -- request bodies -----------------------------------------------------------------------------------

Scenario = str | dict[str, Any]
SCENARIO_DOC = ("the scenario: its YAML text (docs/scenario-format.md), or the same as a JSON object")
FILE_DOC = f"how messages name the scenario (default {REQUEST_FILE}); line numbers are the text's own"


class ScenarioRequest(BaseModel):
    scenario: Scenario = Field(description=SCENARIO_DOC)
    as_of: str | None = Field(None, description="YYYY-MM-DD, the day asked (default: the scenario's as_of, else today)")
    file: str | None = Field(None, max_length=300, description=FILE_DOC)


class AskRequest(ScenarioRequest):
    actor: str | None = Field(None, description="only conclusions of this court (id or name), or applicant/debtor")
    case: str | None = Field(None, description="only conclusions about this case id")
    overdue: bool = Field(False, description="only duties whose deadline has passed")
    format: Literal["json", "text"] = Field("json", description="json: the answer of docs/answer-format.md; text: "
                                                           "the text answer, grouped by court")
    lang: Literal["zh", "en"] = Field("zh", description="the language of the text answer")
    all_superiors: bool = Field(False, description="text: a power several superiors hold, for every one of them")


class ProofRequest(ScenarioRequest):
    conclusion: str | dict[str, Any] = Field(
        description='"modality actor action object [-> target]", e.g. "may 江苏省苏州市中级人民法院 elevate c1", '
                    "or the JSON object of one conclusion of /ask")
    format: Literal["json", "text", "dot", "mermaid", "html"] = "json"
    lang: Literal["zh", "en"] = "zh"


class WhyRequest(ProofRequest):
    full: bool = Field(False, description="every step, with the internal bookkeeping rules (why --full)")


class WhyNotRequest(ProofRequest):
    depth: int = Field(4, ge=1, le=9, description="levels of failed, derivable conditions to follow")


class DraftRequest(ScenarioRequest):
    conclusion: str | dict[str, Any]
    form: int | None = Field(None, ge=1, le=10, description="the form 1-10 (default: the one the act calls for)")
    date: str | None = Field(None, description="the document's date, YYYY-MM-DD")


def _plain(body: BaseModel) -> dict:
    """The request as the worker takes it: the scenario and the conclusion as text."""
    request = body.model_dump()
    if isinstance(request["scenario"], dict):        # JSON is YAML: the loader reads it as it is
        request["scenario"] = json.dumps(request["scenario"], ensure_ascii=False, indent=1)
    if isinstance(request.get("conclusion"), dict):
        request["conclusion"] = json.dumps(request["conclusion"], ensure_ascii=False)
    return request


# -- errors ---------------------------------------------------------------------------------------------

def error(status: int, message: str, **extra) -> JSONResponse:
    return JSONResponse({"error": message, **extra}, status_code=status)


class BodyLimit:
    """413 for a request body over `limit` bytes, whether it says so in Content-Length or not (a
    chunked body is counted as it arrives), before it is all read. Past the limit the app is told
    the client has gone (FastAPI would turn an exception raised while reading into a 400) and
    whatever it still sends is dropped."""

    def __init__(self, app, limit: int = MAX_BODY):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length", b"").decode("latin-1")
        if length.isdigit() and int(length) > self.limit:
            return await self._refuse(scope, receive, send)
        received, refused = 0, False

        async def counted():
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    refused = True
                    await self._refuse(scope, receive, send)
                    return {"type": "http.disconnect"}
            return message

        async def guarded(message):
            if not refused:
                await send(message)

        try:
            await self.app(scope, counted, guarded)
        except Exception:
            if not refused:
                raise

    async def _refuse(self, scope, receive, send):
        response = error(413, f"{REQUEST_FILE}: the request body is larger than {self.limit:,} bytes, "
                              "the server's limit (crossexec serve --max-body)")
        await response(scope, receive, send)


def _validation_message(exc: RequestValidationError) -> JSONResponse:
    """FastAPI's own 422 lists every problem as a structure; the CLI's contract is one line naming
    the place and what was expected. The first problem is given, as the CLI gives the first."""
    first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid request"}
    where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("body", "query"))
    expected = first.get("msg", "invalid request")
    if first.get("type") == "missing":
        expected = "this key is required"
    e = InputError(REQUEST_FILE, where, expected)
    return JSONResponse(input_error(e), status_code=422)


# -- the app --------------------------------------------------------------------------------------------

def create_app(rules: str | Path | None = None, local: list[str] | None = None, workers: int = 2,
               timeout: float = TIMEOUT, max_body: int = MAX_BODY, max_tasks: int = 500) -> FastAPI:
    """`workers=0` answers in the request's thread (no time limit): for tests and debugging."""
    rules = Path(rules or RULES)
    library = Library(rules)
    state: dict = {}

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        state["pool"] = (pools.InlinePool(rules, local) if workers == 0 else
                         pools.SolverPool(workers, rules, local, timeout=timeout, max_tasks=max_tasks))
        try:
            yield
        finally:
            state.pop("pool").close()

    # docs_url/redoc_url off: FastAPI's /docs page loads Swagger UI from a CDN, and the server must work
    # offline; /openapi.json is the description.
    app = FastAPI(title="crossexec", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="交叉执行指导意见知识库 — the answers of `crossexec ask/why/whynot/draft` over HTTP. "
                              "Bad input: 422 with the CLI's one-line message (`error`) and its `file`, `line`, "
                              f"`where` (key path) and `expected`; a body over {max_body:,} bytes: 413; no answer "
                              f"within {timeout:g} s: 503; an internal error: 500.")
    app.add_middleware(BodyLimit, limit=max_body)
    app.state.library = library
    app.state.pools = state

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        return _validation_message(exc)

    @app.exception_handler(InputError)
    async def _bad_input(request: Request, exc: InputError):
        return JSONResponse(input_error(exc), status_code=422)

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception):
        log.exception("internal error on %s", request.url.path)
        return error(500, f"internal error: {type(exc).__name__} (the server's log has the details)")

    def solve(kind: str, body: BaseModel) -> Response:
        try:
            status, result = state["pool"].call(kind, _plain(body))
        except pools.Busy:
            return error(503, f"all solvers are busy; no worker became free within {timeout:g} s", retry=True)
        except pools.TooSlow:
            return error(503, f"the scenario took longer than the limit of {timeout:g} s; its solver was stopped",
                         retry=False)
        except pools.WorkerLost:
            return error(503, "the solver stopped while answering; it has been replaced", retry=True)
        if status == 200 and isinstance(result, dict) and set(result) == {"format", "text"}:
            media = {"dot": "text/vnd.graphviz", "html": "text/html"}.get(result["format"], "text/plain")
            return Response(result["text"], media_type=f"{media}; charset=utf-8")
        return JSONResponse(result, status_code=status)

    # Plain `def` endpoints: FastAPI runs them in its thread pool, where waiting on a worker blocks
    # no other request.
    @app.post("/ask", summary="what each court may, should, must (not) do — `crossexec ask --format json`")
    def ask(body: AskRequest):
        return solve("ask", body)

    @app.post("/why", summary="the proof of a conclusion — `crossexec why` (JSON nodes/edges, or text/DOT/Mermaid/HTML)",
              responses={404: {"description": "the conclusion does not hold (the CLI's exit 1)"}})
    def why(body: WhyRequest):
        return solve("why", body)

    @app.post("/whynot", summary="why a conclusion does not hold — `crossexec whynot`")
    def whynot(body: WhyNotRequest):
        return solve("whynot", body)

    @app.post("/check", summary="validate a scenario without solving it (what `ask` would refuse, with the same message)")
    def check(body: ScenarioRequest):
        return solve("check", body)

    @app.post("/draft", summary="draft the 文书样式 a conclusion calls for, as Markdown — `crossexec draft`",
              responses={409: {"description": "refused: the conclusion does not hold or is prohibited (exit 1)"}})
    def draft(body: DraftRequest):
        return solve("draft", body)

    @app.get("/courts", summary="a court of the national hierarchy, its superiors, subordinates and peers — `crossexec courts`")
    def courts(q: str = Query(..., max_length=300, description="a court's name (as people write it) or id")):
        return library.court(q)

    @app.get("/courts/common", summary="the lowest common superior — `crossexec courts --common`")
    def common(c: list[str] = Query(..., description="two or more courts")):
        return library.common(c)

    @app.get("/articles", summary="articles 1-28: title, rules, tests, normative sentences covered")
    def articles():
        return library.articles()

    @app.get("/articles/{n}", summary="an article: its text, the rules under each sentence, the tests")
    def article(n: int):
        return library.article(n)

    @app.get("/examples", summary="the example scenarios and the scenario tests")
    def examples():
        return library.examples()

    @app.get("/examples/{key:path}", summary="the YAML text of one of them", response_class=PlainTextResponse)
    def example(key: str):
        text = library.example(key)
        if text is None:
            return error(404, f"no example {cut(escape(key))}; GET /examples lists them")
        return PlainTextResponse(text, media_type="text/yaml; charset=utf-8")

    @app.get("/health", summary="the server is up; its solver processes")
    def health():
        return {"ok": True, "version": __version__, "workers": state["pool"].pids()}

    @app.get("/", include_in_schema=False)
    def page():
        return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app

"""`crossexec sweep LEDGER --backend dask [--scheduler ADDR]`: the batches of a sweep solved on a
Dask cluster instead of local worker processes, with the same output.

The split is sweep.py's (independent components grouped into batches); only who solves a batch
changes. The parent loads the ledger, cuts it into batches and submits each batch's sub-scenario
(sweep.sub_scenario, without the courts) to the cluster. What every batch needs — the text of the
rule files and the courts — goes to the cluster once, as the result of one small task, so a
worker fetches it once and a worker restarted later gets it again from the task's lineage (data
scattered from the client would be lost with the worker holding it). The workers need not share
the parent's filesystem: each parses the rule texts into a rule base once per process and keeps
it under the texts' hash.

Results come back in the file's order with bounded memory: at most IN_FLIGHT_PER_THREAD batches
per worker thread are submitted ahead of the one being written.

clingo never frees a symbol (sweep.WORKER_BATCHES): each result says which worker process solved
it and how many batches that process has solved; once a process has solved WORKER_BATCHES, the
parent has the scheduler restart it through its nanny (Client.restart_workers). A batch it was
solving, or had solved but not yet handed over, is solved again by the scheduler (its lineage); a
batch is a pure function of its sub-scenario, so that changes nothing in the output. (A worker
that retires itself with Worker.close_gracefully races with its own nanny in distributed
2026.8: the nanny may be told to close, and the cluster loses the worker.) A worker without a
nanny cannot be restarted, only removed, and is left running."""
from __future__ import annotations

import hashlib
import logging
import os
import shutil
import tempfile
from collections import deque
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from .errors import InputError
from .model import Scenario
from .sweep import WORKER_BATCHES, BatchResult, Options, batches, components, solve_part, sub_scenario

CONNECT_SECONDS = 10         # how long to wait for a scheduler, and for it to have a worker
IN_FLIGHT_PER_THREAD = 3     # batches submitted ahead per worker thread: the cluster stays busy
                             # while the parent writes, and holds no more than this many results


def run(scenario: Scenario, rules_folder, options: Options, jobs: int, batch_cases: int,
        scheduler: str | None) -> Iterator[BatchResult]:
    """Connect now (so a wrong --scheduler or a missing dask is reported before any solving) and
    return the batch results, in the file's order, as they are solved."""
    client, cluster = connect(scheduler, jobs)
    return _results(client, cluster, scenario, Path(rules_folder), options, batch_cases)


def connect(scheduler: str | None, jobs: int):
    """A Dask client of the scheduler at `scheduler`, or of a new local cluster of `jobs` worker
    processes with one thread each; (client, the cluster to close or None)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise InputError("crossexec sweep", "--backend", "the Dask backend needs dask.distributed: "
                         "pip install 'crossexec[dask]'") from None
    if scheduler is None:
        # silence_logs: the workers' lifecycle messages (a worker restarted, module docstring) are
        # Dask's business; an error in a batch still reaches the parent, as the batch's exception.
        # The scheduler's HTTP server goes to a free local port (None would mean 8787, and a
        # warning when another cluster holds it).
        cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                               dashboard_address="127.0.0.1:0", silence_logs=logging.CRITICAL)
        return Client(cluster), cluster
    expected = "expected the address of a running Dask scheduler, such as tcp://10.0.0.5:8786"
    quiet = logging.getLogger("distributed")
    level, quiet.level = quiet.level, logging.CRITICAL    # the failure is reported once, below
    try:
        client = Client(scheduler, timeout=CONNECT_SECONDS)
    except (OSError, TimeoutError, ValueError, TypeError) as e:
        reason = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise InputError("crossexec sweep", "--scheduler", f"cannot reach a Dask scheduler at {scheduler!r} "
                         f"({reason}); {expected}") from None
    finally:
        quiet.level = level
    try:
        client.wait_for_workers(1, timeout=CONNECT_SECONDS)
    except (OSError, TimeoutError):
        client.close()
        raise InputError("crossexec sweep", "--scheduler", f"the Dask scheduler at {scheduler!r} has no "
                         f"worker after {CONNECT_SECONDS} s; start workers with `dask worker {scheduler}`") from None
    return client, None


def _results(client, cluster, scenario: Scenario, rules_folder: Path, options: Options,
             batch_cases: int) -> Iterator[BatchResult]:
    try:
        texts = rule_texts(rules_folder)
        digest, code = _digest(texts), code_digest()
        shared = client.submit(_shared, texts, scenario.courts, pure=False)
        threads = sum(w["nthreads"] for w in client.scheduler_info()["workers"].values()) or 1
        window: deque = deque()
        recycle = _Recycler(client)
        for part in batches(components(scenario), batch_cases):
            sub = replace(sub_scenario(scenario, part), courts={})
            window.append(client.submit(_solve, sub, shared, digest, options, code, pure=False))
            if len(window) >= IN_FLIGHT_PER_THREAD * threads:
                yield recycle(*_result(window.popleft()))   # the future is dropped: the cluster forgets it
        while window:
            yield recycle(*_result(window.popleft()))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _result(future):
    """A batch's result; a worker running other crossexec code is the user's setup, said in one line."""
    try:
        return future.result()
    except OtherCode as e:
        raise InputError("crossexec sweep", "--scheduler", str(e)) from None


class OtherCode(RuntimeError):
    """A worker runs crossexec code other than the command's (another version, an edited copy):
    it could answer differently, or fail on a batch it cannot read."""


@lru_cache(maxsize=1)
def code_digest() -> str:
    """A digest of the crossexec code this process runs (its .py files), computed once."""
    return _digest(_texts(Path(__file__).resolve().parent, "*.py"))


class _Recycler:
    """Restarts a worker process once it has solved WORKER_BATCHES batches (module docstring)."""

    def __init__(self, client):
        self.client, self.done, self.nannies = client, set(), {}

    def __call__(self, result: BatchResult, worker: str | None, process: int, solved: int) -> BatchResult:
        if worker and solved >= WORKER_BATCHES and (worker, process) not in self.done:
            self.done.add((worker, process))
            if worker not in self.nannies:
                info = self.client.scheduler_info()["workers"]
                self.nannies.update((address, bool(w.get("nanny"))) for address, w in info.items())
            if self.nannies.get(worker):
                self.client.restart_workers([worker], raise_for_error=False)
        return result


def rule_texts(folder: Path) -> dict[str, bytes]:
    """Every .lp file under the rules folder, by its path relative to the folder, as bytes (the
    worker writes them back and reads them with the same loader as here)."""
    return _texts(folder, "*.lp")


def _texts(folder: Path, pattern: str) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob(pattern))}


def _digest(texts: dict[str, bytes]) -> str:
    h = hashlib.sha256()
    for name, text in sorted(texts.items()):
        h.update(name.encode() + b"\0" + hashlib.sha256(text).digest())
    return h.hexdigest()


# --- in a worker process -----------------------------------------------------------------------

_RULE_BASES: dict = {}       # digest of the rule texts → parsed rule base, once per process
_SOLVED = [0]                # batches solved by this process


def _shared(texts: dict[str, bytes], courts: dict) -> tuple[dict[str, bytes], dict]:
    """What every batch needs, held on the cluster as this task's result."""
    return texts, courts


def _rulebase(digest: str, texts: dict[str, bytes]):
    if digest not in _RULE_BASES:
        from .rulebase import load_rulebase
        folder = Path(tempfile.mkdtemp(prefix="crossexec-rules-"))
        try:
            for name, text in texts.items():
                path = folder / name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(text)
            _RULE_BASES[digest] = load_rulebase(folder)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    return _RULE_BASES[digest]


def _solve(sub: Scenario, shared: tuple, digest: str, options: Options,
           code: str) -> tuple[BatchResult, str | None, int, int]:
    """A batch's result, the worker that solved it (address, process id) and how many batches
    that process has solved. Refused by a worker whose crossexec code is not the command's."""
    from distributed import get_worker
    if code != code_digest():
        raise OtherCode(f"a Dask worker runs other crossexec code than this command (code digest "
                        f"{code_digest()[:12]}, the command's {code[:12]}); install the same crossexec on every worker")
    texts, courts = shared
    result = solve_part(replace(sub, courts=courts), _rulebase(digest, texts), options)
    _SOLVED[0] += 1
    try:
        worker = get_worker().address
    except ValueError:           # not in a worker (called directly)
        worker = None
    return result, worker, os.getpid(), _SOLVED[0]

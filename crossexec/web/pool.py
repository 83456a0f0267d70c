"""Worker processes for `crossexec serve`: each loads the rule base once and answers one request at
a time, so a slow scenario holds one worker and the others go on.

Why not concurrent.futures.ProcessPoolExecutor: it cannot stop one task. A request that runs past
its time limit here has its worker killed and a fresh one started in its place (the client gets
503); with an executor the hung worker would keep its CPU until the scenario finished. A worker is
also replaced after `max_tasks` requests: clingo keeps every symbol it creates for the life of the
process, so a worker that served many different scenarios only grows (crossexec/sweep.py does the
same for the same reason).

Workers are started with the "spawn" method: the server runs threads (uvicorn's event loop and its
thread pool), and forking a process that has threads can copy a lock held by one of them."""
from __future__ import annotations

import multiprocessing as mp
import os
import queue
import signal
import threading
import time

from . import service

STARTUP_SECONDS = 120.0     # loading the rule base takes about a second; a loaded machine, longer


class Busy(Exception):
    """No worker became free within the time limit."""


class TooSlow(Exception):
    """The request ran past the time limit; its worker was killed and replaced."""


class WorkerLost(Exception):
    """The worker died while answering (killed from outside, out of memory …)."""


def _worker_main(conn, rules, local) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)    # Ctrl-C stops the server, which stops the workers
    service.init(rules, local)
    conn.send(("ready", os.getpid()))
    while True:
        try:
            kind, request = conn.recv()
        except (EOFError, OSError):                 # the server has gone
            return
        conn.send(service.handle(kind, request))


class _Worker:
    def __init__(self, ctx, rules, local):
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(child, rules, local), daemon=True,
                                   name="crossexec-solver")
        self.process.start()
        child.close()
        self.ready = False
        self.tasks = 0

    def wait_ready(self) -> None:
        if self.ready:
            return
        if not self.conn.poll(STARTUP_SECONDS):
            raise WorkerLost("a solver worker did not start")
        message = self.conn.recv()
        if message[0] != "ready":
            raise WorkerLost("a solver worker did not start")
        self.ready = True

    def stop(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class SolverPool:
    """`size` workers. `call` blocks the calling thread (FastAPI runs plain `def` endpoints in a
    thread pool) for at most `timeout` seconds waiting for a free worker, then at most `timeout`
    seconds for the answer."""

    def __init__(self, size: int, rules=None, local=None, timeout: float = 30.0, max_tasks: int = 500):
        self.size, self.rules, self.local = size, rules, local
        self.timeout, self.max_tasks = timeout, max_tasks
        self._ctx = mp.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._workers: set[_Worker] = set()
        self._closed = False
        for _ in range(size):
            self._idle.put(self._start())

    def _start(self) -> _Worker:
        worker = _Worker(self._ctx, self.rules, self.local)
        with self._lock:
            self._workers.add(worker)
        return worker

    def _replace(self, worker: _Worker) -> _Worker:
        with self._lock:
            self._workers.discard(worker)
        worker.stop()
        return self._start()

    def pids(self) -> list[int]:
        with self._lock:
            return sorted(w.process.pid for w in self._workers)

    def call(self, kind: str, request: dict, timeout: float | None = None) -> tuple[int, dict]:
        limit = self.timeout if timeout is None else timeout
        try:
            worker = self._idle.get(timeout=limit)
        except queue.Empty:
            raise Busy() from None
        try:
            worker.wait_ready()
            worker.conn.send((kind, request))
            started = time.monotonic()
            if not worker.conn.poll(limit):
                worker = self._replace(worker)
                raise TooSlow(time.monotonic() - started)
            result = worker.conn.recv()
            worker.tasks += 1
            if worker.tasks >= self.max_tasks:
                worker = self._replace(worker)
            return result
        except (EOFError, OSError, BrokenPipeError) as e:
            worker = self._replace(worker)
            raise WorkerLost(str(e)) from None
        except WorkerLost:
            worker = self._replace(worker)
            raise
        finally:
            if self._closed:
                worker.stop()
            else:
                self._idle.put(worker)

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._workers)
            self._workers.clear()
        for worker in workers:
            worker.stop()


class InlinePool:
    """The same interface, answering in the calling thread without a time limit: for tests that
    compare many scenarios with the CLI (no process hop), and `serve --workers 0`."""

    def __init__(self, rules=None, local=None, **_):
        self.timeout = None
        service.init(rules, local)

    def call(self, kind: str, request: dict, timeout: float | None = None) -> tuple[int, dict]:
        return service.handle(kind, request)

    def pids(self) -> list[int]:
        return []

    def close(self) -> None:
        pass

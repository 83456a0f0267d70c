"""Load check of `crossexec serve` (issue 17): N concurrent clients on 127.0.0.1 post the demo to
/ask for a bounded time; requests per second and latency percentiles, then the server is stopped.

    .venv/bin/python bench/bench_serve.py [--clients 1,2,4,8] [--seconds 15] [--workers 2] [--endpoint ask|why]

Each client is a thread with its own keep-alive connection, sending the next request as soon as
the last is answered. Every answer is checked (status 200, the demo's conclusions); a failed one
is counted and reported, not timed."""
from __future__ import annotations

import argparse
import http.client
import json
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "facts/examples/demo.yaml"
TRANSFER = "must 苏州市吴江区人民法院 transfer_files c2 -> 昆山市人民法院"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, workers: int) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-m", "crossexec.cli", "serve", "--port", str(port),
                                "--workers", str(workers), "--log-level", "warning"], cwd=ROOT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2):
                return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise SystemExit("the server did not start")


def client(port: int, path: str, body: bytes, until: float, latencies: list, failures: list) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    while time.monotonic() < until:
        started = time.perf_counter()
        try:
            connection.request("POST", path, body, {"content-type": "application/json"})
            response = connection.getresponse()
            data = response.read()
            ok = response.status == 200 and (b'"conclusions"' in data or b'"nodes"' in data)
        except (OSError, http.client.HTTPException) as e:
            failures.append(repr(e))
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            continue
        elapsed = time.perf_counter() - started
        if ok:
            latencies.append(elapsed)
        else:
            failures.append(f"{response.status}: {data[:200]!r}")
    connection.close()


def run(port: int, path: str, body: bytes, clients: int, seconds: float) -> dict:
    latencies: list[float] = []
    failures: list[str] = []
    until = time.monotonic() + seconds
    threads = [threading.Thread(target=client, args=(port, path, body, until, latencies, failures)) for _ in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - started          # includes the requests still running at the end
    ordered = sorted(latencies)
    pct = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")  # noqa: E731
    return {"clients": clients, "requests": len(ordered), "failed": len(failures), "wall_s": round(wall, 2),
            "rps": round(len(ordered) / wall, 2), "median_ms": round(1000 * statistics.median(ordered), 1) if ordered else None,
            "p95_ms": round(1000 * pct(0.95), 1), "max_ms": round(1000 * ordered[-1], 1) if ordered else None,
            "first_failure": failures[0] if failures else None}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", default="1,2,4,8", help="comma-separated numbers of concurrent clients")
    parser.add_argument("--seconds", type=float, default=15.0, help="how long each run lasts")
    parser.add_argument("--workers", type=int, default=2, help="the server's solver processes")
    parser.add_argument("--endpoint", choices=("ask", "why"), default="ask")
    args = parser.parse_args()
    port = free_port()
    request = {"scenario": DEMO.read_text(encoding="utf-8"), "as_of": "2024-09-30"}
    if args.endpoint == "why":
        request["conclusion"] = TRANSFER
    body = json.dumps(request, ensure_ascii=False).encode("utf-8")
    server = start_server(port, args.workers)
    try:
        run(port, f"/{args.endpoint}", body, args.workers, 3.0)          # warm-up: every worker answers once
        print(f"# POST /{args.endpoint} with facts/examples/demo.yaml, {args.workers} solver workers, "
              f"{args.seconds:g} s per run")
        print("| clients | requests | failed | requests/s | median | p95 | max |")
        print("|---|---|---|---|---|---|---|")
        for n in (int(x) for x in args.clients.split(",")):
            r = run(port, f"/{args.endpoint}", body, n, args.seconds)
            print(f"| {n} | {r['requests']} | {r['failed']} | {r['rps']} | {r['median_ms']} ms | {r['p95_ms']} ms "
                  f"| {r['max_ms']} ms |", flush=True)
            if r["first_failure"]:
                print(f"  first failure: {r['first_failure']}", file=sys.stderr)
    finally:
        server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Issue 15: `crossexec sweep` over seeded ledgers on the real courts of one province.

Generates ledgers of 10,000 and 100,000 cases (bench/make_ledger.py, 江苏 by default), runs
`crossexec sweep LEDGER --jobs N --out FILE` as a user would (a new process), and prints for each
size the median wall time, cases/s, the peak RSS of the largest process (the parent or one
worker: RUSAGE_CHILDREN of a wrapper process), the number of conclusions, and time(100k)/time(10k)
from the same run.

--backend local,dask runs each ledger with both backends in turn. For dask, the bench starts a
Dask LocalCluster of --jobs worker processes (one thread each) before timing and passes its
address (`crossexec sweep --backend dask --scheduler ADDR`); the cluster is restarted before each
run, so every run starts from fresh workers. The peak RSS of a dask run is the larger of the
`crossexec` process and the largest worker (each worker's own ru_maxrss since its last restart),
and the output of each dask run is compared with the local one's, line for line. "command CPU s"
is the CPU time of the `crossexec` process and the processes it waited for: with local, the
parent and its forked workers; with dask, the parent alone (what one machine must do to feed a
cluster: read the ledger, cut it, ship the batches, write the rows).

Usage: .venv/bin/python bench/bench_sweep.py [--sizes 10000,100000] [--runs 3] [--jobs 2] [--backend local,dask]"""
from __future__ import annotations

import argparse
import filecmp
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_ledger import write  # noqa: E402

CROSSEXEC = str(Path(sys.executable).parent / "crossexec")
# Runs the command and reports its wall time and the largest RSS among it and its waited-for children.
WRAPPER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "rc": done.returncode, "rss_kb": usage.ru_maxrss, "cpu": usage.ru_utime + usage.ru_stime,
                  "err": done.stderr.splitlines()[:1]}))
"""


def one_run(ledger: Path, out: Path, jobs: int, client=None) -> dict:
    backend = ["--backend", "dask", "--scheduler", client.scheduler.address] if client else []
    if client:
        client.restart()                 # fresh worker processes, as the local backend forks fresh ones
    result = subprocess.run([sys.executable, "-c", WRAPPER, CROSSEXEC, "sweep", str(ledger), "--jobs", str(jobs),
                             "--out", str(out)] + backend, capture_output=True, text=True, check=True)
    record = json.loads(result.stdout)
    if record["rc"] != 0:
        raise SystemExit(f"sweep failed on {ledger}: {record['err']}")
    if client:
        workers = client.run(lambda: __import__("resource").getrusage(0).ru_maxrss)   # RUSAGE_SELF, KB
        record["rss_kb"] = max([record["rss_kb"], *workers.values()])
    return record


def start_cluster(jobs: int):
    import logging
    from distributed import Client, LocalCluster
    cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address="127.0.0.1:0",
                           silence_logs=logging.CRITICAL)
    return cluster, Client(cluster)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--province", default="js")
    parser.add_argument("--backend", default="local", help="local, dask or local,dask (both, on the same ledgers)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    backends = args.backend.split(",")
    cluster, client = start_cluster(args.jobs) if "dask" in backends else (None, None)
    walls = {}
    print(f"crossexec sweep, {args.province} courts, --jobs {args.jobs}, median of {args.runs} runs (new process each)")
    print(f"{'backend':>7}  {'cases':>8}  {'wall s':>8}  {'cases/s':>8}  {'command CPU s':>13}  {'peak RSS MB':>11}  "
          f"{'conclusions':>11}  {'YAML MB':>7}  same as local")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for n in sizes:
                ledger = Path(tmp) / f"ledger{n}.yaml"
                write(ledger, n)
                for backend in backends:
                    out = Path(tmp) / f"out{n}-{backend}.jsonl"
                    runs = [one_run(ledger, out, args.jobs, client if backend == "dask" else None)
                            for _ in range(args.runs)]
                    wall = statistics.median(r["wall"] for r in runs)
                    rss = statistics.median(r["rss_kb"] for r in runs) / 1024
                    cpu = statistics.median(r["cpu"] for r in runs)
                    with open(out, encoding="utf-8") as f:
                        conclusions = sum(1 for _ in f)
                    local = Path(tmp) / f"out{n}-local.jsonl"
                    same = ("-" if backend == "local" or not local.exists()
                            else "yes" if filecmp.cmp(local, out, shallow=False) else "NO")
                    walls[backend, n] = wall
                    print(f"{backend:>7}  {n:>8}  {wall:>8.1f}  {n / wall:>8.0f}  {cpu:>13.1f}  {rss:>11.0f}  {conclusions:>11}  "
                          f"{ledger.stat().st_size / 1e6:>7.1f}  {same}", flush=True)
                for backend in backends:
                    (Path(tmp) / f"out{n}-{backend}.jsonl").unlink()
                ledger.unlink()
    finally:
        if cluster is not None:
            client.close()
            cluster.close()
    for backend in backends:
        for small, large in zip(sizes, sizes[1:]):
            print(f"{backend}: time({large})/time({small}) = {walls[backend, large] / walls[backend, small]:.2f}")
    if len(backends) == 2:
        for n in sizes:
            print(f"{n}: time(dask)/time(local) = {walls['dask', n] / walls['local', n]:.2f}")

if __name__ == "__main__":
    main()

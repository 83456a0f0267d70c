"""`crossexec sweep --backend dask` gives the local backend's output, line for line and in the same
order, with the same summary (issue 15, "Beyond one machine").

A Dask cluster of two worker processes (one thread each) is started once for the module; the
sweep is run as a user runs it (crossexec.cli.main) with `--scheduler` pointing at it. The
workers get the rule files as text, not as a path, so this also checks that a worker builds the
same rule base from them. Small batches make more tasks than the window of futures in flight, so
results are written while others are still being solved, and must still come out in order."""
from __future__ import annotations

import json
import logging
import re
import socket
import sys
from pathlib import Path

import pytest
import yaml

pytest.importorskip("distributed")

from crossexec import distributed  # noqa: E402
from crossexec.cli import main  # noqa: E402
from test_sweep import GROUPS  # noqa: E402  the merged scenarios of tests/test_sweep.py

ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def scheduler():
    from distributed import LocalCluster
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address="127.0.0.1:0",
                           silence_logs=logging.CRITICAL)
    yield cluster.scheduler_address
    cluster.close()


def _sweep(capsys, tmp_path, ledger: Path, *options: str) -> tuple[list[str], list[str]]:
    """The output lines and the summary (without its timing) of `crossexec sweep LEDGER OPTIONS`."""
    out = tmp_path / "out.jsonl"
    assert main(["sweep", str(ledger), "--out", str(out), "--no-progress", *options]) == 0
    err = capsys.readouterr().err.splitlines()
    start = next(i for i, line in enumerate(err) if line.startswith("sweep: "))
    summary = [re.sub(r", [0-9.]+ s \([0-9]+ 件/秒\)$", "", line) for line in err[start:]]
    return out.read_text(encoding="utf-8").splitlines(), summary


def _merged(tmp_path) -> list[Path]:
    """The largest merged scenario of tests/test_sweep.py (related cases of one debtor,
    centralizations, disputes across courts) and the next two that hold disputes."""
    chosen = sorted(GROUPS, key=lambda group: -len(group[1]["cases"]))
    chosen = chosen[:1] + [g for g in chosen[1:] if g[1]["disputes"]][:2]
    text = json.dumps([doc for _, doc in chosen], default=str)
    assert '"centralize"' in text and all(doc["disputes"] for _, doc in chosen)
    assert any(len({c.get("debtor") for c in doc["cases"]}) < len(doc["cases"]) for _, doc in chosen)
    paths = []
    for i, (_, doc) in enumerate(chosen):
        path = tmp_path / f"merged{i}.yaml"
        path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
        paths.append(path)
    return paths


def test_dask_gives_the_local_output_on_merged_scenarios(tmp_path, capsys, scheduler):
    for path in _merged(tmp_path):
        local = _sweep(capsys, tmp_path, path, "--batch", "4", "--jobs", "1")
        dask = _sweep(capsys, tmp_path, path, "--batch", "4", "--backend", "dask", "--scheduler", scheduler)
        assert len(local[0]) > 20, path
        assert dask[0] == local[0], path           # the same lines, in the same order
        assert dask[1] == local[1], path           # the same counts per court, cases, conflicts, warnings


def test_dask_gives_the_local_output_on_a_generated_ledger(tmp_path, capsys, scheduler):
    sys.path.insert(0, str(ROOT / "bench"))
    from make_ledger import write
    path = tmp_path / "ledger.yaml"
    write(path, 1000, seed=13)
    local = _sweep(capsys, tmp_path, path, "--batch", "100", "--jobs", "2")
    dask = _sweep(capsys, tmp_path, path, "--batch", "100", "--backend", "dask", "--scheduler", scheduler)
    assert len(local[0]) > 10_000 and local[1][0].startswith("sweep: 1000 件案件")
    assert dask[0] == local[0]
    assert dask[1] == local[1]


def test_an_unreachable_scheduler_is_one_line(capsys, monkeypatch):
    monkeypatch.setattr(distributed, "CONNECT_SECONDS", 2)
    with socket.socket() as s:                 # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    demo = str(ROOT / "facts/examples/demo.yaml")
    assert main(["sweep", demo, "--backend", "dask", "--scheduler", f"tcp://127.0.0.1:{port}"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and "--scheduler" in captured.err
    assert f"tcp://127.0.0.1:{port}" in captured.err and "expected the address of a running Dask scheduler" in captured.err
    assert main(["sweep", demo, "--scheduler", f"tcp://127.0.0.1:{port}"]) == 2     # without --backend dask
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--backend dask" in err


def test_a_scheduler_without_workers_is_one_line(capsys, monkeypatch):
    from distributed import LocalCluster
    monkeypatch.setattr(distributed, "CONNECT_SECONDS", 2)
    with LocalCluster(n_workers=0, dashboard_address="127.0.0.1:0", silence_logs=logging.CRITICAL) as empty:
        assert main(["sweep", str(ROOT / "facts/examples/demo.yaml"), "--backend", "dask",
                     "--scheduler", empty.scheduler_address]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--scheduler" in err and "no worker" in err


def test_without_dask_installed_the_message_says_what_to_install(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)      # `import distributed` raises ImportError
    demo = str(ROOT / "facts/examples/demo.yaml")
    assert main(["sweep", demo, "--backend", "dask"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "crossexec[dask]" in err


def test_a_worker_running_other_crossexec_code_is_one_line(capsys, monkeypatch, scheduler):
    """The workers compare the command's code digest with their own: a worker with another version
    of crossexec would answer by other rules of reading, or fail as an internal error."""
    from crossexec import distributed
    monkeypatch.setattr(distributed, "code_digest", lambda: "0" * 64)   # the command's code, as if edited
    demo = str(ROOT / "facts/examples/demo.yaml")
    assert main(["sweep", demo, "--backend", "dask", "--scheduler", scheduler]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--scheduler" in err and "other crossexec code" in err and "000000000000" in err

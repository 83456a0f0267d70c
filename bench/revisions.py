"""An older commit of the repository, exported into a folder, so a benchmark can run the old code
(with its own rules) beside the working tree in the same run."""
from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def export(ref: str, folder: Path) -> Path:
    """`git archive REF` unpacked into `folder`/before; returns that folder."""
    before = Path(folder) / "before"
    before.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(before)], input=archive, check=True)
    return before

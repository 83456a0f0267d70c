"""README shows exactly what `make demo` prints, and the Makefile's demo runs that command."""
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import readme_demo  # noqa: E402


def test_readme_demo_block_is_current():
    os.chdir(ROOT)
    shown = readme_demo.readme_block((ROOT / "README.md").read_text(encoding="utf-8"))
    assert shown == readme_demo.fenced(readme_demo.demo_output()), \
        "README's demo block is stale: run .venv/bin/python tools/readme_demo.py --write"


def test_makefile_demo_runs_the_same_command():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "crossexec " + " ".join(readme_demo.DEMO) in makefile


def test_readme_opens_with_the_two_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = text[text.index("## Quick start"):text.index("## Asking questions")]
    assert "make demo" in quick and "make test" in quick

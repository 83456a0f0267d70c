"""Keep README's demo block equal to what `make demo` prints.

    .venv/bin/python tools/readme_demo.py          # exit 1 if README is stale
    .venv/bin/python tools/readme_demo.py --write  # rewrite the block"""
from __future__ import annotations

import contextlib
import io
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO = ["ask", "facts/examples/demo.yaml", "--as-of", "2024-09-30"]   # as in the Makefile's demo target
BLOCK = re.compile(r"(<!-- demo:begin -->\n)(.*?)(<!-- demo:end -->)", re.S)


def demo_output() -> str:
    from crossexec.cli import main
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main(DEMO)
    return out.getvalue()


def readme_block(text: str) -> str:
    match = BLOCK.search(text)
    return match.group(2) if match else ""


def fenced(output: str) -> str:
    return "```\n" + output + "```\n"


def main() -> int:
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    wanted = fenced(demo_output())
    if "--write" in sys.argv:
        readme.write_text(BLOCK.sub(lambda m: m.group(1) + wanted + m.group(3), text), encoding="utf-8")
        return 0
    return 0 if readme_block(text) == wanted else 1


if __name__ == "__main__":
    sys.exit(main())

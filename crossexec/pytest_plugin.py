"""pytest plugin (entry point `pytest11: crossexec`): every tests/scenarios/**/*.yaml with an
`expect:` section is one test item, with the same failure text as `crossexec test`.

Only files under `<rootdir>/tests/scenarios/` are collected, so other YAML (facts/, fixtures with
deliberately failing expectations, snapshots, which are .json anyway) is never taken for a test.
The rule base is loaded once per session."""
from __future__ import annotations

from pathlib import Path

import pytest

SCENARIOS = Path("tests") / "scenarios"


def pytest_addoption(parser):
    group = parser.getgroup("crossexec")
    group.addoption("--crossexec-rules", default=None, help="crossexec: rules folder or git ref for the scenario tests")
    group.addoption("--crossexec-lang", default="zh", choices=("zh", "en"), help="crossexec: language of failure reports")


def pytest_collect_file(file_path: Path, parent):
    if file_path.suffix != ".yaml":
        return None
    root = parent.config.rootpath / SCENARIOS
    if not file_path.is_relative_to(root):
        return None
    from .regress import has_expect
    if not has_expect(file_path):
        return None
    return ScenarioFile.from_parent(parent, path=file_path)


class ScenarioFailed(Exception):
    """A scenario's expectations or snapshot did not hold; the message is the report."""


class ScenarioFile(pytest.File):
    def collect(self):
        yield ScenarioItem.from_parent(self, name=self.path.stem)


class ScenarioItem(pytest.Item):
    def runtest(self):
        from .errors import InputError
        from .regress import shown
        try:
            runner = _runner(self.config)
        except InputError as e:          # a broken rule base: say where, no traceback
            raise ScenarioFailed(f"crossexec: {e}") from None
        result = runner.run(self.path)
        if result.status in ("error", "crash"):
            raise ScenarioFailed("\n".join(result.report))
        if result.status == "fail":
            header = f"✗ {shown(self.path)} — {result.name}"
            raise ScenarioFailed("\n".join([header] + [f"  {line}" for line in result.report]))

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, ScenarioFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.path, None, f"scenario {self.path.name}"


def _runner(config):
    """One Runner (one parsed rule base) per session."""
    runner = getattr(config, "_crossexec_runner", None)
    if runner is None:
        import contextlib

        from .regress import Runner, rules_folder
        from .rulebase import load_rulebase
        scratch = contextlib.ExitStack()
        config.add_cleanup(scratch.close)
        folder, _ = rules_folder(config.getoption("--crossexec-rules"), scratch)
        runner = Runner(load_rulebase(folder), config.getoption("--crossexec-lang"))
        config._crossexec_runner = runner
    return runner

"""The two ways crossexec refuses to go on: bad input (exit 2) and a broken rule base (exit 2 too,
because a rule file is input the expert wrote). Both carry file, place and what was expected."""
from __future__ import annotations


class InputError(Exception):
    """A scenario, rule or data file that does not follow its contract.

    `where` is a key path such as ``cases[2].assets[0].found`` (or ``line 12`` for rule files)."""

    def __init__(self, file: str, where: str, expected: str, line: int | None = None):
        self.file, self.where, self.expected, self.line = file, where, expected, line
        place = f"{file}:{line}" if line else file
        super().__init__(f"{place}: {where}: {expected}" if where else f"{place}: {expected}")

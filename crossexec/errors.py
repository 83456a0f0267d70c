"""The two ways crossexec refuses to go on: bad input (exit 2) and a broken rule base (exit 2 too,
because a rule file is input the expert wrote). Both carry file, place and what was expected.

A message is always one line that cannot fake other output: control characters (newlines,
terminal escape codes, bidirectional overrides) are shown escaped, and an echoed value is cut."""
from __future__ import annotations

import unicodedata

ECHO_LIMIT = 300          # characters of an echoed value (a file name, a key path, a bad value)
# Characters `escape` keeps although str.isprintable() says no: the space separators (Zs, all of
# them below U+3001), and newlines where they are kept.
_KEPT = [chr(i) for i in range(0x3001) if unicodedata.category(chr(i)) == "Zs" and i != 0x20]


def _printable_but(text: str, kept: list[str]) -> bool:
    """Whether `text` is printable once the `kept` characters are taken out (a pass of C's string
    search per kept character: ten times faster than str.translate on a text answer)."""
    for ch in kept:
        if ch in text:
            text = text.replace(ch, "")
    return text.isprintable()


def escape(text: str, keep_newlines: bool = False) -> str:
    """`text` with every control character (Unicode Cc, and format characters Cf such as the
    bidirectional overrides) written as a Python escape (\\n, \\x1b, \\u202e)."""
    # The common case, checked in C: Cc, Cf, Zl, Zp are never printable; spaces (Zs, e.g. the
    # ideographic space that indents every line of a text answer) are not either, but are kept.
    if text.isprintable() or _printable_but(text, _KEPT + ["\n"] if keep_newlines else _KEPT):
        return text
    out = []
    for ch in text:
        if keep_newlines and ch == "\n":
            out.append(ch)
        elif unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp"):
            out.append(repr(ch)[1:-1])
        else:
            out.append(ch)
    return "".join(out)


def cut(text: str, limit: int = ECHO_LIMIT) -> str:
    """At most `limit` characters, the rest replaced by "…"."""
    return text if len(text) <= limit else text[:limit] + "…"


def echo(value, limit: int = ECHO_LIMIT) -> str:
    """A value as a message quotes it: repr, escaped, and cut to `limit` characters. A huge
    value is not rendered whole first (a 3 MB line or a list of a million items)."""
    if isinstance(value, str):
        return cut(escape(repr(value[:limit + 1])), limit)
    if isinstance(value, (list, dict)):
        return cut(escape(_short_repr(value, limit)), limit)
    try:
        return cut(escape(repr(value)), limit)
    except ValueError:                      # an int too long to print (> 4300 digits)
        return f"<a number of {value.bit_length()} bits>"


def _short_repr(value, limit: int) -> str:
    """repr of a nested list/dict, built only up to about `limit` characters."""
    parts: list[str] = []
    size = 0

    def walk(v, depth: int):
        nonlocal size
        if size > limit or depth > 20:
            return
        if isinstance(v, list):
            add("[")
            for i, item in enumerate(v):
                if size > limit:
                    return
                if i:
                    add(", ")
                walk(item, depth + 1)
            add("]")
        elif isinstance(v, dict):
            add("{")
            for i, (k, item) in enumerate(v.items()):
                if size > limit:
                    return
                add((", " if i else "") + echo(k, 50) + ": ")
                walk(item, depth + 1)
            add("}")
        else:
            add(echo(v, limit))

    def add(text: str):
        nonlocal size
        parts.append(text)
        size += len(text)

    walk(value, 0)
    return "".join(parts)


class InputError(Exception):
    """A scenario, rule or data file that does not follow its contract.

    `where` is a key path such as ``cases[2].assets[0].found`` (or ``line 12`` for rule files)."""

    def __init__(self, file: str, where: str, expected: str, line: int | None = None):
        self.file, self.where, self.expected, self.line = file, where, expected, line
        place = cut(escape(str(file)))
        place = f"{place}:{line}" if line else place
        where, expected = cut(escape(str(where))), cut(escape(str(expected)), 4 * ECHO_LIMIT)
        super().__init__(f"{place}: {where}: {expected}" if where else f"{place}: {expected}")

    def __reduce__(self):
        # raised in a `sweep` worker process, it is pickled back to the parent whole
        return (InputError, (self.file, self.where, self.expected, self.line))

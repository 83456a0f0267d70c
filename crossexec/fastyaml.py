"""A fast reader for large scenario files (a court's ledger), used when no line numbers are needed
(`sweep`, and `ask` without proofs): yaml-rs (a YAML parser in Rust) reads 10,000 cases in about
0.2 s where PyYAML composes them in 3.3 s.

yaml-rs reads YAML 1.2 and PyYAML (the exact reader, crossexec/load.py) YAML 1.1; they differ on
some plain (unquoted) scalars: `yes`/`no`/`on`/`off` are booleans in 1.1 and text in 1.2, `010` is
8 in 1.1 and 10 in 1.2, `1e3` is text in 1.1 and a number in 1.2, `<<` merges in 1.1. yaml-rs also
drops unknown tags (`!custom x`) that the exact reader refuses. So the fast reader only vouches for
a file in which none of that can matter, and returns None otherwise — the caller then reads the
file exactly. It vouches when:

- the text has no tag (`!`), directive (`%`), backslash escape or raw control character (anchors
  and aliases are read by yaml-rs, which bounds how many values an alias may repeat);
- every value is text, true/false, empty or a date — any number sends the file to the exact reader
  (a ledger quotes its court ids: `'320100'`);
- every text that YAML 1.1 would read as something else when unquoted (`yes`, `320100`, `<<`)
  appears only quoted in the file;
- every key is text, the nesting and the number of values are within the loader's limits, and
  every text is printable (the exact reader refuses control characters, and checks the rest).

A file the fast reader vouches for gives the same plain values as the exact reader's (apart from
dates, which it gives as dates and the exact reader as YYYY-MM-DD text: both go through
load.parse_date); tests/test_fastyaml.py checks it on every YAML file of the repository. Errors are
never reported from here: the caller reads the file exactly for the message with its line."""
from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

import yaml

try:                                      # an optional speed-up: without it every file is read exactly
    import yaml_rs
except ImportError:                       # pragma: no cover — yaml-rs is a dependency
    yaml_rs = None

# Characters that may start a tag (`!`) or a directive (`%`), a backslash (double-quoted escapes
# differ between 1.1 and 1.2) and the control characters the exact reader refuses. Each hit is
# looked at in its context (`_unsafe`); a false alarm (a `!` inside a text) costs only speed.
_SUSPECT = re.compile(r"[!%\\\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff\ufffe\uffff]")
_RESOLVER = yaml.resolver.Resolver()
# The first characters of the plain scalars YAML 1.1 types as something other than text.
_TYPED_FIRST = frozenset(k for k in yaml.resolver.Resolver.yaml_implicit_resolvers if k)
_STR = "tag:yaml.org,2002:str"


def read_plain(text: str, max_depth: int, max_nodes: int) -> Any | None:
    """The plain values of `text` (mappings, lists, text, true/false, None, dates), or None when
    yaml-rs is missing, cannot read the text, or the exact reader might read it differently."""
    if yaml_rs is None or _unsafe(text):
        return None
    try:
        raw = yaml_rs.loads(text, parse_datetime=True)
    except Exception:                     # noqa: BLE001 — whatever it is, the exact reader will say it
        return None
    typed = _typed_texts(raw, max_depth, max_nodes)
    if typed is None or (typed and _plain_somewhere(text, typed)):
        return None
    return raw


def _unsafe(text: str) -> bool:
    for hit in _SUSPECT.finditer(text):
        ch, before = hit.group(), text[hit.start() - 1] if hit.start() else "\n"
        if ch == "!" and before not in " \t\n[]{},:-":
            continue                      # inside a text: "注意!" is not a tag
        if ch == "%" and before != "\n":
            continue                      # a directive starts a line
        return True
    return False


def _typed_texts(raw: Any, max_depth: int, max_nodes: int) -> set[str] | None:
    """The texts (values and keys) YAML 1.1 would type when unquoted, or None if a value is
    something the fast reader does not vouch for. Each distinct text is looked at once."""
    texts: list = []                     # every key and every text value (keys are checked below)
    containers, count = [(raw, 0)], 0
    while containers:
        value, depth = containers.pop()
        if depth > max_depth:
            return None
        count += len(value)
        if type(value) is dict:
            texts.extend(value)
            value = value.values()
        for item in value:
            kind = type(item)
            if kind is str:
                texts.append(item)
            elif kind is dict or kind is list:
                containers.append((item, depth + 1))
            elif item is not None and kind is not bool and kind is not date:
                return None              # a number, a time of day: YAML 1.1 and 1.2 may differ
        if count > max_nodes:
            return None
    typed: set[str] = set()
    for text in set(texts):
        if type(text) is not str or not text.isprintable():
            return None                  # a key that is not text; a control character (refused exactly)
        if text and text[0] in _TYPED_FIRST and _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) != _STR:
            typed.add(text)
    return typed


def _plain_somewhere(text: str, typed: set[str]) -> bool:
    """Whether one of `typed` is written unquoted in `text`: as a key, a value, a list item or an
    item of a flow collection (what could precede and follow a plain scalar)."""
    words = "|".join(re.escape(t) for t in sorted(typed, key=len, reverse=True))
    pattern = re.compile(rf"(?:^|[:\-\[{{,?])[ \t]*(?:&\S+[ \t]+)?(?:{words})[ \t]*(?:$|#|[,\]}}:])", re.MULTILINE)
    return pattern.search(text) is not None

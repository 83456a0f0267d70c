"""Read a ledger (台账, art. 23) given as JSON Lines, CSV or XLSX into the same `Scenario` a YAML file
gives: each row becomes the plain value the YAML would have held, with the row's line as the line
of every key path in it, and `load._ScenarioReader.build` validates it exactly as it validates YAML
(one error, naming file, key path, line and what was expected).

JSON Lines (`.jsonl`): one JSON object per line. The first line may be the ledger's header, with the
top-level keys of a scenario other than its lists (`{"name": …, "as_of": …, "courts": "national"}`);
every other line is one item, keyed by what it is:

    {"case": {"id": "c1", "court": "…", "filed": "2024-01-10", …}}      cases[i]
    {"party": {…}}   {"decision": {…}}   {"dispute": {…}}   {"court": {…}}

CSV (`.csv`, UTF-8, with or without BOM) and XLSX (`.xlsx`, the first sheet): a court's case list,
one row per case, the columns named in `COLUMNS` (the key or its Chinese header). The courts are
the national ones (`courts: national`); decisions, disputes and parties need JSON Lines or YAML.
A list of words (`applicants`, `circumstances`) is written separated by 、 ; or ,; a list of
records (`assets`, `excluded_periods`, `events`) as JSON in its cell. An empty cell is a key left
out."""
from __future__ import annotations

import csv
import json
import unicodedata
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterator

from .errors import InputError, echo
from .load import MAX_DEPTH, _ScenarioReader
from .model import Scenario

SUFFIXES = (".jsonl", ".csv", ".xlsx")
ROW_KINDS = {"case": "cases", "party": "parties", "decision": "decisions", "dispute": "disputes",
             "court": "courts"}
HEADER_KEYS = ("name", "as_of", "courts")

# (key of a case, the column's Chinese header, how a cell is read)
COLUMNS = (
    ("id", "案件标识", "text"), ("number", "案号", "text"), ("cause", "案由", "text"),
    ("judgment", "执行依据", "text"), ("court", "执行法院", "text"), ("filed", "立案日期", "text"),
    ("applied", "申请日期", "text"), ("obligation", "义务", "text"), ("applicants", "申请执行人", "words"),
    ("debtor", "被执行人", "text"), ("status", "案件状态", "text"), ("circumstances", "情形", "words"),
    ("assets", "财产", "json"), ("excluded_periods", "不计入期间", "json"), ("events", "事件", "json"),
)
_BY_HEADER = {name: (key, how) for key, zh, how in COLUMNS for name in (key, zh)}


def is_ledger_table(path: str | Path) -> bool:
    return Path(path).suffix.lower() in SUFFIXES


def read_ledger(path: str | Path, as_of: date | None, max_bytes: int, max_nodes: int) -> Scenario:
    """A JSON Lines, CSV or XLSX ledger as a Scenario (README, "A whole caseload")."""
    path = Path(path)
    file = str(path)
    try:
        size = path.stat().st_size
    except OSError as e:
        raise InputError(file, "", f"cannot read this file ({e.strerror})") from None
    if size > max_bytes:
        raise InputError(file, "", f"larger than {max_bytes:,} bytes; expected a ledger below that")
    suffix = path.suffix.lower()
    rows = _jsonl_rows(path) if suffix == ".jsonl" else _table_rows(path, suffix)
    raw, lines = _Collector(file, max_nodes).collect(rows, tabular=suffix != ".jsonl")
    return _ScenarioReader(file, max_nodes).build(raw, lines, as_of)


# --- rows ---------------------------------------------------------------------------------------

def _jsonl_rows(path: Path) -> Iterator[tuple[int, Any]]:
    file = str(path)
    with open(path, encoding="utf-8-sig", errors="strict") as f:
        try:
            for number, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    yield number, json.loads(line, object_pairs_hook=_unique_keys)
                except json.JSONDecodeError as e:
                    raise InputError(file, "", f"not valid JSON on this line ({e.msg}, column {e.colno}); "
                                     "expected one JSON object per line", number) from None
                except _DuplicateKey as e:
                    raise InputError(file, "", f"the key {echo(str(e))} appears twice in one object", number) from None
                except RecursionError:
                    raise InputError(file, "", f"nested more than {MAX_DEPTH} levels deep", number) from None
        except UnicodeDecodeError:
            raise InputError(file, "", "not UTF-8 text; expected a UTF-8 JSON Lines file") from None


class _DuplicateKey(ValueError):
    pass


def _unique_keys(pairs: list) -> dict:
    """JSON objects as the YAML reader reads mappings: a key written twice is refused, not overwritten."""
    out = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


def _table_rows(path: Path, suffix: str) -> Iterator[tuple[int, Any]]:
    """Each row of the table as a case mapping, keyed by the case's keys."""
    file = str(path)
    table = _csv_table(path) if suffix == ".csv" else _xlsx_table(path)
    header = next(table, None)
    if header is None:
        raise InputError(file, "", "the table is empty; expected a header row naming the columns")
    keys = []
    for column, name in enumerate(header[1]):
        name = "" if name is None else str(name).strip()
        if name not in _BY_HEADER:
            raise InputError(file, f"column {column + 1}", f"unknown column {echo(name)}; expected one of: "
                             + ", ".join(f"{key} ({zh})" for key, zh, _ in COLUMNS), header[0])
        keys.append(_BY_HEADER[name])
    index = 0
    for number, cells in table:
        if all(c is None or str(c).strip() == "" for c in cells):
            continue
        if len(cells) > len(keys) and any(c not in (None, "") for c in cells[len(keys):]):
            raise InputError(file, f"cases[{index}]", f"{len(cells)} cells but {len(keys)} columns in the header", number)
        case = {}
        for (key, how), cell in zip(keys, cells):
            value = _cell(cell, how, file, f"cases[{index}].{key}", number)
            if value is not None:
                case[key] = value
        index += 1
        yield number, {"case": case}


def _csv_table(path: Path) -> Iterator[tuple[int, list]]:
    file = str(path)
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            reader = csv.reader(f)
            for cells in reader:
                yield reader.line_num, cells
    except UnicodeDecodeError:
        raise InputError(file, "", "not UTF-8 text; expected a UTF-8 CSV file") from None
    except csv.Error as e:
        raise InputError(file, "", f"not a valid CSV file ({e})") from None


def _xlsx_table(path: Path) -> Iterator[tuple[int, list]]:
    file = str(path)
    try:
        import openpyxl
    except ImportError:
        raise InputError(file, "", "reading .xlsx needs openpyxl (pip install openpyxl)") from None
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as e:          # a corrupt archive raises zipfile/KeyError/ValueError alike
        raise InputError(file, "", f"not a readable .xlsx workbook ({type(e).__name__})") from None
    try:
        for number, cells in enumerate(book.worksheets[0].iter_rows(values_only=True), 1):
            yield number, list(cells)
    finally:
        book.close()


def _cell(cell: Any, how: str, file: str, where: str, line: int) -> Any:
    if cell is None:
        return None
    if isinstance(cell, datetime):      # an XLSX date cell
        cell = cell.date()
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    text = str(cell).strip()
    if not text:
        return None
    if how == "words":
        for separator in "、;；,，":
            text = text.replace(separator, "\n")
        return [w.strip() for w in text.split("\n") if w.strip()]
    if how == "json":
        try:
            return json.loads(text)
        except (json.JSONDecodeError, RecursionError):
            raise InputError(file, where, f"expected a JSON list in this cell, got {echo(text, 60)}", line) from None
    return text


# --- rows → the scenario's plain value ------------------------------------------------------------

class _Collector:
    """The rows as the mapping a YAML scenario would have been, with the same checks on every value
    as the YAML reader makes (printable text, nesting, number of values)."""

    def __init__(self, file: str, max_nodes: int):
        self.file, self.max_nodes, self.nodes = file, max_nodes, 0
        self.lines: dict[str, int] = {}

    def collect(self, rows: Iterator[tuple[int, Any]], tabular: bool) -> tuple[dict, dict]:
        top: dict[str, Any] = {"courts": "national"} if tabular else {}
        lists: dict[str, list] = {}
        first = True
        for number, row in rows:
            if not isinstance(row, dict):
                raise InputError(self.file, "", "expected a JSON object on this line", number)
            if first and not tabular and not (set(row) & set(ROW_KINDS)):
                for key, value in row.items():
                    if key not in HEADER_KEYS:
                        raise InputError(self.file, key, f"unknown key {echo(key)} in the header line; expected "
                                         + ", ".join(HEADER_KEYS), number)
                    top[key] = self.plain(value, key, number, 1)
                first = False
                continue
            first = False
            if len(row) != 1 or next(iter(row)) not in ROW_KINDS:
                raise InputError(self.file, "", "expected one key saying what the line holds: "
                                 + ", ".join(ROW_KINDS) + (" (and the header, first line only)" if not tabular else ""),
                                 number)
            kind, value = next(iter(row.items()))
            section = ROW_KINDS[kind]
            items = lists.setdefault(section, [])
            items.append(self.plain(value, f"{section}[{len(items)}]", number, 1))
        if "courts" in lists:
            if "courts" in top:
                raise InputError(self.file, "courts", "the header says `courts` and lines add courts; expected one of them")
            top["courts"] = lists.pop("courts")
        top.update(lists)
        if "courts" not in top:
            raise InputError(self.file, "courts", "expected the courts: `\"courts\": \"national\"` in the header "
                             "line, or {\"court\": …} lines")
        return top, self.lines

    def plain(self, value: Any, path: str, line: int, depth: int) -> Any:
        self.lines[path] = line
        self.nodes += 1
        if self.nodes > self.max_nodes:
            raise InputError(self.file, path, f"more than {self.max_nodes:,} values; a ledger has fewer", line)
        if depth > MAX_DEPTH:
            raise InputError(self.file, path, f"nested more than {MAX_DEPTH} levels deep; a scenario nests about 6", line)
        if isinstance(value, dict):
            return {k: self.plain(v, f"{path}.{k}" if path else k, line, depth + 1) for k, v in value.items()}
        if isinstance(value, list):
            return [self.plain(v, f"{path}[{i}]", line, depth + 1) for i, v in enumerate(value)]
        if isinstance(value, str) and not value.isprintable():
            bad = next((ch for ch in value if not ch.isprintable() and unicodedata.category(ch) != "Zs"), None)
            if bad is not None:
                raise InputError(self.file, path, f"control character {echo(bad)} in text {echo(value, 80)}; "
                                 "expected printable text", line)
        if isinstance(value, float):
            raise InputError(self.file, path, f"expected text, a date or a whole number, got {value}", line)
        return value

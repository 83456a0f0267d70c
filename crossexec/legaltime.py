"""Legal periods (期间) with China's working-day calendar.

The rules, each cited in ``PeriodComputation.steps`` so an explanation can show them:

* 民法典第201条 / 民事诉讼法第85条第2款: the start day is not counted; counting
  begins the next day.  A period of n days therefore ends on start + n days.
* 民法典第202条: a month or year period ends on the corresponding day of the
  final month, or on that month's last day if it has no such day.
* 执行程序解释第13条: the six months of 民事诉讼法第237条 do not count 公告、鉴定评估、
  管辖争议、执行争议协调、暂缓执行、中止执行 periods.  Those days lengthen the period.
* 民法典第203条 / 民事诉讼法第85条第3款: a *time limit* whose last day is a rest day
  (法定休假日: statutory holiday or a weekend that is not a make-up working day)
  ends on the first working day after it.

``period_end`` gives the last day of an elapsed-time period (no holiday shift);
``deadline_end`` the last day of a time limit.  The returned day still belongs
to the period: a condition such as "超过六个月未执行" holds only from the day
after it, i.e. ``as_of > end``.
"""
from __future__ import annotations

import calendar as _gregorian
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar
import clingo

UNITS = ("day", "month", "year")
# Derived from the package's own data so the message stays true when it is updated.
DATA_YEARS = (min(d.year for d in chinese_calendar.holidays), max(d.year for d in chinese_calendar.holidays))


def to_day(d: date) -> int:
    """Day number used inside ASP: consecutive integers make date arithmetic trivial."""
    return d.toordinal()


def from_day(n: int) -> date:
    return date.fromordinal(n)


class Calendar:
    """Working days in China: statutory holidays and weekends are rest days, make-up
    working days (调休, e.g. Saturday 2024-10-12) are working days.  Outside the data
    of ``chinese_calendar`` we assume weekends only and say so in ``warnings``."""

    def __init__(self) -> None:
        self.warnings: list[str] = []

    def _warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def is_working_day(self, d: date) -> bool:
        try:
            return chinese_calendar.is_workday(d)
        except NotImplementedError:
            lo, hi = DATA_YEARS
            self._warn(f"{d.year}年不在节假日数据范围（{lo}–{hi}年）内：已假定仅周六、周日为休息日，无调休。"
                       f" / {d.year} is outside the holiday data ({lo}–{hi}): assumed only Saturdays"
                       " and Sundays are rest days, with no make-up working days.")
            return d.weekday() < 5

    def next_working_day(self, d: date) -> date:
        while not self.is_working_day(d):
            d += timedelta(days=1)
        return d


default_calendar = Calendar()  # used when no calendar is given, so warnings are never lost


@dataclass(frozen=True)
class PeriodComputation:
    """Everything an explanation needs to show how a date was reached."""
    start: date
    n: int
    unit: str
    raw_end: date        # 民法典第201、202条
    excluded_days: int   # 执行程序解释第13条
    extended_end: date
    end: date            # after the holiday shift, if a deadline
    holiday_shift: bool
    steps: tuple[tuple[str, str, str], ...]  # (source, zh, en)


def add_months(d: date, months: int) -> date:
    """Corresponding day ``months`` later, or that month's last day (民法典第202条)."""
    year, month0 = divmod(d.year * 12 + d.month - 1 + months, 12)
    last = _gregorian.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(d.day, last))


def _merge(exclusions: Iterable, start: date) -> list[tuple[date, date]]:
    """Union of inclusive intervals, clipped to the days after ``start`` (only those are counted)."""
    spans = []
    for item in exclusions:
        lo, hi = item[0], item[1]
        if hi < lo:
            raise ValueError(f"excluded interval ends before it starts: {lo} > {hi}")
        lo = max(lo, start + timedelta(days=1))
        if lo <= hi:
            spans.append((lo, hi))
    merged: list[tuple[date, date]] = []
    for lo, hi in sorted(spans):
        if merged and lo <= merged[-1][1] + timedelta(days=1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def _count(merged: list[tuple[date, date]], end: date) -> int:
    """Distinct excluded days up to and including ``end``."""
    return sum((min(hi, end) - lo).days + 1 for lo, hi in merged if lo <= end)


def compute_period(start: date, n: int, unit: str, exclusions=(), deadline: bool = False,
                   calendar: Calendar | None = None) -> PeriodComputation:
    """Compute a period of ``n`` units after ``start``.

    ``exclusions`` are inclusive ``(from, to)`` or ``(from, to, reason)`` intervals not
    counted in the period; the end moves to the least E with E = raw_end + (excluded days
    in (start, E]), so an interval touching the extended end still counts and one after
    it does not.  ``deadline=True`` applies the holiday shift.
    """
    if unit not in UNITS:
        raise ValueError(f"unknown period unit {unit!r}; expected one of {', '.join(UNITS)}")
    if n < 0:
        raise ValueError(f"period length must not be negative: {n}")
    exclusions = list(exclusions)
    steps = [("民法典第201条", f"开始的当日（{start}）不计入，自下一日（{start + timedelta(days=1)}）开始计算",
              f"The start day ({start}) is not counted; counting begins on {start + timedelta(days=1)}")]
    if unit == "day":
        raw_end = start + timedelta(days=n)
        steps.append(("民法典第201条", f"按日计算，第{n}日为期间最后一日：{raw_end}",
                      f"Counted in days, day {n} is the last day of the period: {raw_end}"))
    else:
        raw_end = add_months(start, n if unit == "month" else 12 * n)
        zh_unit, en_unit = ("月", "months") if unit == "month" else ("年", "years")
        if raw_end.day == start.day:
            zh = f"按{zh_unit}计算，到期月对应日为期间最后一日：{raw_end}"
            en = f"Counted in {en_unit}, the corresponding day of the final month is the last day: {raw_end}"
        else:
            zh = f"按{zh_unit}计算，到期月没有对应日，月末日为期间最后一日：{raw_end}"
            en = f"Counted in {en_unit}, the final month has no corresponding day, so its last day is: {raw_end}"
        steps.append(("民法典第202条", zh, en))

    merged, excluded = _merge(exclusions, start), 0
    while excluded != (x := _count(merged, raw_end + timedelta(days=excluded))):
        excluded = x  # monotone iteration from below reaches the least fixed point
    extended_end = raw_end + timedelta(days=excluded)
    if excluded:
        used = [e for e in exclusions if e[0] <= extended_end and e[1] > start]
        why = [f"（{e[2]}）" if len(e) > 2 and e[2] else "" for e in used]
        zh = "、".join(f"{e[0]}至{e[1]}{w}" for e, w in zip(used, why))
        en = ", ".join(f"{e[0]} to {e[1]}" + (f" ({e[2]})" if w else "") for e, w in zip(used, why))
        steps.append(("执行程序解释第13条", f"不计算{zh}共{excluded}日，期间最后一日延至{extended_end}",
                      f"{excluded} excluded day(s) ({en}) are not counted; the last day moves to {extended_end}"))

    end = extended_end
    if deadline:
        end = (calendar or default_calendar).next_working_day(extended_end)
        if end != extended_end:
            steps.append(("民事诉讼法第85条", f"期满日{extended_end}为法定休假日，顺延至其后第一个工作日{end}",
                          f"The last day {extended_end} is a rest day; the deadline moves to the next working day {end}"))
        else:
            steps.append(("民事诉讼法第85条", f"期满日{end}为工作日，无需顺延",
                          f"The last day {end} is a working day; no extension"))
    return PeriodComputation(start, n, unit, raw_end, excluded, extended_end, end, end != extended_end, tuple(steps))


def period_end(start: date, n: int, unit: str, exclusions=()) -> date:
    """Last day of an elapsed-time period: no holiday shift."""
    return compute_period(start, n, unit, exclusions).end


def deadline_end(start: date, n: int, unit: str, calendar: Calendar | None = None) -> date:
    """Last day of a time limit: shifted past rest days (民法典第203条, 民事诉讼法第85条)."""
    return compute_period(start, n, unit, deadline=True, calendar=calendar).end


# --- clingo context -------------------------------------------------------------

def _items(sym: clingo.Symbol) -> list[clingo.Symbol]:
    """Elements of a clingo tuple: ``(x,)`` arrives as Function("", [x]), ``()`` as Function("", [])."""
    if sym.type == clingo.SymbolType.Function and sym.name == "":
        return list(sym.arguments)
    return [sym]


def _name(sym: clingo.Symbol) -> str:
    if sym.type == clingo.SymbolType.String:
        return sym.string
    if sym.type == clingo.SymbolType.Function and sym.name and not sym.arguments:
        return sym.name
    raise ValueError(f"expected a constant or string, got {sym}")


def _number(sym: clingo.Symbol) -> int:
    if sym.type != clingo.SymbolType.Number:
        raise ValueError(f"expected a number, got {sym}")
    return sym.number


def _intervals(sym: clingo.Symbol) -> list[tuple[int, int, str | None]]:
    items = _items(sym)
    if items and items[0].type == clingo.SymbolType.Number:
        items = [sym]  # a bare (From,To,Reason) triple rather than a tuple of them
    out = []
    for item in items:
        parts = _items(item)
        if len(parts) not in (2, 3):
            raise ValueError(f"expected (From,To,Reason), got {item}")
        out.append((_number(parts[0]), _number(parts[1]), _name(parts[2]) if len(parts) == 3 else None))
    return out


_PERIODS: dict[tuple, PeriodComputation] = {}   # (start, n, unit, exclusions, deadline) → computation
_PERIODS_MAX = 1_000_000                        # distinct periods kept (a 100k ledger has ~70k)
_KEYS: dict[tuple, tuple] = {}                  # the symbols of a call → its key in _PERIODS
_WANTED: dict[clingo.Symbol, set[str]] = {}     # a `reasons` tuple → the names in it


class LegalTimeContext:
    """Context object for ``Control.ground(..., context=...)``.

    ``computations`` maps ``(start_day, n, unit, exclusions, deadline)`` to the
    PeriodComputation, where ``exclusions`` is the tuple of ``(from_day, to_day, reason)``
    intervals that were counted (after the ``reasons`` filter)."""

    def __init__(self, calendar: Calendar | None = None) -> None:
        self.calendar = calendar or Calendar()
        self.computations: dict[tuple, PeriodComputation] = {}

    def _compute(self, start: int, n: int, unit: str, excl: tuple, deadline: bool) -> clingo.Symbol:
        # The rules ask the same period many times (one per rule that reads it, and the same filing
        # day across cases): computed once per process. A computation that made the calendar warn
        # (a year outside its data) is not kept, so each answer that needs it warns again.
        key = (start, n, unit, excl, deadline)
        pc = _PERIODS.get(key)
        if pc is None:
            warned = len(self.calendar.warnings)
            pc = compute_period(from_day(start), n, unit, [(from_day(a), from_day(b), r) for a, b, r in excl],
                                deadline, self.calendar)
            if (len(self.calendar.warnings) == warned and type(self.calendar) is Calendar
                    and len(_PERIODS) < _PERIODS_MAX):
                _PERIODS[key] = pc
        self.computations[key] = pc
        return clingo.Number(to_day(pc.end))

    def _known(self, call: tuple) -> clingo.Symbol | None:
        """The answer to a call seen before, without reading its symbols again: reading them
        through clingo's C API costs ten times the lookup (a quarter of a sweep's grounding)."""
        key = _KEYS.get(call)
        pc = _PERIODS.get(key) if key is not None and type(self.calendar) is Calendar else None
        if pc is None:
            return None
        self.computations[key] = pc
        return clingo.Number(to_day(pc.end))

    def _remember(self, call: tuple, key: tuple) -> None:
        if len(_KEYS) < _PERIODS_MAX:
            _KEYS[call] = key

    def period_end(self, start, n, unit, exclusions=None, reasons=None) -> clingo.Symbol:
        """Only intervals whose Reason is in ``reasons`` count; without ``reasons``, all do."""
        call = ("period", start, n, unit, exclusions, reasons)
        known = self._known(call)
        if known is not None:
            return known
        excl = _intervals(exclusions) if exclusions is not None else []
        if reasons is not None:
            wanted = _WANTED.get(reasons)
            if wanted is None:                  # the rules pass one constant tuple (not_counted)
                wanted = {_name(r) for r in _items(reasons)}
                if len(_WANTED) < 1024:
                    _WANTED[reasons] = wanted
            excl = [e for e in excl if e[2] in wanted]
        key = (_number(start), _number(n), _name(unit), tuple(excl), False)
        self._remember(call, key)
        return self._compute(*key)

    def deadline_end(self, start, n, unit) -> clingo.Symbol:
        call = ("deadline", start, n, unit)
        known = self._known(call)
        if known is not None:
            return known
        key = (_number(start), _number(n), _name(unit), (), True)
        self._remember(call, key)
        return self._compute(*key)

    def next_working_day(self, day) -> clingo.Symbol:
        return clingo.Number(to_day(self.calendar.next_working_day(from_day(_number(day)))))

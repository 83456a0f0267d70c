"""Tests for crossexec.legaltime (民法典第201-203条, 民事诉讼法第85条, 执行程序解释第13条).

Holiday arrangements cited in the ids are those of the State Council notices as
carried by the chinese_calendar package (国务院办公厅关于2024/2025/2026年部分节假日安排的通知).
"""
from datetime import date

import clingo
import pytest

from crossexec.legaltime import (
    DATA_YEARS,
    Calendar,
    LegalTimeContext,
    compute_period,
    deadline_end,
    from_day,
    period_end,
    to_day,
)

D = date.fromisoformat


def case(id_, *values):
    return pytest.param(*values, id=id_)


# --- 民法典第201、202条: elapsed-time period ends --------------------------------------------

PERIOD_ENDS = [
    # month ends (民法典第202条: no corresponding day -> the month's last day)
    case("Jan31+1m->Feb29 (2024 leap)", "2024-01-31", 1, "month", "2024-02-29"),
    case("Jan31+1m->Feb28 (2023 common)", "2023-01-31", 1, "month", "2023-02-28"),
    case("Jan31+6m->Jul31", "2024-01-31", 6, "month", "2024-07-31"),
    case("Aug31+6m->Feb29 (2024 leap)", "2023-08-31", 6, "month", "2024-02-29"),
    case("Aug31+6m->Feb28 (2023 common)", "2022-08-31", 6, "month", "2023-02-28"),
    case("Feb29+6m->Aug29 (corresponding day exists)", "2024-02-29", 6, "month", "2024-08-29"),
    case("Feb28+6m->Aug28 (not month end)", "2023-02-28", 6, "month", "2023-08-28"),
    case("Feb28+1m->Mar28 (leap year, not month end)", "2024-02-28", 1, "month", "2024-03-28"),
    case("Mar31+1m->Apr30", "2024-03-31", 1, "month", "2024-04-30"),
    case("May31+6m->Nov30", "2024-05-31", 6, "month", "2024-11-30"),
    # year boundaries
    case("Dec31+6m->Jun30 across year", "2023-12-31", 6, "month", "2024-06-30"),
    case("Dec31+2m->Feb28 across year", "2024-12-31", 2, "month", "2025-02-28"),
    case("Dec31+1m->Jan31 across year", "2023-12-31", 1, "month", "2024-01-31"),
    case("Jul15+6m->Jan15 across year", "2023-07-15", 6, "month", "2024-01-15"),
    case("Dec31+1d->Jan01 across year", "2024-12-31", 1, "day", "2025-01-01"),
    case("Dec31+12m->Dec31", "2023-12-31", 12, "month", "2024-12-31"),
    # years (民法典第202条 applies to years as to months)
    case("Feb29+1y->Feb28", "2024-02-29", 1, "year", "2025-02-28"),
    case("Feb29+4y->Feb29 (2028 leap)", "2024-02-29", 4, "year", "2028-02-29"),
    case("Mar01+1y->Mar01", "2023-03-01", 1, "year", "2024-03-01"),
    case("2096-02-29+4y->2100-02-28 (2100 not leap)", "2096-02-29", 4, "year", "2100-02-28"),
    case("2099-08-31+6m->2100-02-28 (2100 not leap)", "2099-08-31", 6, "month", "2100-02-28"),
    case("2099-12-31+60d->2100-03-01 (2100 not leap)", "2099-12-31", 60, "day", "2100-03-01"),
    # days, and the start day not counted (民法典第201条)
    case("start not counted: Mar01+1d->Mar02", "2024-03-01", 1, "day", "2024-03-02"),
    case("start not counted: Mar01+1m->Apr01 not Mar31", "2024-03-01", 1, "month", "2024-04-01"),
    case("start not counted: Jan01+1y->next Jan01", "2024-01-01", 1, "year", "2025-01-01"),
    case("Jan01+15d->Jan16", "2024-01-01", 15, "day", "2024-01-16"),
    case("Feb28+1d->Feb29 (2024 leap)", "2024-02-28", 1, "day", "2024-02-29"),
    case("Feb28+1d->Mar01 (2023 common)", "2023-02-28", 1, "day", "2023-03-01"),
    case("zero length ends on start", "2024-03-01", 0, "month", "2024-03-01"),
    case("elapsed period not shifted: ends on National Day 2024-10-06", "2024-09-29", 7, "day", "2024-10-06"),
]


@pytest.mark.parametrize("start,n,unit,expected", PERIOD_ENDS)
def test_period_end(start, n, unit, expected):
    assert period_end(D(start), n, unit) == D(expected)


def test_month_steps_cite_civil_code():
    pc = compute_period(D("2023-08-31"), 6, "month")
    assert (pc.raw_end, pc.extended_end, pc.end, pc.excluded_days, pc.holiday_shift) == (
        D("2024-02-29"), D("2024-02-29"), D("2024-02-29"), 0, False)
    assert [s[0] for s in pc.steps] == ["民法典第201条", "民法典第202条"]
    assert "月末日" in pc.steps[1][1] and "2024-02-29" in pc.steps[1][1]
    assert all(len(step) == 3 and step[2] for step in pc.steps)  # every step has an English text


@pytest.mark.parametrize("unit", ["days", "week", "", "MONTH"])
def test_invalid_unit(unit):
    with pytest.raises(ValueError, match="unit"):
        period_end(D("2024-01-01"), 1, unit)


def test_day_numbers_round_trip():
    assert to_day(D("2024-02-29")) == D("2024-02-29").toordinal()
    assert from_day(to_day(D("2024-02-29"))) == D("2024-02-29")


# --- 民法典第203条, 民事诉讼法第85条: deadlines move past rest days ------------------------------

DEADLINES = [
    # ordinary weekends
    case("ordinary Saturday 2024-03-16 -> Monday 03-18", "2024-03-01", 15, "day", "2024-03-18"),
    case("ordinary Sunday 2024-03-17 -> Monday 03-18", "2024-03-01", 16, "day", "2024-03-18"),
    case("ordinary working day 2024-03-15 stays", "2024-03-01", 14, "day", "2024-03-15"),
    # 2024: Spring Festival 02-10..02-17, make-up Sun 02-04 and Sun 02-18
    case("2024 Spring Festival 02-10..17 -> make-up Sunday 02-18", "2024-01-31", 10, "day", "2024-02-18"),
    case("2024 make-up Sunday 02-04 is a working day", "2024-01-25", 10, "day", "2024-02-04"),
    # 2024: National Day 10-01..10-07, make-up Sun 09-29 and Sat 10-12
    case("2024 National Day 10-01..07: 09-29+7d -> 10-08", "2024-09-29", 7, "day", "2024-10-08"),
    case("2024 National Day: 04-01+6m -> 10-08", "2024-04-01", 6, "month", "2024-10-08"),
    case("2024 make-up Sunday 09-29 is a working day", "2024-09-19", 10, "day", "2024-09-29"),
    case("2024 make-up Saturday 10-12 is a working day", "2024-10-02", 10, "day", "2024-10-12"),
    case("2024 Sunday 10-13 after make-up Saturday -> 10-14", "2024-10-03", 10, "day", "2024-10-14"),
    # 2025: Spring Festival 01-28..02-04, make-up Sun 01-26 and Sat 02-08
    case("2025 Spring Festival 01-28..02-04: 01-30 -> 02-05", "2025-01-20", 10, "day", "2025-02-05"),
    case("2025 Spring Festival: 2024-07-31+6m=01-31 -> 02-05", "2024-07-31", 6, "month", "2025-02-05"),
    case("2025 make-up Sunday 01-26 is a working day", "2025-01-16", 10, "day", "2025-01-26"),
    case("2025 make-up Saturday 02-08 is a working day", "2025-01-29", 10, "day", "2025-02-08"),
    # 2025: National Day + Mid-Autumn 10-01..10-08, make-up Sun 09-28 and Sat 10-11
    case("2025 National Day 10-01..08: 10-05 -> 10-09", "2025-09-25", 10, "day", "2025-10-09"),
    case("2025 National Day: 04-01+6m=10-01 -> 10-09", "2025-04-01", 6, "month", "2025-10-09"),
    case("2025 make-up Sunday 09-28 is a working day", "2025-09-18", 10, "day", "2025-09-28"),
    case("2025 make-up Saturday 10-11 is a working day", "2025-10-01", 10, "day", "2025-10-11"),
    # 2026: New Year 01-01..01-03, make-up Sun 01-04 (crosses the year boundary)
    case("2026 New Year 01-01..03 -> make-up Sunday 01-04", "2025-12-22", 10, "day", "2026-01-04"),
    # 2026: Spring Festival 02-15..02-23, make-up Sat 02-14 and Sat 02-28
    case("2026 Spring Festival 02-15..23: 2025-08-16+6m -> 02-24", "2025-08-16", 6, "month", "2026-02-24"),
    case("2026 make-up Saturday 02-14 is a working day", "2026-02-04", 10, "day", "2026-02-14"),
    case("2026 make-up Saturday 02-28 is a working day", "2026-02-18", 10, "day", "2026-02-28"),
    case("2026 Sunday 03-01 after make-up Saturday -> 03-02", "2026-02-19", 10, "day", "2026-03-02"),
    # 2026: Mid-Autumn 09-25..09-27, National Day 10-01..10-07, make-up Sun 09-20 and Sat 10-10
    case("2026 Mid-Autumn 09-25..27 -> 09-28", "2026-09-15", 10, "day", "2026-09-28"),
    case("2026 National Day 10-01..07: 04-01+6m -> 10-08", "2026-04-01", 6, "month", "2026-10-08"),
    case("2026 make-up Sunday 09-20 is a working day", "2026-09-10", 10, "day", "2026-09-20"),
    case("2026 make-up Saturday 10-10 is a working day", "2026-09-30", 10, "day", "2026-10-10"),
]


@pytest.mark.parametrize("start,n,unit,expected", DEADLINES)
def test_deadline_end(start, n, unit, expected):
    calendar = Calendar()
    assert deadline_end(D(start), n, unit, calendar) == D(expected)
    assert calendar.warnings == []


def test_deadline_steps_show_holiday_shift():
    pc = compute_period(D("2024-09-29"), 7, "day", deadline=True, calendar=Calendar())
    assert (pc.raw_end, pc.end, pc.holiday_shift) == (D("2024-10-06"), D("2024-10-08"), True)
    source, zh, en = pc.steps[-1]
    assert source == "民事诉讼法第85条" and "顺延" in zh and "2024-10-08" in zh and "2024-10-08" in en


def test_deadline_on_working_day_is_not_shifted():
    pc = compute_period(D("2024-03-01"), 14, "day", deadline=True, calendar=Calendar())
    assert pc.end == pc.raw_end and not pc.holiday_shift


@pytest.mark.parametrize("day,expected", [
    case("working Monday stays", "2024-10-14", "2024-10-14"),
    case("make-up Saturday 2024-10-12 stays", "2024-10-12", "2024-10-12"),
    case("National Day 2024-10-01 -> 10-08", "2024-10-01", "2024-10-08"),
    case("ordinary Saturday 2024-03-16 -> 03-18", "2024-03-16", "2024-03-18"),
])
def test_next_working_day(day, expected):
    assert Calendar().next_working_day(D(day)) == D(expected)


# --- years outside the holiday data: weekends only, and said so -----------------------------

beyond_data = pytest.mark.skipif(DATA_YEARS[1] >= 2027, reason="chinese_calendar now covers 2027")


@beyond_data
def test_year_outside_data_warns_and_uses_weekends():
    calendar = Calendar()
    assert calendar.is_working_day(D("2027-01-01"))  # a Friday; New Year's Day is not known
    assert not calendar.is_working_day(D("2027-01-02"))  # Saturday
    assert deadline_end(D("2026-12-26"), 7, "day", calendar) == D("2027-01-04")  # Sat 01-02 -> Mon
    assert len(calendar.warnings) == 1  # deduplicated
    warning = calendar.warnings[0]
    assert warning.startswith("2027年不在节假日数据范围（2004–2026年）内：已假定仅周六、周日为休息日，无调休。")
    assert "2027" in warning.split("/")[1]  # followed by the English text


def test_year_before_data_warns():
    calendar = Calendar()
    assert not calendar.is_working_day(D("2003-01-04"))  # Saturday
    assert calendar.warnings and calendar.warnings[0].startswith("2003年不在节假日数据范围")


def test_year_inside_data_is_silent():
    calendar = Calendar()
    calendar.next_working_day(D("2026-10-01"))
    assert calendar.warnings == []


# --- 执行程序解释第13条: excluded periods lengthen the six months -------------------------------
# start 2024-01-10 + 6 months -> raw end 2024-07-10

EXCLUSIONS = [
    case("none", [], 0, "2024-07-10"),
    case("single 03-01..03-10", [("2024-03-01", "2024-03-10")], 10, "2024-07-20"),
    case("several", [("2024-03-01", "2024-03-10"), ("2024-05-01", "2024-05-05")], 15, "2024-07-25"),
    case("overlapping counted once", [("2024-03-01", "2024-03-10"), ("2024-03-05", "2024-03-15")], 15, "2024-07-25"),
    case("nested counted once", [("2024-03-01", "2024-03-31"), ("2024-03-05", "2024-03-06")], 31, "2024-08-10"),
    case("adjacent", [("2024-03-01", "2024-03-10"), ("2024-03-11", "2024-03-20")], 20, "2024-07-30"),
    case("entirely before start", [("2023-12-01", "2024-01-05")], 0, "2024-07-10"),
    case("ending on start day", [("2024-01-01", "2024-01-10")], 0, "2024-07-10"),
    case("straddling start: only days after it", [("2024-01-05", "2024-01-14")], 4, "2024-07-14"),
    case("starting on start day", [("2024-01-10", "2024-01-12")], 2, "2024-07-12"),
    case("ending on raw end", [("2024-07-01", "2024-07-10")], 10, "2024-07-20"),
    case("starting on raw end", [("2024-07-10", "2024-07-12")], 3, "2024-07-13"),
    case("starting after raw end", [("2024-07-11", "2024-08-01")], 0, "2024-07-10"),
    case("after raw end but inside extended end",
         [("2024-03-01", "2024-03-10"), ("2024-07-15", "2024-07-16")], 12, "2024-07-22"),
    case("starting on extended end", [("2024-03-01", "2024-03-10"), ("2024-07-20", "2024-07-21")], 12, "2024-07-22"),
    case("starting after extended end", [("2024-03-01", "2024-03-10"), ("2024-07-21", "2024-07-31")], 10, "2024-07-20"),
]


@pytest.mark.parametrize("intervals,excluded,expected", EXCLUSIONS)
def test_exclusions(intervals, excluded, expected):
    pc = compute_period(D("2024-01-10"), 6, "month", [(D(a), D(b)) for a, b in intervals])
    assert (pc.raw_end, pc.excluded_days, pc.extended_end, pc.end) == (
        D("2024-07-10"), excluded, D(expected), D(expected))
    assert period_end(D("2024-01-10"), 6, "month", [(D(a), D(b)) for a, b in intervals]) == D(expected)
    assert any(s[0] == "执行程序解释第13条" for s in pc.steps) == bool(excluded)


def test_exclusion_step_names_interval_and_reason():
    pc = compute_period(D("2024-01-10"), 6, "month", [(D("2024-03-01"), D("2024-03-10"), "appraisal")])
    source, zh, en = pc.steps[-1]
    assert source == "执行程序解释第13条"
    assert "2024-03-01至2024-03-10" in zh and "appraisal" in zh and "10日" in zh and "2024-07-20" in zh
    assert "2024-07-20" in en


def test_inverted_interval_rejected():
    with pytest.raises(ValueError, match="ends before it starts"):
        period_end(D("2024-01-10"), 6, "month", [(D("2024-03-10"), D("2024-03-01"))])


def test_exclusions_with_deadline_extend_then_shift():
    # raw 2024-09-21 + 15 excluded days -> 2024-10-06 (National Day) -> 2024-10-08
    pc = compute_period(D("2024-09-14"), 7, "day", [(D("2024-09-16"), D("2024-09-30"))], deadline=True,
                        calendar=Calendar())
    assert (pc.excluded_days, pc.extended_end, pc.end, pc.holiday_shift) == (
        15, D("2024-10-06"), D("2024-10-08"), True)


# --- clingo context --------------------------------------------------------------------------

START = to_day(D("2024-01-10"))
APPRAISAL = (to_day(D("2024-03-01")), to_day(D("2024-03-10")))  # 10 days
NOTICE = (to_day(D("2024-05-01")), to_day(D("2024-05-05")))  # 5 days
A, B = APPRAISAL
C, E = NOTICE


def ground(program, context):
    control = clingo.Control(["--warn=none"])
    control.add("base", [], f"s({START}).\n" + program)
    control.ground([("base", [])], context=context)
    return {str(a.symbol.name): from_day(a.symbol.arguments[0].number)
            for a in control.symbolic_atoms if a.symbol.name == "e"}


CLINGO_CASES = [
    case("1-tuple exclusions and reasons",
         f'e(@period_end(S,6,"month",(({A},{B},appraisal),),(appraisal,))) :- s(S).', "2024-07-20"),
    case("empty exclusions and reasons", 'e(@period_end(S,6,"month",(),())) :- s(S).', "2024-07-10"),
    case("no exclusions argument", 'e(@period_end(S,6,"month")) :- s(S).', "2024-07-10"),
    case("unit as constant", "e(@period_end(S,6,month)) :- s(S).", "2024-07-10"),
    case("reasons filter out notice",
         f'e(@period_end(S,6,"month",(({A},{B},appraisal),({C},{E},notice)),(appraisal,))) :- s(S).', "2024-07-20"),
    case("two reasons both count",
         f'e(@period_end(S,6,"month",(({A},{B},appraisal),({C},{E},notice)),(appraisal,notice))) :- s(S).',
         "2024-07-25"),
    case("no reasons argument: all count",
         f'e(@period_end(S,6,"month",(({A},{B},appraisal),({C},{E},notice)))) :- s(S).', "2024-07-25"),
    case("empty reasons: none count", f'e(@period_end(S,6,"month",(({A},{B},appraisal),),())) :- s(S).',
         "2024-07-10"),
    case("bare triple and bare reason", f'e(@period_end(S,6,"month",({A},{B},appraisal),appraisal)) :- s(S).',
         "2024-07-20"),
    case("deadline 2024-09-29+7d over National Day",
         f'e(@deadline_end({to_day(D("2024-09-29"))},7,"day")).', "2024-10-08"),
    case("next working day after 2024-10-01", f'e(@next_working_day({to_day(D("2024-10-01"))})).', "2024-10-08"),
]


@pytest.mark.parametrize("program,expected", CLINGO_CASES)
def test_clingo_context(program, expected):
    assert ground(program, LegalTimeContext()) == {"e": D(expected)}


def test_clingo_context_records_computations():
    context = LegalTimeContext()
    ground(f'e(@period_end(S,6,"month",(({A},{B},appraisal),({C},{E},notice)),(appraisal,))) :- s(S).\n'
           f'e(@deadline_end({to_day(D("2024-09-29"))},7,"day")).', context)
    period = context.computations[(START, 6, "month", ((A, B, "appraisal"),), False)]
    assert (period.excluded_days, period.end) == (10, D("2024-07-20"))
    deadline = context.computations[(to_day(D("2024-09-29")), 7, "day", (), True)]
    assert deadline.holiday_shift and deadline.end == D("2024-10-08")
    assert len(context.computations) == 2


def test_clingo_context_invalid_unit():
    with pytest.raises(ValueError, match="unit"):
        ground('e(@period_end(S,6,"fortnight")) :- s(S).', LegalTimeContext())


@beyond_data
def test_clingo_context_collects_calendar_warnings():
    context = LegalTimeContext()
    assert ground(f'e(@deadline_end({to_day(D("2026-12-26"))},7,"day")).', context) == {"e": D("2027-01-04")}
    assert len(context.calendar.warnings) == 1 and "2027" in context.calendar.warnings[0]


def test_clingo_context_answers_a_repeated_call_from_memory_and_still_records_it():
    """A call seen before (by any context of this process) is answered without reading its
    symbols again: the same day, and the computation is still recorded for the new answer."""
    program = (f'e(@period_end(S,6,"month",(({A},{B},appraisal),({C},{E},notice)),(appraisal,))) :- s(S).\n'
               f'f(@deadline_end({to_day(D("2024-09-29"))},7,"day")).')
    first, second = LegalTimeContext(), LegalTimeContext()
    assert ground(program, first) == ground(program, second) == {"e": D("2024-07-20")}
    assert second.computations == first.computations and len(second.computations) == 2


@beyond_data
def test_clingo_context_warns_again_for_a_repeated_call_beyond_the_data():
    """A computation that made the calendar warn is not remembered: each answer warns again."""
    program = f'e(@deadline_end({to_day(D("2026-12-26"))},7,"day")).'
    for _ in range(2):
        context = LegalTimeContext()
        assert ground(program, context) == {"e": D("2027-01-04")}
        assert len(context.calendar.warnings) == 1

"""Property tests for crossexec.legaltime over dates inside the holiday data (2004–2026)."""
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from crossexec.legaltime import Calendar, compute_period, deadline_end, period_end

dates = st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 12, 31))
lengths = st.one_of(
    st.tuples(st.integers(0, 400), st.just("day")),
    st.tuples(st.integers(0, 36), st.just("month")),
    st.tuples(st.integers(0, 3), st.just("year")),
)


@st.composite
def intervals(draw, around=dates):
    start = draw(around)
    return start, start + timedelta(days=draw(st.integers(0, 90)))


@given(dates, lengths, st.lists(intervals(), max_size=4))
def test_end_never_precedes_start(start, length, excluded):
    n, unit = length
    end = period_end(start, n, unit, excluded)
    assert end >= start
    if n > 0:
        assert end > start  # the start day itself is never counted (民法典第201条)


@given(dates, lengths, st.lists(intervals(), max_size=4), intervals())
def test_adding_an_exclusion_never_shortens(start, length, excluded, extra):
    n, unit = length
    assert period_end(start, n, unit, excluded + [extra]) >= period_end(start, n, unit, excluded)


@given(dates, lengths, st.lists(intervals(), max_size=4))
def test_extended_end_is_least_fixed_point(start, length, excluded):
    """E = raw_end + X(E), X(E) = distinct excluded days in (start, E], and no smaller E qualifies."""
    n, unit = length
    pc = compute_period(start, n, unit, excluded)
    days = {a + timedelta(days=i) for a, b in excluded for i in range((b - a).days + 1) if a + timedelta(days=i) > start}

    def x(e):
        return sum(1 for d in days if d <= e)

    assert pc.extended_end == pc.raw_end + timedelta(days=x(pc.extended_end))
    assert pc.excluded_days == x(pc.extended_end)
    for k in range(pc.excluded_days):
        e = pc.raw_end + timedelta(days=k)
        assert e != pc.raw_end + timedelta(days=x(e))


@settings(max_examples=300)
@given(dates, lengths)
def test_deadline_lands_on_a_working_day(start, length):
    n, unit = length
    calendar = Calendar()
    end = deadline_end(start, n, unit, calendar)
    assert calendar.is_working_day(end)
    raw = period_end(start, n, unit)
    assert end >= raw
    assert all(not calendar.is_working_day(raw + timedelta(days=i)) for i in range((end - raw).days))


@given(dates, st.integers(0, 36), st.sampled_from(["month", "year"]))
def test_raw_month_end_day_not_after_start_day(start, n, unit):
    pc = compute_period(start, n, unit)
    months = n if unit == "month" else 12 * n
    assert pc.raw_end.day <= start.day
    assert (pc.raw_end.year * 12 + pc.raw_end.month) - (start.year * 12 + start.month) == months
    if pc.raw_end.day < start.day:  # only when the final month is too short: then its last day
        assert (pc.raw_end + timedelta(days=1)).day == 1

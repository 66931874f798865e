"""Prints a day in a school holiday of the demo calendar's current school year, for CI's second run of the suite
"as of" a holiday (`TEST_TODAY=$(python -m scripts.holiday_date) make test`). The day rotates with the week of
the year, so successive CI runs cover half terms, the Christmas, Easter and summer holidays and the last day of
the school year."""

from __future__ import annotations

import sys
from datetime import date, timedelta

from scripts.demo_register import demo_academic_year, demo_terms
from shared import clock


def holiday_days(today: date) -> list[date]:
    """One day in each holiday of the school year the demo shows on `today` (none of them a school day)."""
    autumn, spring, summer = demo_terms(demo_academic_year(today))
    days = [term.half_term_start + timedelta(days=2) for term in (autumn, spring, summer)
            if term.half_term_start is not None]
    days += [autumn.end + timedelta(days=10), spring.end + timedelta(days=10), summer.end + timedelta(days=20),
             date(summer.end.year, 8, 31)]
    return days


def rotating_holiday(today: date) -> date:
    days = holiday_days(today)
    return days[(today.toordinal() // 7) % len(days)]


if __name__ == "__main__":
    day = rotating_holiday(date.fromisoformat(sys.argv[1]) if len(sys.argv) > 1 else clock.today())
    print(day.isoformat())

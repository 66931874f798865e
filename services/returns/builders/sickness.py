"""Sickness return: compulsory-school-age pupils with illness (code I) reaching 15 school days, consecutive or
cumulative, in the school year; one return per continuous period of sickness (rules.md s8).

The school may report earlier on "reasonable grounds to believe" the pupil will reach 15 days; from the
register alone we report when the count is reached. Counting starts on the first day of the school year
(the cumulative count resets each year, rules.md s15 item 4). A period of sickness belongs to the return
whose period holds the day it became reportable: the 15th day of illness, or its own first day once the
year's count already stands at 15. So a period that spans two returns appears once.
"""

from __future__ import annotations

from datetime import date

from services.returns.builders.days import ILLNESS_CODES, marks_by_pupil, runs
from services.returns.builders.rules import ReturnRules
from shared.contracts.returns import RegisterExtract, SicknessRow


def sickness_rows(extract: RegisterExtract, period_start: date, period_end: date,
                  rules: ReturnRules) -> list[SicknessRow]:
    """One row per continuous period of sickness that became reportable within the period."""
    marks = marks_by_pupil(extract.marks)
    year_start = extract.school.first_day_of_school_year
    school_days = [d for d in extract.school_days if year_start <= d <= period_end]
    threshold = rules.sickness_school_days
    rows = []
    for pupil in extract.pupils:
        if not pupil.compulsory_school_age:
            continue
        counted = 0
        for run in runs(school_days, marks.get(pupil.pupil_id, {}), ILLNESS_CODES):
            before = counted
            counted += run.length
            if counted < threshold:
                continue
            reportable_on = run.start if before >= threshold else run.days[threshold - before - 1]
            if period_start <= reportable_on <= period_end:
                rows.append(SicknessRow(
                    pupil_id=pupil.pupil_id, legal_forename=pupil.legal_forename,
                    legal_surname=pupil.legal_surname, address=pupil.address, year_group=pupil.year_group,
                    sickness_start=run.start, sickness_end=run.end, school_days_in_period_of_sickness=run.length,
                    school_days_of_sickness_in_school_year=counted))
    return sorted(rows, key=lambda r: (r.legal_surname, r.legal_forename, str(r.pupil_id), r.sickness_start))

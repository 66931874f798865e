"""A new pupil who did not arrive on the agreed start day (rules.md s8, the CME note): the school follows up and
tells the LA if it cannot locate the child. The register's rule: the agreed start day is the pupil's first school day
on roll (the admission date, or the first day the school meets after it); when the register of that day is complete
for the pupil and every session the school met is marked G, N or O (absent, no reason accepted, the codes a
9(1)(i) run is made of), register reports `did_not_arrive` once, as the mark that completes the day is written."""

from __future__ import annotations

from datetime import date, timedelta

from services.register import repository
from services.register.domain.codes import CONTINUOUS_ABSENCE_DELETION_CODES
from services.register.models import Pupil, School
from services.register.service import calendar, events
from shared.contracts.register import RegisterEventType
from shared.unit_of_work import Db

NOT_ARRIVED_CODES = CONTINUOUS_ABSENCE_DELETION_CODES
# A start day after a summer holiday can be weeks after the admission date; later than this it is no start day.
START_DAY_WITHIN = timedelta(weeks=10)


async def report_did_not_arrive(db: Db, school: School, session_date: date, written: list[tuple[Pupil, str]],
                                calendars: calendar.Calendars | None = None) -> list[Pupil]:
    """Emit `did_not_arrive` for the pupils whose first school day these new marks complete as not arrived."""
    candidates = [p for p, code in written if code in NOT_ARRIVED_CODES
                  and p.admission_date <= session_date <= p.admission_date + START_DAY_WITHIN]
    if not candidates:
        return []
    timetable = await calendar.meeting_timetable(db, school.urn, min(p.admission_date for p in candidates),
                                                 session_date, calendars)
    met = timetable.sessions_on(session_date)
    reported: list[tuple[Pupil, list[str]]] = []
    for pupil in candidates:
        start_day = next((d for d in timetable.school_days if d >= pupil.admission_date), None)
        if start_day != session_date or not met:
            continue
        marks = {m.session: m.code for m in await repository.marks.marks_between(db, pupil.id, session_date,
                                                                            session_date)}
        if all(marks.get(s.value) in NOT_ARRIVED_CODES for s in met):
            reported.append((pupil, [marks[s.value] for s in met]))
    if not reported:
        return []
    professionals = await repository.pupils.professionals_of(db, [p.id for p, _ in reported])
    for pupil, codes in reported:
        summary = events.pupil_summary(pupil, school, professionals.get(pupil.id, set()), session_date)
        events.emit(db, RegisterEventType.DID_NOT_ARRIVE, summary, session_date=session_date, details={
            "admission_date": pupil.admission_date.isoformat(), "start_date": session_date.isoformat(),
            "codes": codes})
    return [p for p, _ in reported]

"""Synthetic demo data: LA 999, its three schools with a calendar for the current school year (the 2026/27 one
moved by whole weeks), about 300 pupils with realistic characteristics and a register from the first day of term
to yesterday with realistic absence patterns, and 20 families whose children (two or three, in the primary and
the secondary or special school) share their parents.

Seeded once, in one transaction, when the database has no school. Historical marks raise no same-day
events; at the end, one PA or SA event per pupil who is persistently or severely absent now, so that
casework opens their journeys. Every name, UPN, email and phone number here is invented."""

from __future__ import annotations

import logging
import random
import time as wallclock
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import insert

from services.register import repository
from services.register.domain.calendar import SchoolCalendar, Term
from services.register.domain.figures import TALLY_FIELDS, PupilTally
from services.register.domain.sessions import Mark, Session
from services.register.domain.thresholds import attendance_return_due, illness_summary, penalty_window
from services.register.domain.upn import make_upn
from services.register.models import (
    ContactKind,
    LocalAuthority,
    Pupil,
    PupilContact,
    School,
    SchoolTerm,
)
from services.register.models import PupilTally as PupilTallyRow
from services.register.service import events
from services.register.service.marks import figures_details
from services.register.service.tallies import status_of
from services.register.settings import RegisterSettings
from shared import clock
from shared.contracts.register import RegisterEventType
from shared.demo import DEMO_LA_CODE, DEMO_LA_NAME, DEMO_SCHOOLS, DEMO_USERS, DemoSchool, demo_id
from shared.unit_of_work import Db, Sessions

logger = logging.getLogger("register.demo")
# The 2026/27 calendar; other years move it by whole weeks, so its terms keep their weekdays.
MODEL_YEAR = 2026
MODEL_TERMS = [
    Term("Autumn", date(2026, 9, 3), date(2026, 12, 18), date(2026, 10, 26), date(2026, 10, 30)),
    Term("Spring", date(2027, 1, 4), date(2027, 3, 26), date(2027, 2, 15), date(2027, 2, 19)),
    Term("Summer", date(2027, 4, 12), date(2027, 7, 21), date(2027, 5, 31), date(2027, 6, 4)),
]
# The demo wants some marks to show: in the first fortnight of a school year it seeds the year before.
LEAD_IN = timedelta(days=14)


def demo_terms(academic_year: int) -> list[Term]:
    """The model calendar moved to `academic_year`: the autumn term starts within three days of 3 September."""
    weeks = round((date(academic_year, 9, 3) - MODEL_TERMS[0].start).days / 7)
    shift = timedelta(weeks=weeks)

    def moved(day: date | None) -> date | None:
        return day + shift if day is not None else None

    return [Term(t.name, t.start + shift, t.end + shift, moved(t.half_term_start), moved(t.half_term_end))
            for t in MODEL_TERMS]


def demo_academic_year(today: date) -> int:
    """The school year whose register the demo shows on `today` (1 September starts a year)."""
    year = today.year if today.month >= 9 else today.year - 1
    return year - 1 if today < demo_terms(year)[0].start + LEAD_IN else year
REGISTER_TIMES = {
    "primary": (time(8, 45), time(9, 0), time(13, 15), time(13, 25)),
    "secondary": (time(8, 30), time(8, 50), time(13, 30), time(13, 40)),
    "special": (time(9, 0), time(9, 20), time(13, 0), time(13, 15)),
}
SOCIAL_WORKERS = [("Helen Carter", "h.carter@northshire-childrens.example.gov", "01632 960101"),
                  ("Marcus Bell", "m.bell@northshire-childrens.example.gov", "01632 960102"),
                  ("Aisha Rahman", "a.rahman@northshire-childrens.example.gov", "01632 960103")]
YOUTH_JUSTICE_WORKER = ("Owen Fletcher", "o.fletcher@northshire-yjs.example.gov", "01632 960201")
FORENAMES = ("Olivia Amelia Isla Ava Mia Ivy Lily Freya Florence Willow Rosie Sophia Grace Evie Poppy Aisha Zara "
             "Maya Nora Ruby Noah Oliver George Arthur Leo Harry Oscar Archie Henry Theo Jack Charlie Freddie "
             "Alfie Finley Muhammad Yusuf Kai Ethan Reuben Tomasz Jakub Mohammed Ibrahim Dylan Samuel").split()
SURNAMES = ("Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans Walker White "
            "Roberts Green Hall Wood Jackson Clarke Patel Khan Begum Ali Hussain Nowak Kowalski Okafor Mensah "
            "Murphy Kelly Hughes Edwards Price Turner Lewis Shaw Cooper Ward Bailey Holmes Mills Fox").split()
STREETS = "Mill Lane|Church Road|Harbour Street|Oak Avenue|Station Road|Meadow Close|Park View|Quarry Hill".split("|")
FAMILIES = 20
ETHNICITIES = [("WBRI", 70), ("WOTH", 6), ("ABAN", 3), ("APKN", 5), ("AIND", 3), ("BAFR", 4), ("BCRB", 2),
               ("MWBC", 3), ("CHNE", 1), ("WIRT", 1), ("OOTH", 2)]


@dataclass
class DemoPupil:
    pupil: dict[str, Any]
    contacts: list[dict[str, Any]] = field(default_factory=list)
    absence: float = 0.02
    pattern: str = "usual"


def _attendance_lead(school: DemoSchool) -> tuple[str, str]:
    user = next(u for u in DEMO_USERS if school.urn in u.school_urns and u.role.value != "governor")
    return user.name, user.email


def _duties(school: School, academic_year: int, items: dict[str, str]) -> None:
    """Harbour View's published attendance policy (reviewed each September; one required item not yet covered, so
    the school page shows what is missing) and its senior attendance champion, the demo's champion user."""
    if school.urn != "900002":
        return
    champion = next(u for u in DEMO_USERS if u.role.value == "senior_attendance_champion")
    school.champion_name, school.champion_role, school.champion_email = (
        champion.name, "Assistant headteacher (attendance)", champion.email)
    school.attendance_policy_url = "https://harbourview.example.org/policies/attendance.pdf"
    school.attendance_policy_review_date = date(academic_year + 1, 9, 1)
    school.attendance_policy_covers = [key for key in items if key != "legal_intervention"]


def _birth_date(rng: random.Random, year_group: str, academic_year: int) -> date:
    nc_year = 0 if year_group == "R" else int(year_group)
    start = date(academic_year - 5 - nc_year, 9, 1)
    return start + timedelta(days=rng.randrange(365))


def _phone(rng: random.Random) -> str:
    return f"07700 900{rng.randrange(1000):03d}"  # Ofcom's range for drama: never a real number


def _other_than(name: str, taken: set[str]) -> str:
    """The name, or the next unused one in FORENAMES: no parent shares a first name with the child or the other
    parent (chosen without drawing from the generator again, so the rest of the demo stays the same)."""
    i = FORENAMES.index(name)
    while FORENAMES[i % len(FORENAMES)] in taken:
        i += 1
    return FORENAMES[i % len(FORENAMES)]


def _make_pupils(rng: random.Random, school: DemoSchool, academic_year: int, first_day: date) -> list[DemoPupil]:
    made = []
    for n in range(school.pupils):
        year_group = school.year_groups[n % len(school.year_groups)]
        forename, surname = rng.choice(FORENAMES), rng.choice(SURNAMES)
        first_year = 0 if school.phase != "secondary" else 7
        nc_year = 0 if year_group == "R" else int(year_group)
        admission = first_day if nc_year == first_year else date(academic_year - (nc_year - first_year), 9, 1)
        if rng.random() < 0.05:
            admission = first_day + timedelta(days=11 + 7 * rng.randrange(6))  # mid-term joiners
        address = f"{rng.randrange(1, 120)} {rng.choice(STREETS)}, Northshire"
        special = school.phase == "special"
        ehcp = special and rng.random() < 0.4
        free_school_meals = rng.random() < (0.35 if special else 0.24)
        pupil = {
            "id": demo_id("pupil", f"{school.urn}-{n}"), "school_urn": school.urn,
            "upn": make_upn(DEMO_LA_CODE, school.estab, academic_year % 100, n + 1),
            "legal_forename": forename, "legal_middle_names": None, "legal_surname": surname,
            "preferred_forename": None, "preferred_surname": None,
            "date_of_birth": _birth_date(rng, year_group, academic_year),
            "sex": rng.choice("FM"), "year_group": year_group, "address": address, "postcode": "NS1 1AA",
            "admission_date": admission, "previous_school": None, "boarder": False, "gp_details": None,
            "on_roll": True, "leaving_date": None, "free_school_meals": free_school_meals,
            "pupil_premium": free_school_meals or rng.random() < 0.04,
            "sen_support": (special and not ehcp) or (not special and rng.random() < 0.12), "ehcp": ehcp,
            "looked_after": False, "previously_looked_after": False, "child_in_need": False,
            "child_protection_plan": False, "young_carer": rng.random() < 0.02,
            "ethnicity": rng.choices([e for e, _ in ETHNICITIES], [w for _, w in ETHNICITIES])[0],
            "eal": rng.random() < 0.15, "medical_condition": rng.random() < 0.05,
            "individual_healthcare_plan": False,
        }
        demo = DemoPupil(pupil)
        taken = {forename}
        for i in range(1 if rng.random() < 0.3 else 2):
            parent_surname = surname if i == 0 or rng.random() < 0.7 else rng.choice(SURNAMES)
            parent_forename = _other_than(rng.choice(FORENAMES), taken)
            taken.add(parent_forename)
            demo.contacts.append({
                "kind": ContactKind.PARENT, "name": f"{parent_forename} {parent_surname}",
                "relationship": ("Mother", "Father")[i], "phone": _phone(rng), "address": address,
                "email": f"{parent_forename.lower()}.{parent_surname.lower()}{rng.randrange(100)}@example.org",
                "parental_responsibility": True, "lives_with_pupil": i == 0 or rng.random() < 0.7, "priority": i})
        grandparent = _other_than(rng.choice(FORENAMES), taken)
        demo.contacts.append({"kind": ContactKind.EMERGENCY, "name": f"{grandparent} {surname}",
                              "relationship": "Grandparent", "phone": _phone(rng), "email": None,
                              "address": None, "parental_responsibility": False, "lives_with_pupil": False,
                              "priority": 0})
        made.append(demo)
    return made


def _assign_vulnerability(rng: random.Random, pupils: list[DemoPupil]) -> None:
    """~1.5% looked after, ~1% on a child protection plan, ~2% child in need; all have a social worker."""
    chosen = rng.sample(pupils, 15)
    for i, demo in enumerate(chosen):
        p = demo.pupil
        if i < 5:
            p["looked_after"] = True
            carer = _other_than(rng.choice(FORENAMES), {p["legal_forename"]})
            demo.contacts[0].update(name=f"{carer} {rng.choice(SURNAMES)}",
                                    relationship="Foster carer")
        elif i < 8:
            p["child_protection_plan"] = True
        elif i < 14:
            p["child_in_need"] = True
        worker = SOCIAL_WORKERS[0] if i % 4 != 3 else SOCIAL_WORKERS[1 + i % 2]
        demo.contacts.append({"kind": ContactKind.SOCIAL_WORKER, "name": worker[0], "email": worker[1],
                              "phone": worker[2], "relationship": "Northshire Children's Services",
                              "address": None, "parental_responsibility": False, "lives_with_pupil": False,
                              "priority": 0})
        # Children known to social care are more often absent: half of them persistently.
        demo.absence = rng.uniform(0.11, 0.3) if rng.random() < 0.5 else rng.uniform(0.02, 0.08)
    for demo in rng.sample([d for d in pupils if d.pupil["school_urn"] == "900002"], 2):
        demo.contacts.append({"kind": ContactKind.YOUTH_JUSTICE_WORKER, "name": YOUTH_JUSTICE_WORKER[0],
                              "email": YOUTH_JUSTICE_WORKER[1], "phone": YOUTH_JUSTICE_WORKER[2],
                              "relationship": "Northshire Youth Justice Service", "address": None,
                              "parental_responsibility": False, "lives_with_pupil": False, "priority": 0})
    rest = [d for d in pupils if d not in chosen]
    for demo in rng.sample(rest, 3):
        demo.pupil["previously_looked_after"] = True


def _distinct_contacts(pupils: list[DemoPupil]) -> None:
    """Give every parent their own phone and email, and emergency contacts landlines, so that only the families
    formed on purpose share a parent (1000 invented mobile numbers would otherwise collide by chance)."""
    phones: set[str] = set()
    emails: set[str] = set()
    for demo in pupils:
        for contact in demo.contacts:
            if contact["kind"] == ContactKind.EMERGENCY and contact["phone"]:
                contact["phone"] = "0113 496 0" + contact["phone"][-3:]  # Ofcom's drama range again
            if contact["kind"] != ContactKind.PARENT:
                continue
            number = int(contact["phone"][-3:])
            while f"07700 900{number % 1000:03d}" in phones:
                number += 1
            contact["phone"] = f"07700 900{number % 1000:03d}"
            phones.add(contact["phone"])
            local, domain = contact["email"].split("@")
            stem, suffix = local.rstrip("0123456789"), int(local[len(local.rstrip("0123456789")):] or 0)
            while f"{stem}{suffix}@{domain}" in emails:
                suffix += 1
            contact["email"] = f"{stem}{suffix}@{domain}"
            emails.add(contact["email"])


def _form_families(rng: random.Random, pupils: list[DemoPupil]) -> None:
    """About FAMILIES families of two or three children sharing their parents: the eldest at the secondary or
    special school, the others at the primary. Children known to social care keep their own contacts."""
    def first_names(demo: DemoPupil) -> set[str]:
        return {demo.pupil["legal_forename"]} | {c["name"].split()[0] for c in demo.contacts
                                                  if c["kind"] in (ContactKind.PARENT, ContactKind.EMERGENCY)}

    eligible = [d for d in pupils if not d.pupil["looked_after"]
                and not any(c["kind"] == ContactKind.SOCIAL_WORKER for c in d.contacts)]
    eldest = [d for d in eligible if d.pupil["school_urn"] != "900001"]
    younger = [d for d in eligible if d.pupil["school_urn"] == "900001"]
    rng.shuffle(eldest)
    rng.shuffle(younger)
    for n, head in enumerate(eldest[:FAMILIES]):
        names = first_names(head)
        parents = [c for c in head.contacts if c["kind"] in (ContactKind.PARENT, ContactKind.EMERGENCY)]
        for _ in range(2 if n % 3 == 0 else 1):
            child = next((d for d in younger if d.pupil["legal_forename"] not in names), None)
            if child is None:
                return
            younger.remove(child)
            names.add(child.pupil["legal_forename"])
            child.pupil.update(legal_surname=head.pupil["legal_surname"], address=head.pupil["address"])
            others = [c for c in child.contacts if c["kind"] not in (ContactKind.PARENT, ContactKind.EMERGENCY)]
            child.contacts = [dict(c) for c in parents] + others


def _absence_profiles(rng: random.Random, pupils: list[DemoPupil]) -> None:
    for demo in pupils:
        if any(c["kind"] == ContactKind.SOCIAL_WORKER for c in demo.contacts):
            continue
        roll = rng.random()
        if roll < 0.025:
            demo.absence, demo.pattern = rng.uniform(0.6, 0.8), "severe"
        elif roll < 0.13:
            demo.absence = rng.uniform(0.11, 0.25)
            demo.pattern = "monday_friday" if rng.random() < 0.35 else "usual"
        elif roll < 0.19:
            demo.absence = rng.uniform(0.06, 0.09)
        else:
            demo.absence = rng.uniform(0.0, 0.045)
        if rng.random() < 0.03:
            demo.pattern = "holiday"


def _day_codes(rng: random.Random, demo: DemoPupil, days: list[date], last_day: date | None) -> dict[date, list[str]]:
    """AM and PM codes for each school day: illness spells, appointments, lateness, holidays, unexplained."""
    codes: dict[date, list[str]] = {}
    holiday_start = rng.randrange(len(days)) if demo.pattern == "holiday" and days else None
    spell = 0
    for i, day in enumerate(days):
        weight = 2.2 if demo.pattern == "monday_friday" and day.weekday() in (0, 4) else 1.0
        if demo.pattern == "monday_friday" and day.weekday() not in (0, 4):
            weight = 0.5
        if holiday_start is not None and holiday_start <= i < holiday_start + 5:
            codes[day] = ["G", "G"]
        elif spell > 0:
            spell -= 1
            codes[day] = ["I", "I"]
        elif rng.random() < demo.absence * weight:
            kind = rng.random()
            if kind < 0.5 and demo.pattern != "severe":
                spell = rng.choice((0, 0, 1, 2))
                codes[day] = ["I", "I"]
            elif kind < 0.62:
                codes[day] = ["M", "\\"] if rng.random() < 0.5 else ["/", "M"]
            elif last_day is not None and (last_day - day).days <= 2 and rng.random() < 0.6:
                codes[day] = ["N", "N"]  # still unexplained: the office has not reached the family yet
            else:
                codes[day] = ["O", "O"]
        else:
            am = "L" if rng.random() < 0.04 else ("U" if rng.random() < 0.004 else "/")
            pm = "V" if rng.random() < 0.01 else "\\"
            codes[day] = [am, pm]
    return codes


async def seed_demo(factory: Sessions, settings: RegisterSettings,
                    today: date | None = None) -> bool:
    """Seed the demo world unless the database already has a school; True when it seeded."""
    started = wallclock.monotonic()
    today = today or clock.today()
    async with factory() as db, db.begin():
        if await repository.schools.any_school(db):
            return False
        await _seed(db, settings, today)
    logger.info("demo data seeded in %.1fs", wallclock.monotonic() - started)
    return True


async def _seed(db: Db, settings: RegisterSettings, today: date) -> None:
    rng = random.Random(settings.demo_seed)
    vsh = next(u for u in DEMO_USERS if u.role.value == "virtual_school_head")
    db.add(LocalAuthority(code=DEMO_LA_CODE, name=DEMO_LA_NAME, virtual_school_head_name=vsh.name,
                               virtual_school_head_email=vsh.email, virtual_school_head_phone="01632 960300"))
    await db.flush()
    academic_year = demo_academic_year(today)
    terms = demo_terms(academic_year)
    calendar = SchoolCalendar(academic_year, terms)
    yesterday = today - timedelta(days=1)
    days = list(calendar.school_days_between(calendar.first_day, yesterday))
    schools: dict[str, School] = {}
    pupils: list[DemoPupil] = []
    for demo_school in DEMO_SCHOOLS:
        am_open, am_close, pm_open, pm_close = REGISTER_TIMES[demo_school.phase]
        lead_name, lead_email = _attendance_lead(demo_school)
        school = School(urn=demo_school.urn, name=demo_school.name, phase=demo_school.phase,
                        la_code=DEMO_LA_CODE, estab=demo_school.estab, am_register_opens=am_open,
                        am_register_closes=am_close, pm_register_opens=pm_open, pm_register_closes=pm_close,
                        attendance_lead_name=lead_name, attendance_lead_email=lead_email)
        _duties(school, academic_year, settings.attendance_policy_items)
        db.add(school)
        schools[school.urn] = school
        # Next year's calendar too, as schools set it up before the summer: deadlines counted in school days
        # (the N-code limit, journey reviews) then run into the next term instead of erring early.
        for year, year_terms in ((academic_year, terms), (academic_year + 1, demo_terms(academic_year + 1))):
            for term in year_terms:
                db.add(SchoolTerm(school_urn=school.urn, academic_year=year, name=term.name,
                                       start_date=term.start, end_date=term.end,
                                       half_term_start=term.half_term_start, half_term_end=term.half_term_end))
        pupils.extend(_make_pupils(rng, demo_school, academic_year, calendar.first_day))
    await db.flush()
    _assign_vulnerability(rng, pupils)
    _absence_profiles(rng, pupils)
    # A generator of its own, so that the families leave the rest of the demo exactly as it was.
    _distinct_contacts(pupils)
    _form_families(random.Random(settings.demo_seed + 1), pupils)
    await db.execute(insert(Pupil), [d.pupil for d in pupils])
    await db.execute(insert(PupilContact), [
        {"id": uuid.uuid4(), "pupil_id": d.pupil["id"], "preferred_language": "en", "accessible_format": "standard",
         **c} for d in pupils for c in d.contacts])

    marks: list[dict[str, Any]] = []
    tallies: list[dict[str, Any]] = []
    crossing_events: list[dict[str, Any]] = []
    last_day = days[-1] if days else None
    for demo in pupils:
        p = demo.pupil
        school = schools[p["school_urn"]]
        own_days = [d for d in days if d >= p["admission_date"]]
        codes = _day_codes(rng, demo, own_days, last_day)
        recorded = {"recorded_by_name": school.attendance_lead_name or "Office",
                    "recorded_by_role": "School attendance officer", "amendment_count": 0}
        for day, (am, pm) in codes.items():
            for name, code, at in ((Session.AM, am, school.am_register_closes),
                                   (Session.PM, pm, school.pm_register_closes)):
                marks.append({"id": uuid.uuid4(), "pupil_id": p["id"], "school_urn": school.urn,
                              "session_date": day, "session": name.value, "code": code,
                              "minutes_late": rng.randrange(3, 19) if code == "L" else
                              (rng.randrange(25, 50) if code == "U" else None),
                              "recorded_at": datetime.combine(day, at, tzinfo=UTC), **recorded})
        tally = PupilTally.from_codes(c for pair in codes.values() for c in pair)
        figures = tally.figures()
        persistent, severe, at_risk = status_of(figures, settings)
        # The statutory thresholds already met count as reported, so only later crossings become events.
        history = [Mark(day, name, code) for day, pair in codes.items()
                   for name, code in zip((Session.AM, Session.PM), pair, strict=True)]
        on_date = last_day or today
        window = penalty_window(history, calendar, on_date, threshold=settings.penalty_threshold_sessions)
        tallies.append({"pupil_id": p["id"], "academic_year": academic_year, "school_urn": school.urn,
                        **{name: getattr(tally, name) for name in TALLY_FIELDS},
                        "persistent_absence": persistent, "severe_absence": severe, "at_risk": at_risk,
                        "penalty_threshold_met": window.met,
                        "continuous_unauthorised": attendance_return_due(history, calendar, on_date) is not None,
                        "illness_days_reached": illness_summary(history, calendar, date(academic_year, 9, 1),
                                                                on_date).threshold_met})
        if persistent or at_risk:
            professionals = {c["kind"] for c in demo.contacts}
            row = Pupil(**p)
            summary = events.pupil_summary(row, school, professionals, today)
            event_type = (RegisterEventType.BECAME_SEVERELY_ABSENT if severe
                          else RegisterEventType.BECAME_PERSISTENTLY_ABSENT if persistent
                          else RegisterEventType.ENTERED_AT_RISK)
            crossing_events.append(events.outbox_row(event_type, summary, session_date=last_day,
                                                     details=figures_details(figures, academic_year)))
            # A journey can consider a penalty notice only once it has heard the threshold is met.
            if window.met and persistent:
                crossing_events.append(events.outbox_row(
                    RegisterEventType.PENALTY_THRESHOLD_MET, summary, session_date=last_day,
                    details={"unauthorised_sessions": window.count, "threshold": window.threshold,
                             "window_weeks": [w.isoformat() for w in window.weeks]}))
    await repository.marks.insert_marks(db, marks)
    await db.execute(insert(PupilTallyRow), tallies)
    await repository.outbox.insert_outbox_events(db, crossing_events)
    logger.info("demo: %d schools, %d pupils, %d marks, %d crossing events", len(schools), len(pupils), len(marks),
                len(crossing_events))

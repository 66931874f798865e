"""The LA's compliance view: statutory deadlines met and missed, per school.

Three measures, each read from the service that holds the facts:
- returns made on time (this service's own returns: submitted by the due date, submitted late, overdue);
- N codes replaced within the limit (register: rules.md s3, "within 5 school days", a setting there);
- professionals told of an unexplained absence the same day (register says which N sessions needed a same-day
  alert and for whom; notifications says when each alert went out; rules.md s12).

Pure functions over what the services answered; a measure whose service did not answer is named in
`unavailable` rather than shown as zero.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from uuid import UUID
from zoneinfo import ZoneInfo

from shared.contracts.notifications import AlertTiming, TemplateName
from shared.contracts.register import NMarkRecord
from shared.contracts.reports import Compliance, NCodesResolved, ReturnsOnTime, SameDayAlerts
from shared.contracts.returns import ReturnKind, ReturnStatus, ReturnSummary

LONDON = ZoneInfo("Europe/London")

# Who must be told of an unexplained absence on the day, and the message that tells them.
SAME_DAY_TEMPLATES: dict[str, TemplateName] = {
    "social_worker": TemplateName.UNEXPLAINED_ABSENCE_SOCIAL_WORKER,
    "youth_justice_worker": TemplateName.UNEXPLAINED_ABSENCE_YOUTH_JUSTICE_WORKER,
    "virtual_school_head": TemplateName.UNEXPLAINED_ABSENCE_VIRTUAL_SCHOOL_HEAD,
}
_ROLE_OF_TEMPLATE = {template: role for role, template in SAME_DAY_TEMPLATES.items()}


def returns_on_time(returns: list[ReturnSummary], from_date: date, to_date: date) -> list[ReturnsOnTime]:
    """Per school and kind, for returns due in the period, and those submitted in the period before they fell due
    (a school that submits early is on time now, not only once the due date enters the period). A return submitted
    after its due date was late."""
    counts: dict[tuple[str, ReturnKind], ReturnsOnTime] = {}
    for r in returns:
        submitted_on = r.submitted_at.astimezone(LONDON).date() if r.submitted_at is not None else None
        due_in_period = from_date <= r.due_date <= to_date
        if not due_in_period and not (submitted_on is not None and from_date <= submitted_on <= to_date):
            continue
        row = counts.setdefault((r.school_urn, r.kind), ReturnsOnTime(school_urn=r.school_urn, kind=r.kind))
        if submitted_on is not None:
            if submitted_on <= r.due_date:
                row.submitted_on_time += 1
            else:
                row.submitted_late += 1
        elif r.status is ReturnStatus.LATE:
            row.overdue += 1
        else:
            row.not_yet_due += 1
    return [counts[k] for k in sorted(counts)]


def n_codes_resolved(n_marks: dict[str, list[NMarkRecord]]) -> list[NCodesResolved]:
    rows = []
    for urn in sorted(n_marks):
        row = NCodesResolved(school_urn=urn)
        for record in n_marks[urn]:
            # The outcome's values are this model's field names.
            field = record.outcome.value
            setattr(row, field, getattr(row, field) + 1)
        rows.append(row)
    return rows


def _first_sent(timings: list[AlertTiming]) -> datetime | None:
    sent = [t.sent_at for t in timings if t.sent_at is not None]
    return min(sent) if sent else None


def same_day_alerts(n_marks: dict[str, list[NMarkRecord]], timings: list[AlertTiming]) -> list[SameDayAlerts]:
    """Each recipient of each N session that needed a same-day alert counts once: told on the session's own
    (English) date, told later, or not told."""
    sent: dict[tuple[UUID, date, str | None, str], list[AlertTiming]] = defaultdict(list)
    for timing in timings:
        role = _ROLE_OF_TEMPLATE.get(timing.template)
        if role is not None:
            sent[(timing.pupil_id, timing.session_date, timing.session, role)].append(timing)
    counts: dict[tuple[str, str], SameDayAlerts] = {}
    for urn, records in n_marks.items():
        for record in records:
            if record.same_day_alert_raised_at is None:
                continue
            for role in record.same_day_recipients:
                row = counts.setdefault((urn, role), SameDayAlerts(school_urn=urn, recipient_role=role))
                first = _first_sent(sent[(record.pupil_id, record.session_date, record.session.value, role)])
                if first is None:
                    row.not_told += 1
                elif first.astimezone(LONDON).date() <= record.session_date:
                    row.told_same_day += 1
                else:
                    row.told_later += 1
    return [counts[k] for k in sorted(counts)]


def pupils_needing_same_day_alerts(n_marks: dict[str, list[NMarkRecord]]) -> list[UUID]:
    return sorted({r.pupil_id for records in n_marks.values() for r in records
                   if r.same_day_alert_raised_at is not None and r.same_day_recipients}, key=str)


def compliance(la_code: str, from_date: date, to_date: date, returns: list[ReturnSummary],
               n_marks: dict[str, list[NMarkRecord]] | None, timings: list[AlertTiming] | None,
               unavailable: list[str]) -> Compliance:
    """`n_marks` None: register did not answer; `timings` None: notifications did not answer (both named in
    `unavailable` by the caller)."""
    view = Compliance(la_code=la_code, from_date=from_date, to_date=to_date,
                      returns=returns_on_time(returns, from_date, to_date), unavailable=list(unavailable))
    if n_marks is not None:
        view.n_codes = n_codes_resolved(n_marks)
        if timings is not None:
            view.same_day_alerts = same_day_alerts(n_marks, timings)
    return view


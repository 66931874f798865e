"""The case page's card "Sickness expected to reach 15 days": the school's reasonable grounds to believe the pupil
will miss 15 school days through sickness (rules.md s8), which returns keeps for the sickness return. Casework
reads and records them as the signed-in officer, so returns applies its own scope and records who did it.

The grounds are health data: the card is shown only to those returns lets read them (the school's own staff and
the officers of its LA); the data protection lead reads them but records nothing; governors, social workers and
virtual school heads never see the card, and casework does not ask returns on their behalf.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from fastapi import Request
from pydantic import ValidationError

from services.casework.web import csrf
from shared.auth import LA_ROLES, SCHOOL_ROLES, SESSION_COOKIE, Identity, Role
from shared.clients.returns_expectations import SicknessExpectationsClient
from shared.contracts.returns import GROUNDS_MAX_LENGTH, SicknessExpectationIn, SicknessExpectationView
from shared.http import ServiceCallFailed

DATE_FIELDS = {"sickness_start": "first day of sickness", "expected_return": "expected return"}
FIELDS = (*DATE_FIELDS, "grounds")
# Where the error summary takes the officer: a date's first input, the textarea, else the form's heading.
ANCHORS = {"sickness_start": "#sickness_start-day", "expected_return": "#expected_return-day", "grounds": "#grounds"}
FORM_ANCHOR = "#record-sickness"
LIST_ANCHOR = "#sickness-expectations"


def may_read(identity: Identity, school_urn: str, la_code: str) -> bool:
    """Returns' rule for reading a school's expectations, applied before asking it."""
    if identity.role in SCHOOL_ROLES:
        return school_urn in identity.scope.school_urns
    if identity.role in LA_ROLES:
        return la_code == identity.scope.la_code
    return False


def may_record(identity: Identity, school_urn: str, la_code: str) -> bool:
    return may_read(identity, school_urn, la_code) and identity.role is not Role.DATA_PROTECTION_LEAD


def officer_token(request: Request) -> str:
    """The signed-in officer's own platform token (the session cookie), presented to returns as theirs."""
    return request.cookies.get(SESSION_COOKIE, "")


@dataclass
class SicknessForm:
    """What the officer typed, with the messages for each field and for the form as a whole."""

    values: dict[str, str] = field(default_factory=dict)
    field_errors: dict[str, str] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (message, anchor)

    def error(self, name: str) -> dict[str, str] | None:
        return {"text": self.field_errors[name]} if name in self.field_errors else None

    def summary(self) -> list[dict[str, str]]:
        """The GOV.UK error summary's list, in the order of the fields on the page."""
        return ([{"text": self.field_errors[name], "href": ANCHORS[name]} for name in FIELDS
                 if name in self.field_errors] + [{"text": text, "href": anchor} for text, anchor in self.problems])


@dataclass
class SicknessCard:
    can_record: bool
    # None when returns could not be asked just now.
    expectations: list[SicknessExpectationView] | None
    form: SicknessForm


class KeptExpectations:
    """Each school's current expectations as returns last listed them, for the case page's card, so that reading a
    case page does not ask returns (and returns ask register) every time. Kept `max_age_seconds` per school and
    forgotten when casework records or withdraws one, so an officer sees their own change at once; one recorded
    through returns' API directly shows within `max_age_seconds`. Served only to those `may_read` lets read the
    school's expectations, which is returns' own rule for listing them."""

    def __init__(self, max_age_seconds: float, *, schools: int = 2000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._max_age, self._schools, self._clock = max_age_seconds, schools, clock
        self._kept: OrderedDict[str, tuple[float, list[SicknessExpectationView]]] = OrderedDict()

    async def current(self, client: SicknessExpectationsClient, token: str,
                      school_urn: str) -> list[SicknessExpectationView]:
        kept = self._kept.get(school_urn)
        if kept is not None and self._clock() - kept[0] < self._max_age:
            return kept[1]
        listed = await client.current(token, school_urn)
        if self._max_age > 0:
            self._kept[school_urn] = (self._clock(), listed)
            self._kept.move_to_end(school_urn)
            while len(self._kept) > self._schools:
                self._kept.popitem(last=False)
        return listed

    def forget(self, school_urn: str) -> None:
        self._kept.pop(school_urn, None)


def kept_expectations(request: Request) -> KeptExpectations:
    kept: KeptExpectations = request.app.state.sickness_kept
    return kept


async def sickness_card(request: Request, client: SicknessExpectationsClient, identity: Identity, *,
                        pupil_id: UUID, school_urn: str, la_code: str,
                        form: SicknessForm | None = None) -> SicknessCard | None:
    """The card for this pupil, or None for those who may not see it."""
    if not may_read(identity, school_urn, la_code):
        return None
    expectations: list[SicknessExpectationView] | None
    try:
        # Returns lists the school's; the card shows this pupil's only.
        listed = await kept_expectations(request).current(client, officer_token(request), school_urn)
        expectations = [e for e in listed if e.pupil_id == pupil_id]
    except (ServiceCallFailed, ValidationError):
        expectations = None
    return SicknessCard(can_record=may_record(identity, school_urn, la_code), expectations=expectations,
                        form=form or SicknessForm())


def _posted_date(form: Mapping[str, str], name: str) -> tuple[date | None, str | None]:
    label = DATE_FIELDS[name]
    parts = {part: form.get(f"{name}-{part}", "").strip()[:10] for part in ("day", "month", "year")}
    if not any(parts.values()):
        return None, f"Enter the {label}"
    missing = [part for part, value in parts.items() if not value]
    if missing:
        return None, f"The {label} must include a {' and a '.join(missing)}"
    try:
        return date(int(parts["year"]), int(parts["month"]), int(parts["day"])), None
    except (ValueError, OverflowError):
        return None, f"The {label} must be a real date"


def _contract_message(name: str, error_type: str) -> str:
    if name in DATE_FIELDS:
        return f"The {DATE_FIELDS[name]} must be between 1 January 2000 and 31 December 2100"
    if name == "grounds" and error_type == "string_too_long":
        return f"The grounds must be {GROUNDS_MAX_LENGTH} characters or fewer"
    return "Enter the grounds for expecting 15 days of sickness"


def parse_form(posted: Mapping[str, str], pupil_id: UUID) -> tuple[SicknessExpectationIn | None, SicknessForm]:
    """The posted answers as the shared contract's request, checked as returns will check its shape; whether
    the return comes after the start and the pupil is on the register that day are returns' own rules."""
    form = SicknessForm(values={k: v for k, v in posted.items() if k != csrf.FIELD})
    data: dict[str, object] = {"pupil_id": pupil_id, "grounds": posted.get("grounds", "")}
    for name in DATE_FIELDS:
        data[name], message = _posted_date(posted, name)
        if message:
            form.field_errors[name] = message
    grounds = posted.get("grounds", "").strip()
    if not grounds or len(grounds) > GROUNDS_MAX_LENGTH:
        form.field_errors["grounds"] = _contract_message("grounds", "string_too_long" if grounds else "missing")
    if form.field_errors:
        return None, form
    try:
        return SicknessExpectationIn.model_validate(data), form
    except ValidationError as exc:
        for error in exc.errors():
            name = str(error["loc"][0]) if error["loc"] else "grounds"
            form.field_errors.setdefault(name if name in FIELDS else "grounds",
                                         _contract_message(name, str(error["type"])))
        return None, form


def refusal(exc: ServiceCallFailed, form: SicknessForm, *, anchor: str, undone: str) -> int:
    """Returns' answer shown on the form; the status code of the page that shows it. `undone` says what did not
    happen ("nothing was saved"): a failure to answer is the officer's to retry, never a server error page."""
    if exc.status is None or exc.status >= 500:
        reached = "could not be reached" if exc.status is None else "could not do this just now"
        form.problems.append((f"The returns service {reached}, so {undone}. Try again shortly.", anchor))
        return 200
    if exc.status == 401:
        form.problems.append((f"Your sign-in has expired, so {undone}. Sign in again.", anchor))
        return 401
    mapped = False
    if exc.status == 422:
        for error in exc.problem.get("errors", []):
            name = str(error.get("field", ""))
            # The pupil is checked against the register on the first day of sickness: the date to correct.
            name = "sickness_start" if name == "pupil_id" else name
            if name in FIELDS and anchor == FORM_ANCHOR:
                form.field_errors.setdefault(name, str(error.get("message") or exc.detail))
                mapped = True
    if not mapped:
        form.problems.append((exc.detail or f"The returns service refused this, so {undone}.", anchor))
    return exc.status

"""The journey's activities: calls to notifications and casework over HTTP with idempotency keys."""

from __future__ import annotations

from datetime import date

from temporalio import activity
from temporalio.exceptions import ApplicationError

from shared.clients.casework import CaseworkClient
from shared.clients.notifications import NotificationsClient
from shared.clients.register import RegisterClient
from shared.contracts.casework import CaseProjection
from shared.contracts.notifications import NotificationOutcome, NotificationRequest
from shared.contracts.register import SchoolDays
from shared.http import ServiceCallFailed
from workflows.journey.state import NOTIFY_ACTIVITY, RECORD_PROJECTION_ACTIVITY, SCHOOL_DAYS_ACTIVITY


def _translate(exc: ServiceCallFailed) -> Exception:
    """4xx: the request is wrong and repeating it will not help; anything else is retried with back-off."""
    if exc.is_rejection:
        return ApplicationError(f"{exc.service} refused: {exc.detail}", type=exc.problem_type, non_retryable=True)
    return exc


class JourneyActivities:
    """Holds the service clients the worker built (with its service token)."""

    def __init__(self, notifications: NotificationsClient, casework: CaseworkClient,
                 register: RegisterClient | None = None) -> None:
        self.notifications = notifications
        self.casework = casework
        self.register = register

    @activity.defn(name=NOTIFY_ACTIVITY)
    async def notify(self, request: NotificationRequest) -> NotificationOutcome:
        """Ask notifications to tell someone; a repeated idempotency key sends nothing twice."""
        try:
            return await self.notifications.send(request)
        except ServiceCallFailed as exc:
            raise _translate(exc) from exc

    @activity.defn(name=RECORD_PROJECTION_ACTIVITY)
    async def record_projection(self, projection: CaseProjection) -> CaseProjection:
        """Write the journey's state and new timeline entries to casework's case record (single writer)."""
        try:
            return await self.casework.record_projection(projection)
        except ServiceCallFailed as exc:
            raise _translate(exc) from exc

    @activity.defn(name=SCHOOL_DAYS_ACTIVITY)
    async def school_days(self, school_urn: str, from_date: date, to_date: date) -> SchoolDays:
        """The days the pupil's school meets, from register's calendar, for counting school weeks."""
        if self.register is None:
            raise ApplicationError("this worker has no register client", type="NoRegisterClient", non_retryable=True)
        try:
            return await self.register.school_days(school_urn, from_date, to_date)
        except ServiceCallFailed as exc:
            raise _translate(exc) from exc

"""Failures of the notifications service: the ones callers see (problem+json) and the channels' own."""

from __future__ import annotations

from shared.errors import Conflict, DependencyUnavailable, InvalidInput, NotFound


class UnknownTemplate(InvalidInput):
    def __init__(self, template: str) -> None:
        super().__init__(f"There is no template called {template!r}.", field="template")


class MissingContext(InvalidInput):
    def __init__(self, template: str, names: list[str]) -> None:
        super().__init__(f"Template {template} needs these context values: {', '.join(names)}.",
                         errors=[{"field": f"context.{n}", "message": "required by the template"} for n in names])


class IdempotencyKeyReused(Conflict):
    """The same key arrived with a different intent: a caller bug, never resolved by sending twice."""


class NotificationNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("There is no notification with this id.")


class ChannelUnavailable(DependencyUnavailable):
    """The channel could not take the message now; it stays queued and the same key may be retried."""


class DeliveryInProgress(DependencyUnavailable):
    """Another request is delivering this intent right now; retrying with the same key is safe."""


class RegisterUnavailable(DependencyUnavailable):
    pass


class DeliveryFailure(Exception):
    """A channel refused or could not take a message. Temporary failures leave it queued for a retry."""

    def __init__(self, reason: str, *, temporary: bool, invalid_recipient: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.temporary = temporary
        self.invalid_recipient = invalid_recipient

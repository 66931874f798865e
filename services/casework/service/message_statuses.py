"""Following notifications' message statuses: a case page shows each message's status (queued, sent, delivered,
failed), and notifications moves it on by itself (a letter posted, a provider's receipt). Casework reads the status
events that happened after where it last read, a page at a time, and marks stale the case views of the pupils
they are about, so a message delivered or failed shows within seconds instead of when the view reaches its age
limit. Reading by position rather than being told means nothing is lost while casework is down or restarting."""

from __future__ import annotations

from datetime import timedelta

from services.casework import repository
from services.casework.service.context import Casework
from shared import clock
from shared.contracts.notifications import StatusPosition

# Pages read in one look at most; the rest wait for the next look, so one look stays short.
PAGES_A_LOOK = 10


def first_position(cw: Casework) -> StatusPosition:
    """Where a casework that has not read yet starts: as far back as a kept view may be old, so a view built
    before a status moved is never served as fresh."""
    return StatusPosition(occurred_at=clock.now() - timedelta(seconds=cw.settings.case_view_max_age_seconds),
                          event_id=0)


async def follow_message_statuses(cw: Casework, position: StatusPosition) -> tuple[int, StatusPosition]:
    """Mark stale the views of the pupils whose messages' status moved after the position; how many views were
    marked, and the position to read from next time."""
    marked = 0
    for _ in range(PAGES_A_LOOK):
        changes = await cw.notifications.status_changes(position)
        if changes.pupil_ids:
            async with cw.uow.transaction() as db:
                marked += await repository.mark_case_views_stale(db, register_pupil_ids=changes.pupil_ids)
        if changes.through is not None:
            position = changes.through
        if not changes.more:
            break
    return marked, position

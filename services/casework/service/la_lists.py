"""An LA's persistently absent, severely absent and at-risk pupils, a page at a time, as register lists them for
the signed-in person (register applies its scope: the LA's officers see every pupil, its virtual school head only
looked-after pupils). Casework adds the audit entry: a page names pupils, so reading it is an access to their
records that the data protection lead can see."""

from __future__ import annotations

from services.casework import repository
from services.casework.service.context import Casework
from shared.auth import Identity
from shared.clients.register_lists import RegisterListsClient
from shared.contracts.register import FlaggedPupilsPage

# The lists an officer can choose, in the order the page offers them, with the page's words for each.
LIST_LABELS = {"persistent": "Persistently absent", "severe": "Severely absent", "at_risk": "At risk"}


async def flagged_pupils(cw: Casework, lists: RegisterListsClient, identity: Identity, token: str, la_code: str,
                         severity: str, after: str | None) -> FlaggedPupilsPage:
    """One page of the list; register's refusal (403, 422) or silence reaches the caller as ServiceCallFailed."""
    page = await lists.flagged_pupils(token, la_code, severity, after=after)
    if page.pupils:
        async with cw.uow.transaction() as db:
            await repository.add_audit(
                db, actor_subject=identity.subject, actor_name=identity.name, actor_role=identity.role.value,
                access="read", what="la_flagged_pupils", pupil_id=None, school_urn=None, la_code=la_code,
                details=f"{LIST_LABELS.get(severity, severity)}: {len(page.pupils)} pupils named")
    return page

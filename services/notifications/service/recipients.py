"""Who receives a message: the recipient rules of the notifications matrix (rules.md section 12).

Each rule turns the register's contacts into one planned delivery per person, or into a failure with a
reason that the service records and escalates, never a silent drop.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from services.notifications.service.catalogue import ROLE_LABELS
from shared.contracts.notifications import Channel, RecipientRole
from shared.contracts.register import Contact, PupilContacts
from shared.errors import InvalidInput
from shared.languages import ENGLISH, AccessibleFormat


@dataclass(frozen=True)
class Recipient:
    """One person to tell, or (address None) the reason they cannot be told."""

    key: str
    role: RecipientRole
    name: str | None
    relationship: str | None
    email: str | None
    phone: str | None
    postal_address: str | None
    failure_reason: str | None = None
    # A parent's preferred language and accessible format (professionals read English in standard print).
    language: str = ENGLISH
    accessible_format: AccessibleFormat = AccessibleFormat.STANDARD


def _from_contact(key: str, role: RecipientRole, contact: Contact) -> Recipient:
    parent = role is RecipientRole.PARENTS
    return Recipient(key=key, role=role, name=contact.name, relationship=contact.relationship,
                     email=str(contact.email) if contact.email else None, phone=contact.phone,
                     postal_address=contact.address,
                     language=contact.preferred_language if parent else ENGLISH,
                     accessible_format=contact.accessible_format if parent else AccessibleFormat.STANDARD)


def _missing(key: str, role: RecipientRole, reason: str) -> Recipient:
    return Recipient(key=key, role=role, name=None, relationship=None, email=None, phone=None,
                     postal_address=None, failure_reason=reason)


def _single(role: RecipientRole, contact: Contact | None) -> list[Recipient]:
    if contact is None:
        return [_missing(role.value, role, f"no {ROLE_LABELS[role]} recorded")]
    return [_from_contact(role.value, role, contact)]


def resolve_recipients(role: RecipientRole, contacts: PupilContacts, context: dict[str, Any],
                       ewo_team_addresses: dict[str, str]) -> list[Recipient]:
    """The people a message for `role` goes to, in the register's order."""
    if role is RecipientRole.PARENTS:
        # Each parent with parental responsibility is told separately and by name; others are not.
        parents = [p for p in contacts.parents if p.parental_responsibility]
        if not parents:
            return [_missing("parents", role, "no parent with parental responsibility recorded")]
        recipients = [_from_contact(f"parent:{i}", role, p) for i, p in enumerate(parents, start=1)]
        named = str(context.get("parent") or "").strip()
        return _the_named_parent(named, recipients) if named else recipients
    if role is RecipientRole.SOCIAL_WORKER:
        return _single(role, contacts.social_worker)
    if role is RecipientRole.YOUTH_JUSTICE_WORKER:
        return _single(role, contacts.youth_justice_worker)
    if role is RecipientRole.VIRTUAL_SCHOOL_HEAD:
        # The virtual school head monitors looked-after and previously looked-after children only.
        if not (contacts.flags.looked_after or contacts.flags.previously_looked_after):
            raise InvalidInput("The virtual school head is told only about looked-after or previously "
                               "looked-after children, and the register does not record this pupil as either.",
                               field="recipient_role")
        return _single(role, contacts.virtual_school_head)
    if role is RecipientRole.ATTENDANCE_LEAD:
        return _single(role, contacts.attendance_lead)
    if role is RecipientRole.LA_ATTENDANCE_CONTACT:
        return [_la_contact(context)]
    if role is RecipientRole.LA_CME_OFFICER:
        return [_la_contact(context, "cme_officer", role)]
    return [_ewo(contacts, context, ewo_team_addresses)]


def _la_contact(context: dict[str, Any], key: str = "la_contact",
                role: RecipientRole = RecipientRole.LA_ATTENDANCE_CONTACT) -> Recipient:
    """An LA officer the journey names in the context (`la_contact`: the named contact for attendance; `cme_officer`:
    the children missing education officer), as casework's setting for the LA names them."""
    named = context.get(key)
    if isinstance(named, dict) and named.get("email") and str(named.get("name") or "").strip():
        return Recipient(key=role.value, role=role, name=str(named["name"]), relationship=ROLE_LABELS[role],
                         email=str(named["email"]), phone=None, postal_address=None)
    return _missing(role.value, role, f"no {ROLE_LABELS[role]} recorded")


def _the_named_parent(named: str, parents: list[Recipient]) -> list[Recipient]:
    """A notice or contract is addressed to one parent (each parent is liable separately): that parent only,
    named as the register records them or as "parent-N" in the register's order."""
    wanted = named.casefold().replace(":", "-")
    for index, parent in enumerate(parents, start=1):
        if wanted in {f"parent-{index}", (parent.name or "").casefold()}:
            return [parent]
    return [_missing("parents", RecipientRole.PARENTS,
                     f"no parent with parental responsibility called {named!r} recorded")]


def _ewo(contacts: PupilContacts, context: dict[str, Any], team_addresses: dict[str, str]) -> Recipient:
    """The allocated EWO when casework names one, otherwise the LA's EWO team mailbox."""
    named = context.get("ewo")
    if isinstance(named, dict) and named.get("email"):
        return Recipient(key="ewo", role=RecipientRole.EWO, name=str(named.get("name") or "Education welfare "
                         "officer"), relationship="education welfare officer", email=str(named["email"]),
                         phone=None, postal_address=None)
    team = team_addresses.get(contacts.la_code)
    if team:
        return Recipient(key="ewo", role=RecipientRole.EWO, name="Education welfare service",
                         relationship="education welfare service", email=team, phone=None, postal_address=None)
    return _missing("ewo", RecipientRole.EWO, "no education welfare officer recorded")


def address_for(recipient: Recipient, channel: Channel) -> tuple[str | None, str | None]:
    """The address on the chosen channel, or why there is none."""
    label = ROLE_LABELS[recipient.role]
    if channel is Channel.EMAIL:
        return (recipient.email, None) if recipient.email else (None, f"no email address recorded for the {label}")
    if channel is Channel.SMS:
        return (recipient.phone, None) if recipient.phone else (None, f"no phone number recorded for the {label}")
    if recipient.postal_address:
        return recipient.postal_address, None
    return None, f"no postal address recorded for the {label}"

"""Who may call an operation, as a dependency the route carries: the person roles it answers (services acting for
them always may) and the scope each is held to. The OpenAPI document reads it (shared/openapi.py), so what the
documents say is what the code holds, not a list kept by hand beside it.

A rule with a `check` is enforced by this dependency, before anything else of the route runs: `check` is the
service's own role check (the same function, raising the same refusal), and `roles` are the roles it lets
through (tests/shared/test_openapi.py asks every check whether that is still so). A rule without one names the
roles the service's deeper check (one that needs the school or pupil first) lets through; tests call those
operations with the roles not listed."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from shared.auth import LA_ROLES, SCHOOL_ROLES, CurrentIdentity, Identity, Role

PERSON_ROLES = frozenset(r for r in Role if r not in {Role.SERVICE, Role.DFE_COLLECTOR})


@dataclass(frozen=True)
class Callers:
    roles: frozenset[Role]
    scope: str = ""
    check: Callable[[Identity], None] | None = field(default=None, compare=False)
    # Roles read from settings when the document is built (casework's step matrix): overrides `roles`.
    resolve: Callable[[], Iterable[Role]] | None = field(default=None, compare=False)
    # Whether a service's token may call it for them (an officer's step, say, is a person's only).
    services: bool = True

    def people(self) -> list[Role]:
        roles = set(self.resolve()) if self.resolve is not None else set(self.roles)
        return [role for role in Role if role in roles and role in PERSON_ROLES]

    def describe(self) -> str:
        people = self.people()
        if set(people) == PERSON_ROLES:
            who = f"any signed-in person, {self.scope}" if self.scope else "any signed-in person"
        else:
            who = ", ".join(role.label.lower().replace("(la)", "(LA)") for role in people) or "no person"
            who = f"{who} ({self.scope})" if self.scope else who
        return f"{who}; services acting for them" if self.services else f"{who}; no service"

    async def __call__(self, identity: CurrentIdentity) -> Identity:
        if self.check is not None and not identity.is_service:
            self.check(identity)
        return identity


def callers(roles: Iterable[Role], scope: str = "", *, check: Callable[[Identity], None] | None = None,
            resolve: Callable[[], Iterable[Role]] | None = None, services: bool = True) -> Callers:
    return Callers(frozenset(roles), scope, check, resolve, services)


F = TypeVar("F", bound=Callable[..., Any])


def checked_by(rule: Callers) -> Callable[[F], F]:
    """Mark a dependency that makes a check of its own (a school's register keepers, say) with the rule it applies."""
    def mark(function: F) -> F:
        function.callers = rule  # type: ignore[attr-defined]
        return function
    return mark


def rules_of(call: object) -> list[Callers]:
    """The rules a dependency carries: it is one, or a function marked with `callers`."""
    if isinstance(call, Callers):
        return [call]
    marked = getattr(call, "callers", None)
    return [marked] if isinstance(marked, Callers) else []


# Rules several services share, in the words of shared.auth's own checks (can_see_pupil, can_see_school_figures).
PUPIL_RECORD = callers(SCHOOL_ROLES | LA_ROLES | {Role.SOCIAL_WORKER, Role.VIRTUAL_SCHOOL_HEAD},
                       "the pupil's school for school staff, its LA for LA officers, allocated pupils for a social "
                       "worker, the LA's looked-after children for a virtual school head")
SCHOOL_FIGURES = callers(SCHOOL_ROLES | LA_ROLES | {Role.GOVERNOR, Role.VIRTUAL_SCHOOL_HEAD},
                         "their own school for school staff and governors, their LA for LA officers and the virtual "
                         "school head")
SCHOOL_STAFF = callers(SCHOOL_ROLES, "their own school")
SCHOOL_STAFF_OR_LA = callers(SCHOOL_ROLES | LA_ROLES, "their own school, or its LA for LA officers")
LA_OFFICERS = callers(LA_ROLES, "their own LA")

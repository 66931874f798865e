"""A development bearer token for the APIs, for curl or the /docs page's Authorize button.

    .venv/bin/python -m scripts.dev_token la_ewo --la 999
    .venv/bin/python -m scripts.dev_token school_attendance_officer --school 900002
    .venv/bin/python -m scripts.dev_token social_worker --pupil <pupil id> --email sw@example.org

Signed with this environment's development secret (ATT_AUTH_SECRET, the same the embedded system uses), so it
is refused where an identity provider is configured (production): there, tokens come from that provider.
"""

from __future__ import annotations

import argparse
import sys
from uuid import UUID

from shared.auth import Identity, Role, Scope, issue_token
from shared.settings import get_platform_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    people = [r.value for r in Role if r not in (Role.SERVICE,)]
    parser.add_argument("role", choices=people)
    parser.add_argument("--school", action="append", default=[], help="a school URN in scope (repeatable)")
    parser.add_argument("--la", help="the LA code in scope")
    parser.add_argument("--pupil", action="append", default=[], type=UUID, help="an allocated pupil id")
    parser.add_argument("--email", help="the person's work email (a social worker's allocations are found by it)")
    parser.add_argument("--name", default="Development User")
    args = parser.parse_args(argv)
    settings = get_platform_settings()
    if settings.oidc_issuer:
        print("An identity provider is configured (ATT_OIDC_ISSUER): take tokens from it.", file=sys.stderr)
        return 2
    identity = Identity(subject=f"dev-{args.role}", name=args.name, role=Role(args.role), email=args.email,
                        scope=Scope(school_urns=args.school, la_code=args.la, pupil_ids=args.pupil))
    print(issue_token(identity, settings))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""School duties the guidance lists (rules.md s10) on the running demo (`make run` in another terminal), read only:

    .venv/bin/python -m scripts.demo_duties

Harbour View's published attendance policy (which required items it covers, whether its review is overdue), its
senior attendance champion and the LA's point of contact for it, as the LA's officer reads them; then the termly
governor reports stored for each school, as its headteacher or governor reads them.
"""

from __future__ import annotations

import sys

from scripts.demo_http import get
from shared.auth import Identity, Role, Scope, issue_token
from shared.demo import DEMO_LA_CODE, DEMO_SCHOOLS
from shared.settings import PlatformSettings

HARBOUR = "900002"


def _bearer(settings: PlatformSettings, role: Role, name: str, scope: Scope) -> dict[str, str]:
    identity = Identity(subject=f"demo-{role.value}", name=name, role=role, scope=scope)
    return {"Authorization": f"Bearer {issue_token(identity, settings)}"}


def main() -> int:
    settings = PlatformSettings()
    ewo = _bearer(settings, Role.LA_EWO, "Daniel Price", Scope(la_code=DEMO_LA_CODE))
    duties = get(f"{settings.register_url}/api/v1/schools/{HARBOUR}/duties", headers=ewo).json()
    policy, champion, contact = duties["attendance_policy"], duties["attendance_champion"], duties["la_contact"]
    print(f"{duties['name']} ({HARBOUR}), as the LA's officer reads it (GET /api/v1/schools/{HARBOUR}/duties):")
    if policy:
        covered = [i for i in policy["items"] if i["covered"]]
        print(f"  attendance policy: {policy['url']}\n  review date: {policy['review_date']}"
              f"{' (OVERDUE)' if policy['review_overdue'] else ''}\n"
              f"  required items covered: {len(covered)} of {len(policy['items'])}")
        for item in policy["items"]:
            if not item["covered"]:
                print(f"    not yet covered: {item['label']}")
    else:
        print("  attendance policy: not recorded")
    print(f"  senior attendance champion: {champion['name'] + ', ' + champion['role'] if champion else 'none'}")
    print(f"  LA point of contact named for the school: {contact['name'] if contact else 'none (the LA-wide one)'}")
    print(f"\nThe school page: sign in at {settings.casework_url}/sign-in as Daniel Price and open "
          f"{settings.casework_url}/schools/{HARBOUR} (School duties); every case page shows the LA point of contact.")
    print("\nTermly governor reports (Temporal Schedule 'governor-reports-999', daily at 07:00 UK time, one per "
          "school and term of its own calendar):")
    for school in DEMO_SCHOOLS:
        reader = _bearer(settings, Role.GOVERNOR, "Governor", Scope(school_urns=[school.urn]))
        stored = get(f"{settings.returns_url}/api/v1/schools/{school.urn}/governor-reports", headers=reader).json()
        terms = ", ".join(f"{r['term_name']} {r['academic_year']}" for r in stored) or "none yet (no term has ended)"
        print(f"  {school.name}: {terms}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

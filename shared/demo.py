"""The synthetic demo world (one LA, three schools, their staff) shared by the register seeder and the
development login. Every name here is invented; the UPNs generated from it use a test LA number."""

from __future__ import annotations

import uuid

from pydantic import BaseModel

from shared.auth import Role

DEMO_NAMESPACE = uuid.UUID("6f1d7c3a-5b2e-4c1a-9d8e-0a1b2c3d4e5f")
DEMO_LA_CODE = "999"
DEMO_LA_NAME = "Northshire Council"


class DemoSchool(BaseModel):
    urn: str
    name: str
    phase: str
    estab: str  # 4-digit DfE establishment number
    year_groups: list[str]
    pupils: int


DEMO_SCHOOLS = [
    DemoSchool(urn="900001", name="Millbrook Primary School", phase="primary", estab="2001",
               year_groups=["R", "1", "2", "3", "4", "5", "6"], pupils=140),
    DemoSchool(urn="900002", name="Harbour View Academy", phase="secondary", estab="4001",
               year_groups=["7", "8", "9", "10", "11"], pupils=130),
    DemoSchool(urn="900003", name="Oakfield Special School", phase="special", estab="7001",
               year_groups=["3", "5", "7", "9", "11"], pupils=30),
]


class DemoUser(BaseModel):
    subject: str
    name: str
    role: Role
    email: str
    school_urns: list[str] = []
    la_code: str | None = None
    # Social workers' allocated pupils are looked up in the register at sign-in.


DEMO_USERS = [
    DemoUser(subject="demo-officer-millbrook", name="Priya Shah", role=Role.SCHOOL_ATTENDANCE_OFFICER,
             email="p.shah@millbrook.example.org", school_urns=["900001"]),
    DemoUser(subject="demo-officer-harbour", name="Tom Whitfield", role=Role.SCHOOL_ATTENDANCE_OFFICER,
             email="t.whitfield@harbourview.example.org", school_urns=["900002"]),
    DemoUser(subject="demo-champion-harbour", name="Grace Okafor", role=Role.SENIOR_ATTENDANCE_CHAMPION,
             email="g.okafor@harbourview.example.org", school_urns=["900002"]),
    DemoUser(subject="demo-head-oakfield", name="Martin Hughes", role=Role.HEADTEACHER,
             email="m.hughes@oakfield.example.org", school_urns=["900003"]),
    DemoUser(subject="demo-governor-millbrook", name="Ann Rees", role=Role.GOVERNOR,
             email="a.rees@governors.example.org", school_urns=["900001"]),
    DemoUser(subject="demo-ewo", name="Daniel Price", role=Role.LA_EWO, email="d.price@northshire.example.gov",
             la_code=DEMO_LA_CODE),
    DemoUser(subject="demo-social-worker", name="Helen Carter", role=Role.SOCIAL_WORKER,
             email="h.carter@northshire-childrens.example.gov", la_code=DEMO_LA_CODE),
    DemoUser(subject="demo-vsh", name="Samuel Adeyemi", role=Role.VIRTUAL_SCHOOL_HEAD,
             email="s.adeyemi@northshire.example.gov", la_code=DEMO_LA_CODE),
    DemoUser(subject="demo-dpo", name="Ruth Moss", role=Role.DATA_PROTECTION_LEAD,
             email="r.moss@northshire.example.gov", la_code=DEMO_LA_CODE),
]


def demo_id(kind: str, key: str) -> uuid.UUID:
    """Stable ids, so a re-seed and the development login agree."""
    return uuid.uuid5(DEMO_NAMESPACE, f"{kind}:{key}")

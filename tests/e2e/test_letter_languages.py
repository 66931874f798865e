"""Letters in the parent's language and format through the running system: a pupil is admitted whose parents
prefer Welsh (one by post in large print, one by email), Lithuanian (no translation yet) and braille, and who has a
social worker (so register raises the unexplained absence the same day); an N mark sends the first-day absence
message to each parent. The mail sink has the Welsh email (with the English copy) and the
English one offering a translation; the large print letter is a Welsh PDF at 16pt and more; the attendance lead is
asked to make the braille copy; notifications' log records each message's language and format, and the case file
shows each parent's needs."""

from __future__ import annotations

import random
import re
import subprocess
from datetime import timedelta
from typing import Any

import httpx
import pytest

from scripts.embedded import EmbeddedSystem
from scripts.smtp_sink import read_messages
from services.register.domain.upn import make_upn
from shared import clock
from shared.auth import SESSION_COOKIE, Role
from shared.demo import DEMO_LA_CODE
from shared.settings import PlatformSettings
from tests.support.identities import bearer, service_headers, token_for
from tests.support.waiting import wait_for

pytestmark = pytest.mark.e2e

SETTINGS = PlatformSettings(environment="test")
SCHOOL_URN = "900002"
OFFICER = bearer(token_for(SETTINGS, Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=[SCHOOL_URN], name="Officer"))
EWO = bearer(token_for(SETTINGS, Role.LA_EWO, la_code=DEMO_LA_CODE, name="Daniel Price"))
PAGE = {"Cookie": f"{SESSION_COOKIE}={token_for(SETTINGS, Role.LA_EWO, la_code=DEMO_LA_CODE)}"}
SOCIAL_WORKER = "h.carter@northshire-childrens.example.gov"
# A word's box in pdftotext is the font's ascent plus descent, 1.117 em for Liberation Sans (the letters' font).
WORD_BOX_PER_POINT = 1.117


def admit(system: EmbeddedSystem, surname: str) -> dict[str, Any]:
    address = "4 Heol y Bont\nNorthtown\nNT1 2AB"
    parents = [
        {"name": f"Eleri {surname}", "relationship": "Mother", "address": address, "parental_responsibility": True,
         "lives_with_pupil": True, "preferred_language": "cy", "accessible_format": "large_print"},
        {"name": f"Mari {surname}", "relationship": "Stepmother", "email": f"mari.{surname.lower()}@example.org",
         "parental_responsibility": True, "preferred_language": "cy"},
        {"name": f"Jonas {surname}", "relationship": "Father", "email": f"jonas.{surname.lower()}@example.org",
         "parental_responsibility": True, "preferred_language": "lt"},
        {"name": f"Sam {surname}", "relationship": "Carer", "email": f"sam.{surname.lower()}@example.org",
         "parental_responsibility": True, "accessible_format": "braille"},
    ]
    for serial in random.sample(range(100, 1000), 20):
        response = httpx.post(f"{system.config.url('register')}/api/v1/schools/{SCHOOL_URN}/pupils", headers=OFFICER,
                              json={"upn": make_upn(DEMO_LA_CODE, "4001", "26", serial), "legal_forename": "Lowri",
                                    "legal_surname": surname, "date_of_birth": "2013-06-01", "sex": "F",
                                    "year_group": "8", "address": address.replace("\n", ", "),
                                    "admission_date": (clock.today() - timedelta(days=70)).isoformat(),
                                    "parents": parents,
                                    # Register raises the same-day unexplained absence for a pupil with a
                                    # social worker; the journey then tells the parents on the first day.
                                    "social_worker": {"name": "Helen Carter", "email": SOCIAL_WORKER}},
                              timeout=30)
        if response.status_code == 201:
            body: dict[str, Any] = response.json()
            return body
        assert response.status_code == 409, response.text
    raise AssertionError("no free UPN")


def mark_latest_school_day_n(system: EmbeddedSystem, pupil_id: str) -> None:
    """Code N this morning, or on the latest school day before today (weekend or holiday runs)."""
    day = clock.today()
    for _ in range(60):
        response = httpx.post(f"{system.config.url('register')}/api/v1/schools/{SCHOOL_URN}/sessions/"
                              f"{day.isoformat()}/AM/marks", json={"marks": [{"pupil_id": pupil_id, "code": "N"}]},
                              headers=OFFICER, timeout=30)
        if response.status_code == 200:
            return
        assert response.status_code == 422, response.text
        day -= timedelta(days=1)
    raise AssertionError("no school day in the last 60 days")


def messages_to(system: EmbeddedSystem, address: str) -> list[dict[str, str]]:
    return [m for m in read_messages(system.maildir) if address in m["to"]]


def log_of(system: EmbeddedSystem, pupil_id: str) -> list[dict[str, Any]]:
    response = httpx.get(f"{system.config.url('notifications')}/internal/pupils/{pupil_id}/notifications",
                         headers=service_headers(SETTINGS, "casework", "notifications"), timeout=15)
    assert response.status_code == 200, response.text
    records: list[dict[str, Any]] = response.json()
    return records


def logged(system: EmbeddedSystem, pupil_id: str) -> list[dict[str, Any]]:
    """Notifications' log for the pupil, once the first-day messages and the braille task are all out."""
    records = log_of(system, pupil_id)
    first_day = [r for r in records if r["template"] == "first_day_absence_parent"]
    tasks = [r for r in records if r["template"] == "accessible_format_needed_attendance_lead"]
    done = len(first_day) == 4 and len(tasks) == 1 and all(r["status"] != "queued" for r in records)
    return records if done else []


def font_sizes(pdf: bytes) -> list[float]:
    boxes = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    return [(float(y_max) - float(y_min)) / WORD_BOX_PER_POINT for y_min, y_max in
            re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', boxes.decode())]


def test_letters_go_in_each_parents_language_and_format(system: EmbeddedSystem) -> None:
    surname = "Lingo" + "".join(random.choices("abcdefghjkmnprstuvwyz", k=5))
    pupil = admit(system, surname)
    pupil_id = str(pupil["id"])
    assert [(c["preferred_language"], c["accessible_format"]) for c in pupil["contacts"] if c["kind"] == "parent"] \
        == [("cy", "large_print"), ("cy", "standard"), ("lt", "standard"), ("en", "braille")]

    mark_latest_school_day_n(system, pupil_id)

    # The journey worker may still be taking in the demo's events when the test starts.
    try:
        records = wait_for(lambda: logged(system, pupil_id), timeout=240)
    except AssertionError as exc:
        case = httpx.get(f"{system.config.url('casework')}/api/v1/cases/{pupil_id}", headers=EWO, timeout=15)
        raise AssertionError(f"{exc}; notifications logged {log_of(system, pupil_id)}; case file "
                             f"{case.status_code} {case.text[:3000]}") from exc
    by_name = {r["recipient_name"]: r for r in records if r["template"] == "first_day_absence_parent"}
    # The log records the language and format each message went in, beside the parent's preference.
    assert {name.split()[0]: (r["channel"], r["status"], r["language"], r["preferred_language"],
                              r["accessible_format"], r["format_for_officer"])
            for name, r in by_name.items()} == {
        "Eleri": ("letter", "sent", "cy", "cy", "large_print", None),
        "Mari": ("email", "sent", "cy", "cy", "standard", None),
        "Jonas": ("email", "sent", "en", "lt", "standard", None),
        "Sam": ("email", "sent", "en", "en", "standard", "braille")}
    assert by_name[f"Mari {surname}"]["translation_reviewed"] is False

    # The Welsh email, with the review marker and the English copy after it.
    [welsh] = wait_for(lambda: messages_to(system, f"mari.{surname.lower()}@example.org"))
    assert welsh["subject"] == (f"Nid yw Lowri {surname} yn yr ysgol heddiw / Lowri {surname} is not in school "
                                "today")
    assert welsh["text"].startswith(f"Annwyl Mari {surname},")
    assert "translation reviewed: no" in welsh["text"]
    assert f"Dear Mari {surname}," in welsh["text"]
    # No Lithuanian letter yet: English, offering a translation.
    [english] = wait_for(lambda: messages_to(system, f"jonas.{surname.lower()}@example.org"))
    assert english["text"].startswith("We have recorded that you prefer letters in Lithuanian. This letter is not "
                                      "yet available in Lithuanian: please ask Harbour View Academy")
    # Braille is made by hand: the parent gets the standard message now and the attendance lead the task.
    [standard] = wait_for(lambda: messages_to(system, f"sam.{surname.lower()}@example.org"))
    assert standard["text"].startswith(f"Dear Sam {surname},")
    task = wait_for(lambda: [m for m in read_messages(system.maildir)
                             if m["subject"] == f'Action needed: "First-day absence contact" for Sam {surname} '
                                                'in braille'])
    assert len(task) == 1

    # The large print letter for the post: a Welsh PDF, every word 16pt or more.
    pdf = httpx.get(f"{system.config.url('notifications')}/internal/notifications/"
                    f"{by_name[f'Eleri {surname}']['notification_id']}/letter.pdf",
                    headers=service_headers(SETTINGS, "casework", "notifications"), timeout=30)
    assert pdf.status_code == 200
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True).stdout.decode()
    assert f"Annwyl Eleri {surname}" in text
    assert "4 Heol y Bont" in text
    assert "translation reviewed: no" in text
    assert min(font_sizes(pdf.content)) >= 15.9

    # The case file shows each parent's needs before a meeting, and flags the letter to make in braille.
    case = wait_for(lambda: (r := httpx.get(f"{system.config.url('casework')}/api/v1/cases/{pupil_id}", headers=EWO,
                                            timeout=15)).status_code == 200 and r.json(), timeout=60)
    assert [(p["language"], p["format"], p["format_produced"]) for p in case["parents"]] == [
        ("Welsh", "Large print", True), ("Welsh", "Standard print", True), ("Lithuanian", "Standard print", True),
        ("English", "Braille", False)]
    page = httpx.get(f"{system.config.url('casework')}/cases/{pupil_id}", headers=PAGE, timeout=15)
    assert page.status_code == 200
    assert "Parents’ language and format needs" in page.text
    assert "Language: Welsh (cy)" in page.text
    assert "Braille copy to make by hand" in page.text

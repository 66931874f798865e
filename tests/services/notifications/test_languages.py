"""Letters in the parent's preferred language and accessible format: translated where a translation exists (with
the English copy and its review marker), English with a line offering a translation where none does, large print
letters at 16pt and more, and format needs the service cannot produce handed to the attendance lead. The record
says what each message went in."""

from __future__ import annotations

import json
import re
import subprocess
from typing import Any

import pytest

from services.notifications.service.catalogue import TEMPLATES
from services.notifications.service.rendering import TEMPLATES_DIR, TemplateRenderer
from shared.contracts.notifications import Channel, TemplateName
from shared.contracts.register import Contact, PupilContacts
from shared.languages import AccessibleFormat

from .conftest import NotificationsHarness, bodies, make_pupil, n_request
from .test_templates import variables_for

RENDERER = TemplateRenderer()
TRANSLATED = [(template, language) for template in (TemplateName.FIRST_DAY_ABSENCE_PARENT,
                                                    TemplateName.TRAFFIC_LIGHT_LETTER_PARENT,
                                                    TemplateName.NOTICE_TO_IMPROVE_PARENT)
              for language in ("cy", "pl")]
FIRST_DAY = {"session_date": "2026-11-25", "session": "AM"}


# A word's box in pdftotext is the font's ascent plus descent: 1.117 em for Liberation Sans (the letters' font);
# the fallbacks' boxes are taller, so dividing by it never overstates a size.
WORD_BOX_PER_POINT = 1.117


def font_sizes(pdf: bytes) -> list[float]:
    """About the font size in points of every word in a PDF, from poppler's pdftotext word boxes."""
    boxes = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    return [(float(y_max) - float(y_min)) / WORD_BOX_PER_POINT for y_min, y_max in
            re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', boxes.decode())]


def pdf_text(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def parent(name: str, *, language: str = "en", accessible_format: AccessibleFormat = AccessibleFormat.STANDARD,
           email: str | None = None, address: str | None = None) -> Contact:
    return Contact(name=name, relationship="parent", email=email, address=address, parental_responsibility=True,
                   preferred_language=language, accessible_format=accessible_format)


def pupil_with(*parents: Contact) -> PupilContacts:
    return make_pupil(parents=list(parents))


@pytest.mark.unit
@pytest.mark.parametrize(("template", "language"), TRANSLATED)
def test_each_translation_is_marked_unreviewed_and_sent_with_the_english_copy(template: TemplateName,
                                                                              language: str) -> None:
    marker = json.loads((TEMPLATES_DIR / template.value / language / "translation.json").read_text())
    assert marker["reviewed"] is False
    spec = TEMPLATES[template]
    variables = variables_for(template)
    for channel in spec.channels:
        layout = "letter" if channel is Channel.LETTER else "email"
        english = RENDERER.render(template.value, variables, layout=layout)
        message = RENDERER.render(template.value, variables, layout=layout, preferred_language=language)
        assert message.language == language
        assert message.translation_reviewed is False
        assert message.version != english.version
        assert message.subject.endswith(f" / {english.subject}")
        assert "{{" not in message.text + message.html
        assert "translation reviewed: no" in message.text
        assert message.text.rstrip().endswith(english.text.rstrip())
        assert f'<html lang="{language}">' in message.html
        assert '<div lang="en">' in message.html
        assert f"Dear {variables['recipient']['name']}," in message.html
        if channel is Channel.SMS:
            assert english.sms is not None
            assert message.sms is not None
            assert message.sms.endswith(english.sms)


@pytest.mark.unit
def test_dates_and_amounts_are_in_the_letters_language() -> None:
    variables = variables_for(TemplateName.TRAFFIC_LIGHT_LETTER_PARENT)
    welsh = RENDERER.render("traffic_light_letter_parent", variables, preferred_language="cy").text
    polish = RENDERER.render("traffic_light_letter_parent", variables, preferred_language="pl").text
    assert "Rhwng 3 Medi 2026 a 23 Hydref 2026" in welsh
    assert "4.5 diwrnod o ddysgu" in welsh
    assert "od 3 września 2026 do 23 października 2026" in polish
    assert "91,2%" in polish
    assert "4,5 dnia nauki" in polish


@pytest.mark.unit
def test_without_a_translation_the_letter_is_english_and_offers_one() -> None:
    variables = variables_for(TemplateName.PENALTY_NOTICE_PARENT)
    message = RENDERER.render("penalty_notice_parent", variables, layout="letter", preferred_language="cy")
    assert message.language == "en"
    assert message.translation_reviewed is None
    assert message.text.startswith("We have recorded that you prefer letters in Welsh. This letter is not yet "
                                   "available in Welsh: please ask Harbour View Academy if you would like it "
                                   "translated.")
    assert "please ask Harbour View Academy if you would like it translated" in message.html
    assert message.version == RENDERER.version("penalty_notice_parent")
    plain = RENDERER.render("penalty_notice_parent", variables, layout="letter", preferred_language="en")
    assert "translated" not in plain.text


async def test_each_parent_gets_their_language_and_the_record_says_so(harness: NotificationsHarness) -> None:
    pupil = harness.register.add(pupil_with(
        parent("Eleri Jones", language="cy", email="eleri.jones@example.org"),
        parent("Jonas Petrauskas", language="lt", email="jonas.p@example.org"),
        parent("Pat Jones", email="pat.jones@example.org")))

    response = await harness.send(n_request(pupil, "first_day_absence_parent", "parents", **FIRST_DAY))

    assert response.status_code == 200, response.text
    records = {r["recipient_name"]: r for r in response.json()["notifications"]}
    assert {n: (r["language"], r["preferred_language"], r["accessible_format"], r["translation_reviewed"])
            for n, r in records.items()} == {"Eleri Jones": ("cy", "cy", "standard", False),
                                             "Jonas Petrauskas": ("en", "lt", "standard", None),
                                             "Pat Jones": ("en", "en", "standard", None)}
    assert records["Eleri Jones"]["template_version"] != records["Pat Jones"]["template_version"]
    sent = {str(m["To"]): m for m in harness.sink.messages}
    welsh = sent["Eleri Jones <eleri.jones@example.org>"]
    assert welsh["Subject"] == "Nid yw Ava Thompson yn yr ysgol heddiw / Ava Thompson is not in school today"
    text, html = bodies(welsh)
    assert text.startswith("Annwyl Eleri Jones,")
    assert "Doedd Ava Thompson ddim yn yr ysgol y bore hwn (25 Tachwedd 2026)" in text
    assert "translation reviewed: no" in text
    assert "Dear Eleri Jones," in text
    assert '<html lang="cy">' in html
    text, _ = bodies(sent["Jonas Petrauskas <jonas.p@example.org>"])
    assert text.startswith("We have recorded that you prefer letters in Lithuanian.")
    text, _ = bodies(sent["Pat Jones <pat.jones@example.org>"])
    assert text.startswith("Dear Pat Jones,")
    # The case page's list carries the same.
    listed = (await harness.client.get(f"/internal/pupils/{pupil.pupil_id}/notifications",
                                       headers=harness.as_("casework"))).json()
    assert {r["recipient_name"]: r["language"] for r in listed} == {"Eleri Jones": "cy", "Jonas Petrauskas": "en",
                                                                   "Pat Jones": "en"}


async def test_a_large_print_letter_is_16pt_or_more(harness: NotificationsHarness) -> None:
    pupil = harness.register.add(pupil_with(
        parent("Eleri Jones", language="cy", accessible_format=AccessibleFormat.LARGE_PRINT,
               address="4 Heol y Bont\nNorthtown\nNT1 2AB"),
        parent("Pat Jones", address="4 Heol y Bont\nNorthtown\nNT1 2AB")))
    context: dict[str, Any] = TEMPLATES[TemplateName.TRAFFIC_LIGHT_LETTER_PARENT].example_context

    response = await harness.send(n_request(pupil, "traffic_light_letter_parent", "parents", **context))

    records = {r["recipient_name"]: r for r in response.json()["notifications"]}
    large, standard = records["Eleri Jones"], records["Pat Jones"]
    assert (large["channel"], large["accessible_format"], large["language"]) == ("letter", "large_print", "cy")
    assert (standard["channel"], standard["accessible_format"]) == ("letter", "standard")
    pdfs = {}
    for name, record in records.items():
        got = await harness.client.get(f"/internal/notifications/{record['notification_id']}/letter.pdf",
                                       headers=harness.as_("casework"))
        assert got.status_code == 200
        pdfs[name] = got.content
    # Every word of the large print letter, the page numbers too, is 16pt or more; the standard letter's are not.
    assert min(font_sizes(pdfs["Eleri Jones"])) >= 15.9
    assert min(font_sizes(pdfs["Pat Jones"])) < 12
    text = pdf_text(pdfs["Eleri Jones"])
    assert "Annwyl Eleri Jones" in text
    assert "Presenoldeb yr hanner tymor hwn" in text
    assert "translation reviewed: no" in text
    assert "Dear Eleri Jones" in text


@pytest.mark.parametrize("need", [AccessibleFormat.BRAILLE, AccessibleFormat.AUDIO, AccessibleFormat.EASY_READ])
async def test_a_format_the_service_cannot_produce_goes_to_an_officer(harness: NotificationsHarness,
                                                                      need: AccessibleFormat) -> None:
    pupil = harness.register.add(pupil_with(parent("Sam Reed", accessible_format=need,
                                                   address="9 Dock Road\nNorthtown\nNT3 1CD")))
    context = TEMPLATES[TemplateName.NOTICE_TO_IMPROVE_PARENT].example_context

    body = n_request(pupil, "notice_to_improve_parent", "parents", **context)
    response = await harness.send(body)

    assert response.status_code == 200, response.text
    letter, task = response.json()["notifications"]
    # The notice itself still goes, in standard print: nothing statutory waits for the officer.
    assert (letter["recipient_name"], letter["channel"], letter["status"]) == ("Sam Reed", "letter", "sent")
    assert (letter["accessible_format"], letter["format_for_officer"]) == ("standard", need.value)
    assert task["template"] == "accessible_format_needed_attendance_lead"
    assert task["escalates_notification_id"] == letter["notification_id"]
    assert (task["recipient_name"], task["status"]) == ("Grace Okafor", "sent")
    assert (task["language"], task["accessible_format"], task["format_for_officer"]) == ("en", "standard", None)
    [message] = harness.sink.messages
    label = {"braille": "braille", "audio": "audio", "easy_read": "easy read"}[need.value]
    assert message["Subject"] == f'Action needed: "Notice to improve" for Sam Reed in {label}'
    text, _ = bodies(message)
    assert f"Please produce this letter in {label}" in text
    # A repeat of the request sends neither again.
    again = await harness.send(body)
    assert again.json()["repeated"] is True
    assert len(harness.sink.messages) == 1

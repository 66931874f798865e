"""Every template renders with realistic data, in every version its channels need, and is versioned."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from services.notifications.exceptions import MissingContext
from services.notifications.service.catalogue import TEMPLATES
from services.notifications.service.delivery import template_variables
from services.notifications.service.recipients import resolve_recipients
from services.notifications.service.rendering import LAYOUTS, TEMPLATES_DIR, TemplateRenderer, days_lost, weeks_lost
from shared.contracts.notifications import Channel, RecipientRole, TemplateName
from shared.errors import InvalidInput

from .conftest import make_pupil

pytestmark = pytest.mark.unit
RENDERER = TemplateRenderer()


def variables_for(template: TemplateName, **overrides: Any) -> dict[str, Any]:
    spec = TEMPLATES[template]
    contacts = make_pupil(looked_after=True, youth_justice_worker=True)
    role = spec.recipient_role
    context = {**spec.example_context, **({"ewo": {"name": "Daniel Price", "email": "d.price@northshire.example.gov"}}
                                          if role is RecipientRole.EWO else {})}
    recipient = resolve_recipients(role, contacts, context, {})[0]
    return template_variables(contacts, recipient, {**context, **overrides})


def test_every_template_name_has_a_spec_and_a_folder_and_nothing_is_orphaned() -> None:
    folders = {p.name for p in TEMPLATES_DIR.iterdir() if p.is_dir() and p.name != LAYOUTS}
    assert folders == {t.value for t in TemplateName}
    assert set(TEMPLATES) == set(TemplateName)
    for name in TemplateName:
        for file_name in ("subject.txt", "body.txt", "body.html"):
            assert (TEMPLATES_DIR / name.value / file_name).is_file(), (name, file_name)
        if Channel.SMS in TEMPLATES[name].channels:
            assert RENDERER.has_sms(name.value), name


@pytest.mark.parametrize("template", list(TemplateName))
def test_every_template_renders_with_realistic_data(template: TemplateName) -> None:
    spec = TEMPLATES[template]
    assert set(RENDERER.required_context(template.value)) <= set(spec.example_context)
    variables = variables_for(template)
    recipient = variables["recipient"]["name"]

    for channel in spec.channels:
        layout = "letter" if channel is Channel.LETTER else "email"
        message = RENDERER.render(template.value, variables, layout=layout)
        assert message.subject
        assert "\n" not in message.subject
        assert "{{" not in message.text + message.html
        for body in (message.text, message.html):
            assert f"Dear {recipient}," in body
            assert "Dear parent" not in body
            assert "Ava Thompson" in body
            assert "Harbour View Academy" in body
        if channel is Channel.SMS:
            assert message.sms
            assert "Ava Thompson" in message.sms
            assert len(message.sms) <= 306
        if channel is Channel.LETTER:
            assert "@page" in message.html
            assert "12 Quay Street" in message.html


def test_parents_are_each_addressed_by_name() -> None:
    contacts = make_pupil()
    parents = resolve_recipients(RecipientRole.PARENTS, contacts, {}, {})
    assert [p.name for p in parents] == ["Jane Thompson", "Mark Thompson"]  # not the grandmother
    spec = TEMPLATES[TemplateName.FIRST_DAY_ABSENCE_PARENT]
    texts = [RENDERER.render(spec_name, template_variables(contacts, p, spec.example_context)).text
             for p, spec_name in zip(parents, ["first_day_absence_parent"] * 2, strict=True)]
    assert texts[0].startswith("Dear Jane Thompson,")
    assert texts[1].startswith("Dear Mark Thompson,")


def test_html_escapes_what_it_is_given_and_text_does_not() -> None:
    variables = variables_for(TemplateName.ESCALATION_EWO, reason="attendance <20% & falling")
    message = RENDERER.render("escalation_ewo", variables)
    assert "attendance &lt;20% &amp; falling" in message.html
    assert "attendance <20% & falling" in message.text


def test_the_traffic_light_letter_counts_days_and_weeks_lost() -> None:
    message = RENDERER.render("traffic_light_letter_parent", variables_for(TemplateName.TRAFFIC_LIGHT_LETTER_PARENT))
    assert "9 sessions. That is 4.5 days of learning, or 0.9 weeks of school." in message.text
    assert (days_lost(2), days_lost(7), weeks_lost(10), weeks_lost(25)) == ("1 day", "3.5 days", "1 week",
                                                                            "2.5 weeks")


def test_missing_context_names_each_missing_value() -> None:
    variables = variables_for(TemplateName.UNEXPLAINED_ABSENCE_SOCIAL_WORKER)
    del variables["session_date"], variables["code"]
    with pytest.raises(MissingContext) as caught:
        RENDERER.render("unexplained_absence_social_worker", variables)
    assert [e["field"] for e in caught.value.errors] == ["context.code", "context.session_date"]


def test_versions_are_per_template_stable_and_change_with_the_wording(tmp_path: Path) -> None:
    versions = {t.value: RENDERER.version(t.value) for t in TemplateName}
    assert len(set(versions.values())) == len(versions)
    assert TemplateRenderer().version("escalation_ewo") == versions["escalation_ewo"]

    copy = tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR, copy)
    body = copy / "escalation_ewo" / "body.txt"
    body.write_text(body.read_text() + "\nA new closing line.\n")
    edited = TemplateRenderer(copy)
    assert edited.version("escalation_ewo") != versions["escalation_ewo"]
    assert edited.version("deadline_lapsed_attendance_lead") == versions["deadline_lapsed_attendance_lead"]


def test_a_language_variant_is_its_own_versioned_template(tmp_path: Path) -> None:
    copy = tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR, copy)
    variant = copy / "first_day_absence_parent" / "gd"
    variant.mkdir()
    (variant / "subject.txt").write_text("Chan eil {{ pupil.name }} san sgoil an-diugh\n")
    (variant / "body.txt").write_text("A {{ recipient.name }},\n\n{{ session_date|long_date }}\n")
    (variant / "body.html").write_text("{% extends layout %}{% block content %}<p>A {{ recipient.name }},</p>"
                                       "{% endblock %}\n")
    renderer = TemplateRenderer(copy)
    variables = variables_for(TemplateName.FIRST_DAY_ABSENCE_PARENT)

    gaelic = renderer.render("first_day_absence_parent", variables, language="gd")
    english = renderer.render("first_day_absence_parent", variables)

    # The translation first, then the English copy, marked unreviewed: the variant has no translation.json.
    assert gaelic.subject == "Chan eil Ava Thompson san sgoil an-diugh / Ava Thompson is not in school today"
    assert gaelic.text.startswith("A Jane Thompson,")
    assert "translation reviewed: no" in gaelic.text
    assert gaelic.text.rstrip().endswith(english.text.rstrip())
    assert gaelic.language == "gd"
    assert gaelic.translation_reviewed is False
    assert gaelic.sms is None  # the variant has no SMS version, so none is sent in it
    assert english.text.startswith("Dear Jane Thompson,")
    assert gaelic.version != english.version
    assert not renderer.known("first_day_absence_parent/gd")
    with pytest.raises(InvalidInput) as caught:
        renderer.render("first_day_absence_parent", variables, language="fr")
    assert caught.value.errors[0]["field"] == "language"


HEADTEACHER = {"name": "Joanna Hale", "role": "headteacher", "on_behalf_of": "school", "title": "Headteacher"}
LA_OFFICER = {"name": "Daniel Price", "role": "la_ewo", "on_behalf_of": "local_authority",
              "organisation": "Northshire County Council"}


@pytest.mark.parametrize("template", [TemplateName.PENALTY_NOTICE_PARENT, TemplateName.NOTICE_TO_IMPROVE_PARENT])
def test_notices_are_signed_by_the_body_that_issues_them(template: TemplateName) -> None:
    by_head = RENDERER.render(template.value, variables_for(template, signatory=HEADTEACHER))
    by_la = RENDERER.render(template.value, variables_for(template, signatory=LA_OFFICER))

    assert by_head.text.rstrip().endswith("Joanna Hale\nHeadteacher, Harbour View Academy")
    assert "Joanna Hale<br>Headteacher, Harbour View Academy" in by_head.html
    assert by_la.text.rstrip().endswith("Daniel Price\nFor and on behalf of Northshire County Council")
    assert "Daniel Price<br>For and on behalf of Northshire County Council" in by_la.html
    for message in (by_head, by_la):
        assert "attendance team" not in message.text
    if template is TemplateName.PENALTY_NOTICE_PARENT:
        assert "by the headteacher of Harbour View Academy under section 444A" in by_head.text
        assert "by Northshire County Council under section 444A" in by_la.text


@pytest.mark.parametrize("template", [TemplateName.PENALTY_NOTICE_PARENT, TemplateName.NOTICE_TO_IMPROVE_PARENT])
def test_a_notice_declares_its_signatory_as_required_context(template: TemplateName) -> None:
    assert "signatory" in RENDERER.required_context(template.value)
    variables = variables_for(template)
    del variables["signatory"]
    with pytest.raises(MissingContext) as caught:
        RENDERER.render(template.value, variables)
    assert [e["field"] for e in caught.value.errors] == ["context.signatory"]

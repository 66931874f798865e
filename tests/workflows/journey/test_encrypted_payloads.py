"""With ATT_TEMPORAL_PAYLOAD_KEYS set, the Temporal server stores and sees only ciphertext of a journey's inputs,
signals, updates and activity calls, while the clients and the worker read them as before; histories written
before encryption was turned on still replay."""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from google.protobuf.message import Message
from temporalio.api.common.v1 import Payload
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowHistory
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Replayer

from shared.contracts.journey import ActionName, JourneyView, Stage
from shared.contracts.register import RegisterEventType
from shared.settings import PlatformSettings
from shared.temporal import data_converter
from shared.temporal_codec import ENCRYPTED_ENCODING, KEY_ID_KEY, codec_for
from tests.workflows.journey.histories import HISTORIES
from tests.workflows.journey.support import (
    FIGURES,
    FakeServices,
    Journey,
    eventually,
    fact,
    new_queue,
    refusal_of,
    running_worker,
    today,
)
from workflows.journey.workflow import PupilJourney

pytestmark = pytest.mark.workflows

SETTINGS = PlatformSettings(environment="test", temporal_payload_key_id="test-2026",
                            temporal_payload_keys={"test-2026": base64.b64encode(os.urandom(32)).decode()})
# The SDK writes its own patch markers (and the search attribute listing the patches) in plain JSON; they hold
# patch ids only, never a payload of ours.
SDK_OWN_EVENTS = {EventType.EVENT_TYPE_MARKER_RECORDED, EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES}


def payloads_in(message: Message) -> Iterator[Payload]:
    """Every Payload anywhere inside a history event (inputs, results, headers, failure details...)."""
    if isinstance(message, Payload):
        yield message
        return
    for field, value in message.ListFields():
        if field.type != field.TYPE_MESSAGE:
            continue
        if field.message_type is not None and field.message_type.GetOptions().map_entry:
            values = list(value.values())
        elif isinstance(value, Message):
            values = [value]
        else:
            values = list(value)
        for item in values:
            if isinstance(item, Message):
                yield from payloads_in(item)


def encrypted_client(env: WorkflowEnvironment) -> Client:
    config = env.client.config()
    config["data_converter"] = data_converter(SETTINGS)
    return Client(**config)


async def test_the_server_holds_only_ciphertext_of_a_journey(journey_env: WorkflowEnvironment) -> None:
    client, fakes, queue = encrypted_client(journey_env), FakeServices(), new_queue()
    journey = Journey(client, queue)
    async with running_worker(client, queue, fakes):
        await journey.signal(fact(RegisterEventType.ENTERED_AT_RISK, details=FIGURES))
        await eventually(lambda: bool(fakes.projections))
        # The query, the update's result and the refusal's message all come back decrypted.
        view = await journey.view()
        assert (view.pupil_id, view.stage) == (journey.pupil_id, Stage.AT_RISK)
        refusal = await refusal_of(journey, ActionName.INVITE_TO_MEETING, meeting_date="2020-01-01",
                                   meeting_time="15:30", meeting_place="school office")
        assert refusal.startswith("details.meeting_date")
        invited = await journey.act(ActionName.INVITE_TO_MEETING, meeting_place="the school office",
                                    meeting_date=(await today(journey_env)).isoformat(), meeting_time="15:30")
        assert invited.pupil_id == journey.pupil_id
        # A client without the key cannot read what the worker answers.
        with pytest.raises(KeyError, match="binary/encrypted"):
            await journey_env.client.get_workflow_handle(journey.workflow_id).query("view", result_type=JourneyView)

    history = await journey_env.client.get_workflow_handle(journey.workflow_id).fetch_history()
    pupil_id = str(journey.pupil_id).encode()
    ours = [p for e in history.events if e.event_type not in SDK_OWN_EVENTS for p in payloads_in(e)]
    kinds = {e.event_type for e in history.events if any(True for _ in payloads_in(e))}
    assert {EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED,
            EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED,
            EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED} <= kinds
    assert ours
    for payload in ours:
        assert payload.metadata["encoding"] == ENCRYPTED_ENCODING
        assert payload.metadata[KEY_ID_KEY] == b"test-2026"
    assert pupil_id not in history.to_json().encode()
    assert all(pupil_id not in p.SerializeToString() for e in history.events for p in payloads_in(e))
    # The check above can fail: decrypted, the journey's input does carry the pupil id.
    codec = codec_for(SETTINGS)
    assert codec is not None
    started = history.events[0].workflow_execution_started_event_attributes.input.payloads
    assert pupil_id in b"".join(p.data for p in await codec.decode(started))
    # And the worker's own replay of this encrypted history is deterministic.
    replayer = Replayer(workflows=[PupilJourney], data_converter=data_converter(SETTINGS))
    assert (await replayer.replay_workflow(history, raise_on_replay_failure=False)).replay_failure is None


@pytest.mark.parametrize("path", sorted(HISTORIES.glob("*.json")), ids=lambda p: p.stem)
async def test_histories_written_before_encryption_still_replay(path: Path) -> None:
    history = WorkflowHistory.from_json(path.stem, json.loads(path.read_text()))
    replayer = Replayer(workflows=[PupilJourney], data_converter=data_converter(SETTINGS))
    assert (await replayer.replay_workflow(history, raise_on_replay_failure=False)).replay_failure is None

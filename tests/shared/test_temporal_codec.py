"""Encryption of Temporal payloads: AES-256-GCM with named keys, rotation, pass-through of old plaintext payloads,
the settings that turn it on, and the optional codec server for the Temporal UI."""

from __future__ import annotations

import base64
import json
import os
import uuid

import httpx
import pytest
from fastapi import FastAPI
from google.protobuf import json_format
from pydantic import ValidationError
from temporalio.api.common.v1 import Payload, Payloads
from temporalio.api.failure.v1 import Failure
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.exceptions import ApplicationError

from shared.contracts.journey import JourneyInput
from shared.errors import install_error_handlers
from shared.settings import PlatformSettings
from shared.temporal import data_converter
from shared.temporal_codec import (
    ENCRYPTED_ENCODING,
    KEY_ID_KEY,
    EncryptionCodec,
    PayloadDecryptionError,
    codec_for,
)
from shared.temporal_codec_server import codec_router

pytestmark = pytest.mark.unit

PUPIL = uuid.uuid4()
OLD_KEY, NEW_KEY = os.urandom(32), os.urandom(32)


def b64(key: bytes) -> str:
    return base64.b64encode(key).decode()


def keys_shown_in(text: str) -> list[str]:
    """Which of the test keys appear in a message, in base64 or hex."""
    return [shown for key in (OLD_KEY, NEW_KEY) for shown in (b64(key), key.hex()) if shown in text]


def plain(text: str = f'{{"pupil_id": "{PUPIL}"}}') -> Payload:
    return Payload(metadata={"encoding": b"json/plain"}, data=text.encode())


def settings(**overrides: object) -> PlatformSettings:
    return PlatformSettings.model_validate({"environment": "test", **overrides})


async def test_round_trip_hides_the_payload_and_names_the_key() -> None:
    codec = EncryptionCodec({"2026-01": OLD_KEY}, "2026-01")
    original = plain()
    [sealed] = await codec.encode([original])
    assert sealed.metadata["encoding"] == ENCRYPTED_ENCODING
    assert sealed.metadata[KEY_ID_KEY] == b"2026-01"
    assert str(PUPIL).encode() not in sealed.SerializeToString()
    assert await codec.decode([sealed]) == [original]


async def test_each_encryption_uses_a_fresh_nonce() -> None:
    codec = EncryptionCodec({"k": OLD_KEY}, "k")
    first, second = await codec.encode([plain(), plain()])
    assert first.data[:12] != second.data[:12]
    assert first.data != second.data


@pytest.mark.parametrize("position", [0, 12, -1])  # the nonce, the ciphertext and the tag
async def test_altered_bytes_fail_to_decode(position: int) -> None:
    codec = EncryptionCodec({"k": OLD_KEY}, "k")
    [sealed] = await codec.encode([plain()])
    data = bytearray(sealed.data)
    data[position] ^= 0x01
    altered = Payload(metadata=dict(sealed.metadata), data=bytes(data))
    with pytest.raises(PayloadDecryptionError, match="altered or wrong key"):
        await codec.decode([altered])


async def test_a_truncated_payload_fails_to_decode() -> None:
    codec = EncryptionCodec({"k": OLD_KEY}, "k")
    [sealed] = await codec.encode([plain()])
    with pytest.raises(PayloadDecryptionError, match="truncated"):
        await codec.decode([Payload(metadata=dict(sealed.metadata), data=sealed.data[:20])])


async def test_the_wrong_key_under_the_same_id_fails() -> None:
    [sealed] = await EncryptionCodec({"k": OLD_KEY}, "k").encode([plain()])
    with pytest.raises(PayloadDecryptionError, match="altered or wrong key"):
        await EncryptionCodec({"k": NEW_KEY}, "k").decode([sealed])


async def test_an_unknown_key_id_fails_without_revealing_keys() -> None:
    [sealed] = await EncryptionCodec({"old": OLD_KEY}, "old").encode([plain()])
    with pytest.raises(PayloadDecryptionError, match="'old', which is not configured") as failure:
        await EncryptionCodec({"new": NEW_KEY}, "new").decode([sealed])
    assert keys_shown_in(str(failure.value)) == []


async def test_relabelling_a_payload_to_another_key_fails() -> None:
    codec = EncryptionCodec({"old": OLD_KEY, "new": NEW_KEY}, "new")
    [sealed] = await codec.encode([plain()])
    relabelled = Payload(metadata={**sealed.metadata, KEY_ID_KEY: b"old"}, data=sealed.data)
    with pytest.raises(PayloadDecryptionError):
        await codec.decode([relabelled])


async def test_rotation_keeps_old_payloads_readable() -> None:
    before = EncryptionCodec({"2026-01": OLD_KEY}, "2026-01")
    after = EncryptionCodec({"2026-01": OLD_KEY, "2026-07": NEW_KEY}, "2026-07")
    [old_payload] = await before.encode([plain("old")])
    [new_payload] = await after.encode([plain("new")])
    assert new_payload.metadata[KEY_ID_KEY] == b"2026-07"
    assert await after.decode([old_payload, new_payload]) == [plain("old"), plain("new")]
    with pytest.raises(PayloadDecryptionError):  # a process not yet given the new key cannot read new payloads
        await before.decode([new_payload])


async def test_unencrypted_payloads_pass_through_decode() -> None:
    codec = EncryptionCodec({"k": OLD_KEY}, "k")
    written_before_encryption = [plain(), Payload(metadata={"encoding": b"binary/null"})]
    assert await codec.decode(written_before_encryption) == written_before_encryption


def test_the_codec_refuses_bad_keys_and_never_shows_them() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        EncryptionCodec({"k": os.urandom(16)}, "k")
    with pytest.raises(ValueError, match="not among the configured keys"):
        EncryptionCodec({"k": OLD_KEY}, "other")
    codec = EncryptionCodec({"k": OLD_KEY}, "k")
    assert keys_shown_in(repr(codec)) == []


# Settings


def test_no_keys_means_no_encryption() -> None:
    plain_settings = settings()
    assert codec_for(plain_settings) is None
    assert data_converter(plain_settings) is pydantic_data_converter


def test_keys_are_read_from_the_environment_as_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ATT_TEMPORAL_PAYLOAD_KEYS", json.dumps({"2026-01": b64(OLD_KEY), "2026-07": b64(NEW_KEY)}))
    monkeypatch.setenv("ATT_TEMPORAL_PAYLOAD_KEY_ID", "2026-07")
    loaded = PlatformSettings(environment="test")
    assert loaded.temporal_payload_key_bytes() == {"2026-01": OLD_KEY, "2026-07": NEW_KEY}
    codec = codec_for(loaded)
    assert codec is not None
    assert codec.current_key_id == "2026-07"
    for shown in (repr(loaded), str(loaded), str(loaded.model_dump())):
        assert keys_shown_in(shown) == []


@pytest.mark.parametrize(("overrides", "message"), [
    ({"temporal_payload_keys": {"k": b64(os.urandom(16))}, "temporal_payload_key_id": "k"}, "32 random bytes"),
    ({"temporal_payload_keys": {"k": "not base64 at all!"}, "temporal_payload_key_id": "k"}, "32 random bytes"),
    ({"temporal_payload_keys": {"k": b64(OLD_KEY)}}, "must name the current key"),
    ({"temporal_payload_keys": {"k": b64(OLD_KEY)}, "temporal_payload_key_id": "other"}, "not one of the key ids"),
    ({"temporal_payload_key_id": "k"}, "not one of the key ids"),
    ({"temporal_payload_keys": {"bad id/with slash": b64(OLD_KEY)}, "temporal_payload_key_id": "bad id/with slash"},
     "each key id must be"),
])
def test_bad_key_settings_stop_start_up_without_printing_keys(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message) as failure:
        settings(**overrides)
    assert keys_shown_in(str(failure.value)) == []


@pytest.mark.parametrize("overrides", [
    {"temporal_payload_keys": {"k": b64(OLD_KEY)}, "temporal_payload_key_id": b64(NEW_KEY)},  # key in the id's place
    {"temporal_payload_keys": [b64(OLD_KEY)], "temporal_payload_key_id": "k"},  # a list, not a mapping
])
def test_misplaced_keys_are_not_echoed(overrides: dict[str, object]) -> None:
    with pytest.raises(ValidationError) as failure:
        settings(**overrides)
    assert keys_shown_in(str(failure.value)) == []


async def test_the_data_converter_encrypts_values_and_failure_messages() -> None:
    converter = data_converter(settings(temporal_payload_keys={"k": b64(OLD_KEY)}, temporal_payload_key_id="k"))
    journey = JourneyInput(pupil_id=PUPIL, school_urn="900001", la_code="999")
    [payload] = await converter.encode([journey])
    assert payload.metadata["encoding"] == ENCRYPTED_ENCODING
    assert str(PUPIL).encode() not in payload.data
    assert await converter.decode([payload], [JourneyInput]) == [journey]

    failure = Failure()
    await converter.encode_failure(ApplicationError(f"pupil {PUPIL} cannot move on", type="IllegalStep"), failure)
    assert str(PUPIL) not in str(failure)
    decoded = await converter.decode_failure(failure)
    assert isinstance(decoded, ApplicationError)
    assert decoded.message == f"pupil {PUPIL} cannot move on"


# The codec server (not mounted by default)


@pytest.fixture
def codec_server() -> httpx.AsyncClient:
    app = FastAPI()
    install_error_handlers(app)
    app.include_router(codec_router(EncryptionCodec({"k": OLD_KEY}, "k")))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://codec")


def as_json(*payloads: Payload) -> dict[str, object]:
    return json.loads(json_format.MessageToJson(Payloads(payloads=payloads)))


async def test_the_codec_server_encodes_and_decodes_as_the_ui_calls_it(codec_server: httpx.AsyncClient) -> None:
    headers = {"X-Namespace": "default"}
    encoded = await codec_server.post("/codec/encode", json=as_json(plain()), headers=headers)
    assert encoded.status_code == 200
    [sealed] = json_format.Parse(encoded.content, Payloads()).payloads
    assert sealed.metadata["encoding"] == ENCRYPTED_ENCODING
    decoded = await codec_server.post("/codec/decode", json=as_json(sealed, plain("untouched")), headers=headers)
    assert decoded.status_code == 200
    assert list(json_format.Parse(decoded.content, Payloads()).payloads) == [plain(), plain("untouched")]


async def test_the_codec_server_answers_bad_input_with_a_problem(codec_server: httpx.AsyncClient) -> None:
    garbage = await codec_server.post("/codec/decode", content=b"{not json")
    assert garbage.status_code == 422
    assert garbage.headers["content-type"] == "application/problem+json"
    [foreign] = await EncryptionCodec({"other": NEW_KEY}, "other").encode([plain()])
    unknown_key = await codec_server.post("/codec/decode", json=as_json(foreign))
    assert unknown_key.status_code == 422
    assert "'other'" in unknown_key.json()["detail"]

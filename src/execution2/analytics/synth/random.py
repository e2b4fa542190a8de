"""Named random streams: one seed, many independent generators.

Everything synthetic about an organization (its people today; its plan, survey answers,
collaboration events and market conversations later) is derived from one integer seed. Each
concern draws from its own stream, named by a path of keys:

    rng = stream(seed, "org", "names")       # the people generator's names
    rng = stream(seed, "survey", "answers")  # a later generator, unaffected by the people

A stream depends only on the seed and its key path, so adding a generator, drawing more numbers
in one, or reordering calls never changes what another stream produces. That is what keeps the
people of seed 7 byte-for-byte identical when the survey generator is added or changed.

Keys are hashed with BLAKE2b (stable across processes and Python versions, unlike `hash()`) into
the `spawn_key` of a `numpy.random.SeedSequence`, the mechanism numpy documents for independent
child streams.

Keys the people generator uses, so later generators must choose others: "org" followed by
"company", "functions", "structure", "offices", "locations", "names", "tenure", "titles".
Suggested roots for later generators: "plan", "survey", "network", "listening".
"""

from __future__ import annotations

import hashlib
import math

import numpy as np


def _key_int(key: str) -> int:
    digest = hashlib.blake2b(key.encode("utf-8"), digest_size=8, person=b"execution2").digest()
    return int.from_bytes(digest, "big")


def seed_sequence(seed: int, *keys: str) -> np.random.SeedSequence:
    """The seed sequence behind `stream(seed, *keys)`; spawn from it for per-item streams."""
    if seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed}")
    return np.random.SeedSequence(entropy=seed, spawn_key=tuple(_key_int(k) for k in keys))


def stream(seed: int, *keys: str) -> np.random.Generator:
    """An independent generator for the concern named by `keys` (see the module docstring)."""
    return np.random.default_rng(seed_sequence(seed, *keys))


class ScalarDraws:
    """Cheap scalar draws from a numpy generator, for loops that need one number at a time.

    A numpy call costs microseconds; the organization builder makes a few per manager (tens of
    thousands of managers at 300,000 people), so it draws uniforms in blocks and serves them
    one by one. The sequence is still a pure function of the generator's state.
    """

    __slots__ = ("_block", "_buffer", "_position", "_rng")

    def __init__(self, rng: np.random.Generator, block: int = 8192) -> None:
        self._rng = rng
        self._block = block
        self._buffer: list[float] = []
        self._position = 0

    def uniform(self) -> float:
        """A float in [0, 1)."""
        if self._position == len(self._buffer):
            self._buffer = self._rng.random(self._block).tolist()
            self._position = 0
        value = self._buffer[self._position]
        self._position += 1
        return value

    def below(self, n: int) -> int:
        """An integer in [0, n)."""
        return min(int(self.uniform() * n), n - 1)

    def pick(self, cumulative: tuple[float, ...]) -> int:
        """An index drawn with the given cumulative weights (last value is the total)."""
        target = self.uniform() * cumulative[-1]
        for index, bound in enumerate(cumulative):
            if target < bound:
                return index
        return len(cumulative) - 1

    def gamma2(self) -> float:
        """A Gamma(2, 1) variate: the weights of a Dirichlet(2, ..., 2) split, unnormalised."""
        return -math.log((1.0 - self.uniform()) * (1.0 - self.uniform()))


def cumulative(weights: tuple[float, ...]) -> tuple[float, ...]:
    total = 0.0
    out = []
    for weight in weights:
        total += weight
        out.append(total)
    return tuple(out)

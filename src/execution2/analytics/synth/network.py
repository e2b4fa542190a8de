"""Synthetic collaboration events for a synthetic organization, from the same seed.

Everyone has a set of regular contacts: their manager and direct reports, teammates in the
same unit, a few colleagues elsewhere in the same function, a couple in other functions (the
cross-functional work of the plan) and, for a few "bridge" people, more in other functions.
One function is siloed (`synth.story`: Finance, else one drawn at random): its people keep to
themselves, so it is the one function whose E-I index shows a wall.
Some individual contributors are isolates who send and receive nothing. Events are drawn from
the contacts (plus occasional one-off contacts), on a weekly rhythm: busy weekdays, quiet
weekends, working hours. About `events_per_person` events per person per 90 days by default.

    >>> for table in generate_events(company, seed=7, days=180):
    ...     writer.write_table(table)  # timestamp, sender, recipients, channel, duration_minutes

Tables come in chunks, so 60 million events never sit in memory at once.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from execution2.analytics.synth.model import SyntheticOrganization
from execution2.analytics.synth.org import DEFAULT_AS_OF
from execution2.analytics.synth.random import stream
from execution2.analytics.synth.story import SILOED_FUNCTION

IntArray = npt.NDArray[np.int64]

DEFAULT_EVENTS_PER_PERSON = 100
DEFAULT_DAYS = 180
CHUNK_EVENTS = 2_000_000
TEAM_CONTACTS = 6
FUNCTION_CONTACTS = 3
BRIDGE_SHARE = 0.04
BRIDGE_CONTACTS = 6
ISOLATE_SHARE = 0.03
# Contacts in other functions for everyone outside the silo. Without them every function keeps
# nine ties in ten inside (E-I below -0.8) and the silo rule would name them all; with two,
# about a fifth of an open function's ties leave it (E-I about -0.6) and only the siloed
# function stands out.
CROSS_FUNCTION_CONTACTS = 2
ONE_OFF_SHARE = 0.05
CHANNELS = ("email", "chat", "meeting", "call")
CHANNEL_SHARES = (0.45, 0.35, 0.12, 0.08)
WEEKDAY_WEIGHTS = (1.0, 1.0, 1.0, 1.0, 0.9, 0.08, 0.05)  # Monday first

EVENT_SCHEMA = pa.schema(
    [
        ("timestamp", pa.timestamp("s", tz="UTC")),
        ("sender", pa.string()),
        ("recipients", pa.list_(pa.string())),
        ("channel", pa.string()),
        ("duration_minutes", pa.float32()),
    ]
)


@dataclass(frozen=True)
class ContactNetwork:
    """The planted structure, for tests and for explaining the demo."""

    indptr: IntArray
    indices: IntArray
    activity: npt.NDArray[np.float64]
    function: IntArray
    function_names: tuple[str, ...]
    siloed: tuple[str, ...]
    isolates: IntArray


def _groups(labels: list[str]) -> tuple[IntArray, tuple[str, ...]]:
    names, inverse = np.unique(np.asarray(labels, dtype=object), return_inverse=True)
    return inverse.astype(np.int64), tuple(str(name) for name in names)


def _same_group_pairs(
    rng: np.random.Generator, group: IntArray, people: IntArray, per_person: int
) -> tuple[IntArray, IntArray]:
    """For each of `people`, `per_person` random others from their own group."""
    order = np.argsort(group, kind="stable")
    sorted_group = group[order]
    starts = np.searchsorted(sorted_group, group, side="left")
    sizes = np.searchsorted(sorted_group, group, side="right") - starts
    source = np.repeat(people, per_person)
    size = sizes[source]
    pick = order[starts[source] + (rng.random(len(source)) * size).astype(np.int64)]
    keep = (pick != source) & (size > 1)
    return source[keep], pick[keep]


def plant_contacts(company: SyntheticOrganization, seed: int) -> ContactNetwork:
    rng = stream(seed, "network", "contacts")
    people = company.people
    n = len(people)
    index = {p.external_id: i for i, p in enumerate(people)}
    manager = np.array(
        [index[p.manager_id] if p.manager_id else -1 for p in people], dtype=np.int64
    )
    level = np.array([p.level for p in people], dtype=np.int64)
    unit, _ = _groups([p.unit_path for p in people])
    function, function_names = _groups([p.unit_path.split(" / ")[0] for p in people])
    everyone = np.arange(n, dtype=np.int64)

    is_manager = np.zeros(n, dtype=np.bool_)
    is_manager[manager[manager >= 0]] = True
    contributors = np.nonzero(~is_manager & (level >= 2))[0]
    isolates = (
        np.sort(
            rng.choice(contributors, size=int(len(contributors) * ISOLATE_SHARE), replace=False)
        )
        if len(contributors)
        else np.zeros(0, dtype=np.int64)
    )

    sizes = np.bincount(function)
    eligible = [
        f
        for f in range(len(function_names))
        if 0.03 * n <= sizes[f] <= 0.25 * n and function_names[f] != "Executive Office"
    ]
    # One siloed function: the story's (synth.story) when it is a plausible size, else one of
    # the eligible drawn at random (the draw is made either way, so the streams don't shift).
    drawn = int(rng.choice(eligible)) if eligible else -1
    preferred = [f for f in eligible if function_names[f] == SILOED_FUNCTION]
    siloed_functions = np.array(preferred[:1] or ([drawn] if drawn >= 0 else []), dtype=np.int64)
    in_silo = np.isin(function, siloed_functions)

    pairs_u: list[IntArray] = []
    pairs_v: list[IntArray] = []
    has_manager = manager >= 0
    for _ in range(3):  # reporting lines are the strongest ties: listed three times
        pairs_u.append(everyone[has_manager])
        pairs_v.append(manager[has_manager])
    team_u, team_v = _same_group_pairs(rng, unit, everyone, TEAM_CONTACTS)
    pairs_u.append(team_u)
    pairs_v.append(team_v)
    function_u, function_v = _same_group_pairs(rng, function, everyone, FUNCTION_CONTACTS)
    pairs_u.append(function_u)
    pairs_v.append(function_v)
    open_people = np.nonzero(~in_silo)[0]
    if len(open_people):
        # Colleagues anywhere outside the silo (mostly in other functions, as most people
        # are); the few drawn from the same function only add to the function's own ties.
        source = np.repeat(open_people, CROSS_FUNCTION_CONTACTS)
        pairs_u.append(source)
        pairs_v.append(open_people[rng.integers(0, len(open_people), len(source))])
    bridges = open_people[rng.random(len(open_people)) < BRIDGE_SHARE]
    if len(bridges) and len(open_people):
        source = np.repeat(bridges, BRIDGE_CONTACTS)
        target = open_people[rng.integers(0, len(open_people), len(source))]
        pairs_u.append(source)
        pairs_v.append(target)
    u = np.concatenate(pairs_u)
    v = np.concatenate(pairs_v)
    isolated = np.zeros(n, dtype=np.bool_)
    isolated[isolates] = True
    # Silo members keep to their function, except the function head's line to the top.
    crossing = function[u] != function[v]
    head_line = (level[u] <= 1) & (level[v] <= 1)
    keep = (u != v) & ~isolated[u] & ~isolated[v]
    keep &= ~(crossing & (in_silo[u] | in_silo[v]) & ~head_line)
    u, v = u[keep], v[keep]
    heads = np.concatenate([u, v])
    tails = np.concatenate([v, u])
    order = np.argsort(heads, kind="stable")
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(heads, minlength=n), out=indptr[1:])
    activity = rng.lognormal(0.0, 0.5, n) * np.where(is_manager, 1.4, 1.0)
    activity[isolated] = 0.0
    activity[np.diff(indptr) == 0] = 0.0
    return ContactNetwork(
        indptr=indptr,
        indices=tails[order].astype(np.int64),
        activity=activity,
        function=function,
        function_names=function_names,
        siloed=tuple(function_names[f] for f in siloed_functions),
        isolates=isolates.astype(np.int64),
    )


def generate_events(
    company: SyntheticOrganization,
    *,
    seed: int,
    events_per_person: float = DEFAULT_EVENTS_PER_PERSON,
    days: int = DEFAULT_DAYS,
    end: datetime.date = DEFAULT_AS_OF,
    events: int | None = None,
    chunk_events: int = CHUNK_EVENTS,
    contacts: ContactNetwork | None = None,
) -> Iterator[pa.Table]:
    """Event tables (EVENT_SCHEMA) over the `days` days before `end`, in chunks.

    `events` fixes the total number drawn; otherwise it is events_per_person per 90 days.
    Events before someone's start date are dropped, so slightly fewer may come out.
    """
    network = contacts or plant_contacts(company, seed)
    rng = stream(seed, "network", "events")
    people = company.people
    n = len(people)
    total = events if events is not None else round(events_per_person * n * days / 90)
    ids = pa.array([p.external_id for p in people], pa.string())
    first_day = end.toordinal() - days
    epoch = datetime.date(1970, 1, 1).toordinal()
    start_s = (np.array([p.start_date.toordinal() for p in people], dtype=np.int64) - epoch) * 86400
    weekday = (np.arange(first_day, end.toordinal()) - 1) % 7  # ordinal 1 is a Monday
    day_p = np.asarray(WEEKDAY_WEIGHTS)[weekday]
    day_p = day_p / day_p.sum()
    sender_p = network.activity / network.activity.sum()
    degree = np.diff(network.indptr)
    produced = 0
    while produced < total:
        size = min(chunk_events, total - produced)
        produced += size
        yield _chunk(rng, size, network, sender_p, degree, day_p, first_day - epoch, start_s, ids)


def _chunk(
    rng: np.random.Generator,
    size: int,
    network: ContactNetwork,
    sender_p: npt.NDArray[np.float64],
    degree: IntArray,
    day_p: npt.NDArray[np.float64],
    first_day: int,
    start_s: IntArray,
    ids: pa.Array,
) -> pa.Table:
    n = len(sender_p)
    sender = np.searchsorted(np.cumsum(sender_p), rng.random(size) * (1 - 1e-12)).astype(np.int64)
    sender = np.minimum(sender, n - 1)
    channel = np.searchsorted(np.cumsum(CHANNEL_SHARES), rng.random(size) * (1 - 1e-12))
    count = np.ones(size, dtype=np.int64)
    email = channel == 0
    count[email] = np.minimum(rng.geometric(0.6, int(email.sum())), 6)
    chat = channel == 1
    count[chat] = np.where(rng.random(int(chat.sum())) < 0.8, 1, 3)
    meeting = channel == 2
    count[meeting] = np.minimum(2 + rng.poisson(2.0, int(meeting.sum())), 10)
    event = np.repeat(np.arange(size, dtype=np.int64), count)
    slot_sender = sender[event]
    pick = (rng.random(len(event)) * degree[slot_sender]).astype(np.int64)
    recipient = network.indices[network.indptr[slot_sender] + pick]
    # Occasional one-off contacts: anyone in the same function (silos stay silos).
    one_off = rng.random(len(event)) < ONE_OFF_SHARE
    if one_off.any():
        same = network.function[slot_sender[one_off]]
        order = np.argsort(network.function, kind="stable")
        sorted_function = network.function[order]
        lo = np.searchsorted(sorted_function, same, side="left")
        hi = np.searchsorted(sorted_function, same, side="right")
        candidate = order[lo + (rng.random(len(same)) * (hi - lo)).astype(np.int64)]
        recipient[one_off] = np.where(
            network.activity[candidate] > 0, candidate, recipient[one_off]
        )
    day = rng.choice(len(day_p), size=size, p=day_p)
    seconds_of_day = np.clip(rng.normal(13.0, 2.5, size), 7.0, 20.0) * 3600
    ts = (first_day + day) * 86400 + seconds_of_day.astype(np.int64)
    slot_ts = ts[event]
    keep = (
        (recipient != slot_sender)
        & (slot_ts >= start_s[slot_sender])
        & (slot_ts >= start_s[recipient])
    )
    # One row per (event, recipient): duplicates drawn within an event are merged.
    # (Sorting, not np.unique: numpy's hash-based unique is slow on millions of keys.)
    key = np.sort(event[keep] * n + recipient[keep])
    key = key[np.r_[True, key[1:] != key[:-1]]] if len(key) else key
    event_of, recipient_of = key // n, key % n
    offsets_from = np.flatnonzero(np.r_[True, event_of[1:] != event_of[:-1]]) if len(key) else key
    events_kept = event_of[offsets_from]
    offsets = np.append(offsets_from, len(key)).astype(np.int32)
    recipients = pa.ListArray.from_arrays(pa.array(offsets), ids.take(pa.array(recipient_of)))
    duration = np.where(
        channel == 2, 30.0 * rng.integers(1, 4, size), np.where(channel == 3, 15.0, np.nan)
    ).astype(np.float32)
    channel_names = pa.array(CHANNELS)
    return pa.table(
        {
            "timestamp": pa.array(ts[events_kept], pa.timestamp("s", tz="UTC")),
            "sender": ids.take(pa.array(sender[events_kept])),
            "recipients": recipients,
            "channel": channel_names.take(pa.array(channel[events_kept])),
            "duration_minutes": pa.array(duration[events_kept], from_pandas=True),
        },
        schema=EVENT_SCHEMA,
    )

"""Synthetic organizations for demos, tests and benchmarks, reproducible from a seed.

    >>> org = generate_organization(people=600, seed=7)
    >>> org.people[0].title
    'Chief Executive Officer'

Modules: `random` (named seeded streams, for this and later generators), `catalog` (functions,
units, roles), `structure` (the reporting tree), `places` (offices), `names` (names, e-mails),
`titles`, `org` (assembly). Pure: numpy, Faker's name lists and the standard library only.
"""

from execution2.analytics.synth.model import SyntheticOrganization, SyntheticPerson
from execution2.analytics.synth.org import generate_organization
from execution2.analytics.synth.random import stream

__all__ = ["SyntheticOrganization", "SyntheticPerson", "generate_organization", "stream"]

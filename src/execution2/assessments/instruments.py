"""Instruments stored per organization, parsed once per process."""

from __future__ import annotations

from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db import transaction

from execution2.analytics.assessment.instrument import (
    Instrument as InstrumentSpec,
)
from execution2.analytics.assessment.instrument import (
    InstrumentError,
    built_in_text,
    instrument_parse,
)
from execution2.assessments.models import Instrument
from execution2.orgs.models import Organization


@lru_cache(maxsize=64)
def _parse(source: str) -> InstrumentSpec:
    return instrument_parse(source)


def instrument_of(instrument: Instrument) -> InstrumentSpec:
    return _parse(instrument.source)


@transaction.atomic
def instrument_add(*, organization: Organization, source: str) -> Instrument:
    """Store an instrument (YAML text); the same key and version can't be stored twice."""
    try:
        spec = instrument_parse(source)
    except InstrumentError as error:
        raise ValidationError({"source": error.problems}) from None
    existing = Instrument.objects.filter(
        organization=organization, key=spec.key, version=spec.version
    ).first()
    if existing is not None:
        if existing.source == source:
            return existing
        raise ValidationError(
            {"source": f"{spec.key} version {spec.version} exists already; raise the version."}
        )
    instrument = Instrument(
        organization=organization,
        key=spec.key,
        version=spec.version,
        title=spec.title,
        source=source,
    )
    instrument.full_clean()
    instrument.save()
    return instrument


def instrument_default(*, organization: Organization) -> Instrument:
    """The organization's copy of the built-in instrument, stored on first use."""
    return instrument_add(organization=organization, source=built_in_text())

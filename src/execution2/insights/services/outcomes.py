"""Writes about judging the index: recording outcomes (with the index they had when they
closed) and changing the weights and target, e.g. to adopt suggested ones."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from execution2.analytics.index import (
    COMPONENTS,
    WeightsError,
    execution_indexes,
    validate_target,
    validate_weights,
)
from execution2.insights.inputs import index_inputs
from execution2.insights.models import Outcome, OutcomeResult
from execution2.insights.services.index import Actor, index_settings
from execution2.orgs.choices import AuditAction
from execution2.orgs.models import Organization
from execution2.orgs.services import audit_record


def index_weights_update(
    *,
    organization: Organization,
    actor: Actor,
    weights: Mapping[str, float] | None = None,
    target: float | None = None,
) -> Organization:
    """Change the index's weights (normalised to sum to 1) and/or its target."""
    stored = dict(organization.settings or {})
    index = dict(stored.get("index", {}))
    changes: dict[str, Any] = {}
    if weights is not None:
        try:
            normalised = validate_weights(weights)
        except WeightsError as error:
            raise ValidationError({"weights": error.problems}) from None
        index["weights"] = {key: round(normalised[key], 6) for key in COMPONENTS}
        changes["index.weights"] = index["weights"]
    if target is not None:
        try:
            index["target"] = validate_target(target)
        except ValueError as error:
            raise ValidationError({"target": str(error)}) from None
        changes["index.target"] = index["target"]
    stored["index"] = index
    organization.settings = stored
    organization.save(update_fields=["settings"])
    if changes:
        audit_record(
            organization=organization,
            actor=actor,
            action=AuditAction.SETTINGS_CHANGE,
            detail=changes,
        )
    return organization


def _index_when_closed(
    organization: Organization, closed_on: datetime.date, unit_ids: list[int]
) -> tuple[float | None, dict[str, float | None]]:
    """The index and component scores behind an outcome: of the organization as of the day it
    closed, or the mean over the units the initiative belonged to."""
    weights, target = index_settings(organization)
    inputs = index_inputs(organization=organization, as_of=closed_on, with_managers=False)
    results = execution_indexes(inputs.inputs, weights=weights, target=target)
    rows = [s.row for s in inputs.scopes if s.unit_id in set(unit_ids)] or [0]
    chosen = [results[r] for r in rows if results[r].index is not None]
    if not chosen:
        return None, {key: None for key in COMPONENTS}
    index = float(np.mean([r.index for r in chosen if r.index is not None]))
    components: dict[str, float | None] = {}
    for key in COMPONENTS:
        scores = [r.component(key).score for r in chosen]
        present = [s for s in scores if s is not None]
        components[key] = float(np.mean(present)) if present else None
    return index, components


def outcome_record(
    *,
    organization: Organization,
    actor: Actor,
    result: str,
    closed_on: datetime.date,
    initiative_id: int | None = None,
    label: str = "",
    note: str = "",
    compute_index: bool = True,
) -> Outcome:
    """Record (or correct) how a closed initiative, or the whole plan, turned out, with the
    index it had when it closed. With `compute_index` False that index is left pending for
    `outcome_index_compute` (a job: it reads the whole organization as of that day)."""
    from execution2.plans.choices import InitiativeStatus
    from execution2.plans.models import Initiative

    if result not in OutcomeResult.values:
        raise ValidationError({"result": "Choose succeeded, partly or failed."})
    if closed_on > timezone.localdate():
        raise ValidationError({"closed_on": "The closing day can't be in the future."})
    initiative = None
    if initiative_id is not None:
        initiative = Initiative.objects.filter(organization=organization, pk=initiative_id).first()
        if initiative is None:
            raise ValidationError({"initiative": "No such initiative in this organization."})
        if initiative.status not in (InitiativeStatus.DONE, InitiativeStatus.CANCELLED):
            raise ValidationError(
                {"initiative": "Only a closed initiative (done or cancelled) has an outcome."}
            )
        label = initiative.title
    else:
        label = label.strip()
        if not label:
            raise ValidationError({"label": "Name the plan, e.g. “Plan 2026”."})
    lookup: dict[str, Any] = {"organization": organization, "initiative": initiative}
    if initiative is None:
        lookup["label"] = label
    with transaction.atomic():
        outcome, _created = Outcome.objects.update_or_create(
            **lookup,
            defaults={
                "label": label,
                "result": result,
                "closed_on": closed_on,
                "index": None,
                "components": {},
                "computed_at": None,
                "note": note.strip(),
                "recorded_by": actor if actor is not None and actor.is_authenticated else None,
            },
        )
        audit_record(
            organization=organization,
            actor=actor,
            action=AuditAction.OUTCOME_RECORD,
            detail={"label": label, "result": result, "closed_on": closed_on.isoformat()},
        )
    if compute_index:
        outcome = outcome_index_compute(outcome_id=outcome.pk) or outcome
    return outcome


def outcome_index_compute(*, outcome_id: int) -> Outcome | None:
    """Fill in the index an outcome's plan or initiative had on the day it closed: of the
    organization, or the mean over the initiative's units. None if the outcome is gone."""
    outcome = Outcome.objects.select_related("organization").filter(pk=outcome_id).first()
    if outcome is None:
        return None
    unit_ids = (
        list(outcome.initiative.units.values_list("pk", flat=True))
        if outcome.initiative is not None
        else []
    )
    index, components = _index_when_closed(outcome.organization, outcome.closed_on, unit_ids)
    outcome.index = index
    outcome.components = components
    outcome.computed_at = timezone.now()
    outcome.save(update_fields=["index", "components", "computed_at"])
    return outcome

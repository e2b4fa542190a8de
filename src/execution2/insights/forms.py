"""Forms of the outcomes and index settings pages: early errors next to the field; the services
(`outcome_record`, `index_weights_update`) check again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from execution2.analytics.index import COMPONENTS, TITLES
from execution2.insights.models import Outcome, OutcomeResult

NOTE_MAX = 2000


class OutcomeForm(forms.Form):
    """How a closed initiative turned out (the initiative comes from the URL's row)."""

    result = forms.ChoiceField(
        label="Outcome",
        choices=[("", "Choose…"), *OutcomeResult.choices],
        error_messages={"required": "Choose succeeded, partly or failed."},
    )
    closed_on = forms.DateField(
        label="Closed on",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="The index as of this day is kept with the outcome.",
        error_messages={
            "required": "Give the day it closed.",
            "invalid": "Give the day as YYYY-MM-DD.",
        },
    )
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What made the difference, for whoever reads this later.",
    )

    def clean_closed_on(self) -> Any:
        closed_on = self.cleaned_data["closed_on"]
        if closed_on > timezone.localdate():
            raise forms.ValidationError("The closing day can't be in the future.")
        return closed_on


class PlanOutcomeForm(OutcomeForm):
    """How the organization's whole plan turned out, named by a label ("Plan 2026")."""

    label = forms.CharField(
        label="Plan",
        max_length=Outcome._meta.get_field("label").max_length,
        help_text="A name for the plan period, e.g. “Plan 2026”. Recording the same name again "
        "corrects it.",
        error_messages={"required": "Name the plan, e.g. “Plan 2026”."},
    )

    field_order = ["label", "result", "closed_on", "note"]

    def clean_label(self) -> str:
        label = str(self.cleaned_data["label"]).strip()
        if not label:
            raise forms.ValidationError("Name the plan, e.g. “Plan 2026”.")
        return label


class IndexSettingsForm(forms.Form):
    """The nine weights as percentages and the target. The weights are normalised to sum to
    100%, so only their proportions matter; each is between 0 and 100 and one must be above 0."""

    target = forms.FloatField(
        label="Target",
        min_value=0,
        max_value=100,
        help_text="The score every component should reach (0-100); a component's gap is the "
        "target minus its score.",
        error_messages={
            "required": "Give a target between 0 and 100.",
            "invalid": "The target must be a number between 0 and 100.",
            "min_value": "The target can't be below 0.",
            "max_value": "The target can't be above 100.",
        },
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key in COMPONENTS:
            self.fields[f"weight_{key}"] = forms.FloatField(
                label=TITLES[key],
                min_value=0,
                max_value=100,
                error_messages={
                    "required": "Give a weight (0 leaves the component out).",
                    "invalid": "The weight must be a number.",
                    "min_value": "A weight can't be negative.",
                    "max_value": "A weight can't be above 100.",
                },
                widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
            )
        # The target last, after the weights it is read with.
        self.order_fields([f"weight_{key}" for key in COMPONENTS] + ["target"])

    def weight_fields(self) -> list[forms.BoundField]:
        return [self[f"weight_{key}"] for key in COMPONENTS]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        values = [cleaned.get(f"weight_{key}") for key in COMPONENTS]
        if all(v is not None for v in values) and sum(v for v in values if v is not None) <= 0:
            raise forms.ValidationError(
                "At least one weight must be above zero: an index of nothing can't be computed."
            )
        return cleaned

    def weights(self) -> dict[str, float]:
        """The weights as shares (percent / 100); the service normalises them."""
        return {key: float(self.cleaned_data[f"weight_{key}"]) / 100 for key in COMPONENTS}

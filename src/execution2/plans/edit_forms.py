"""Forms of the plan's editing pages. People and units are picked by searching: the select holds
only what is chosen, and the search endpoint fills in matches, so 100,000 people never render."""

from __future__ import annotations

from typing import Any

from django import forms

from execution2.orgs.models import Organization, Person, Unit
from execution2.plans.choices import Direction, InitiativeStatus, ResourceKind, ReturnKind
from execution2.plans.models import Initiative, Opportunity

TEXTAREA = {"rows": 3}
DATE = {"type": "date"}
MONTH = {"type": "month"}


def person_label(person: Person) -> str:
    return f"{person.name} · {person.unit.path}" if person.unit_id else person.name


class PickedSelect(forms.SelectMultiple):
    """A select that renders only its chosen options (the search adds others)."""

    def __init__(self, *, multiple: bool, search: str, attrs: dict[str, Any] | None = None):
        super().__init__(attrs)
        self.multiple = multiple
        self.search = search  # which search endpoint fills it: "people" or "units"

    @property
    def allow_multiple_selected(self) -> bool:  # type: ignore[override]
        return self.multiple

    def format_value(self, value: Any) -> list[str]:
        if value is None:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        return [str(v) for v in values if str(v).isdigit()]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        if self.multiple:
            return data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        return data.get(name)

    def optgroups(self, name: str, value: list[str], attrs: dict[str, Any] | None = None) -> Any:
        field = self.choices.field  # type: ignore[attr-defined]
        chosen = [v for v in value if v.isdigit()]
        options = []
        if not self.multiple:
            options.append(self.create_option(name, "", "— nobody —", not chosen, 0))
        rows = field.queryset.filter(pk__in=chosen)
        if self.search == "people":
            rows = rows.select_related("unit")
        for index, obj in enumerate(rows, start=len(options)):
            label = person_label(obj) if self.search == "people" else obj.path
            options.append(self.create_option(name, str(obj.pk), label, True, index))
        return [(None, options, 0)]


class PersonPick(forms.ModelChoiceField):  # type: ignore[type-arg]
    def __init__(self, *, organization: Organization, **kwargs: Any):
        super().__init__(
            queryset=Person.objects.filter(organization=organization, active=True),
            widget=PickedSelect(multiple=False, search="people"),
            required=False,
            **kwargs,
        )


class InitiativeForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200)
    objective = forms.CharField(
        label="Objective", required=False, max_length=20_000, widget=forms.Textarea(TEXTAREA)
    )
    start = forms.DateField(label="Start", required=False, widget=forms.DateInput(DATE))
    end = forms.DateField(label="End", required=False, widget=forms.DateInput(DATE))
    status = forms.ChoiceField(
        label="Status", choices=InitiativeStatus.choices, initial=InitiativeStatus.ACTIVE
    )
    weight = forms.FloatField(
        label="Weight", min_value=0, initial=1.0, help_text="Its share in its parents' progress."
    )

    def __init__(
        self,
        *args: Any,
        organization: Organization,
        initiative: Initiative | None = None,
        **kw: Any,
    ):
        super().__init__(*args, **kw)
        self.fields["owner"] = PersonPick(organization=organization, label="Owner")
        self.fields["sponsor"] = PersonPick(organization=organization, label="Sponsor")
        self.fields["units"] = forms.ModelMultipleChoiceField(
            label="Units involved",
            queryset=Unit.objects.filter(organization=organization),
            widget=PickedSelect(multiple=True, search="units"),
            required=False,
        )
        self.fields["opportunities"] = forms.ModelMultipleChoiceField(
            label="Opportunities it serves",
            queryset=Opportunity.objects.filter(organization=organization, archived=False),
            widget=forms.CheckboxSelectMultiple,
            required=False,
        )
        parents = Initiative.objects.filter(organization=organization).exclude(
            status=InitiativeStatus.ARCHIVED
        )
        if initiative is not None:
            parents = parents.exclude(pk=initiative.pk)
        self.fields["parents"] = forms.ModelMultipleChoiceField(
            label="Parent initiatives",
            queryset=parents,
            required=False,
            widget=forms.SelectMultiple(attrs={"size": 5}),
            help_text="It counts towards each parent's progress.",
        )
        self.fields["opened_version"] = forms.IntegerField(widget=forms.HiddenInput, required=False)
        self.order_fields(
            ["title", "objective", "owner", "sponsor", "units", "opportunities", "parents"]
        )


class OpportunityForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200)
    segment = forms.CharField(label="Market segment", max_length=200, required=False)
    description = forms.CharField(
        label="Description", required=False, max_length=20_000, widget=forms.Textarea(TEXTAREA)
    )
    size_estimate = forms.FloatField(
        label="Size estimate (money per year)", min_value=0, required=False
    )
    evidence = forms.CharField(
        label="Evidence (one link per line)",
        required=False,
        max_length=20_000,
        widget=forms.Textarea(TEXTAREA),
    )
    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean_evidence(self) -> list[str]:
        text = self.cleaned_data.get("evidence") or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class MonthField(forms.DateField):
    """A month as `2026-05` (what <input type=month> sends), kept as its first day."""

    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def __init__(self, **kwargs: Any):
        super().__init__(widget=forms.DateInput(MONTH, format="%Y-%m"), **kwargs)


class KPIForm(forms.Form):
    name = forms.CharField(label="KPI", max_length=200)
    unit_of_measure = forms.CharField(label="Unit", max_length=40, required=False)
    baseline = forms.FloatField(label="Baseline")
    target = forms.FloatField(label="Target")
    direction = forms.ChoiceField(label="Direction", choices=Direction.choices)
    update_every_days = forms.IntegerField(
        label="Expected update every (days)", min_value=1, required=False
    )
    archived = forms.BooleanField(label="Archived", required=False)


class TacticForm(forms.Form):
    title = forms.CharField(label="Tactic", max_length=200)
    description = forms.CharField(label="Description", max_length=20_000, required=False)
    weight = forms.FloatField(label="Weight", min_value=0, initial=1.0)
    archived = forms.BooleanField(label="Archived", required=False)


class ResourceForm(forms.Form):
    kind = forms.ChoiceField(label="Kind", choices=ResourceKind.choices)
    period = MonthField(label="Month")
    planned = forms.FloatField(label="Planned", min_value=0, initial=0)
    actual = forms.FloatField(label="Actual", min_value=0, initial=0)
    cost_rate = forms.FloatField(
        label="Rate per hour", min_value=0, initial=1.0, help_text="For people's hours only."
    )
    label = forms.CharField(label="Label", max_length=200, required=False)


class ReturnForm(forms.Form):
    period = MonthField(label="Month")
    amount = forms.FloatField(label="Amount")
    kind = forms.ChoiceField(label="Kind", choices=ReturnKind.choices)
    note = forms.CharField(label="Note", max_length=500, required=False)

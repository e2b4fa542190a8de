"""Forms of the plan pages: early errors next to the field; the services check again."""

from __future__ import annotations

from typing import Any

from django import forms

from execution2.orgs.models import Person
from execution2.plans.choices import Resolution
from execution2.plans.models import KPI, Tactic

TEXTAREA = {"rows": 3}


class PersonChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.title})" if obj.title else obj.name


class CheckInForm(forms.Form):
    progress = forms.IntegerField(
        label="Progress (%)",
        min_value=0,
        max_value=100,
        help_text="How much of the assignment is done, 0 to 100.",
        error_messages={"required": "Say how far along it is, 0 to 100."},
    )
    confidence = forms.IntegerField(
        label="Confidence (0-10)",
        min_value=0,
        max_value=10,
        help_text="How sure you are it will be done on time and as asked: "
        "0 not at all, 10 certain.",
        error_messages={"required": "Give your confidence from 0 to 10."},
    )
    comment = forms.CharField(
        label="Comment", required=False, max_length=5000, widget=forms.Textarea(attrs=TEXTAREA)
    )
    done = forms.BooleanField(label="It's done: mark the assignment complete", required=False)


class BlockerForm(forms.Form):
    description = forms.CharField(
        label="What is in the way?",
        max_length=5000,
        widget=forms.Textarea(attrs=TEXTAREA),
        error_messages={"required": "Say what is in the way."},
    )
    escalate_to = PersonChoiceField(
        label="Escalate to",
        queryset=Person.objects.none(),
        required=False,
        empty_label="Nobody yet",
        help_text="Someone who can remove the obstacle; they are told by e-mail.",
    )

    def __init__(self, *args: Any, people: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["escalate_to"].queryset = people  # type: ignore[attr-defined]


class ResolveForm(forms.Form):
    resolution = forms.ChoiceField(label="How was it resolved?", choices=Resolution.choices)
    note = forms.CharField(
        label="Note", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )


class RecognitionForm(forms.Form):
    receiver = PersonChoiceField(
        label="Colleague",
        queryset=Person.objects.none(),
        empty_label="Choose a colleague",
        error_messages={"required": "Choose who you recognise."},
    )
    message = forms.CharField(
        label="What do you recognise them for?",
        max_length=2000,
        widget=forms.Textarea(attrs=TEXTAREA),
        error_messages={"required": "Say what you recognise them for."},
    )

    def __init__(self, *args: Any, people: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["receiver"].queryset = people  # type: ignore[attr-defined]


class AssignmentForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200)
    owner = PersonChoiceField(
        label="Owner",
        queryset=Person.objects.none(),
        empty_label="Choose who does it",
        error_messages={"required": "Choose who does it."},
    )
    tactic = forms.ModelChoiceField(
        label="Tactic", queryset=Tactic.objects.none(), required=False, empty_label="None"
    )
    instructions = forms.CharField(
        label="Instructions",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text="What to do and how; clear instructions are part of good delegation.",
    )
    acceptance_criteria = forms.CharField(
        label="Done when",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="How you'll both know it is done.",
    )
    due = forms.DateField(
        label="Due date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, people: Any = None, tactics: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["owner"].queryset = people  # type: ignore[attr-defined]
        if tactics is not None:
            self.fields["tactic"].queryset = tactics  # type: ignore[attr-defined]


class KPIValueForm(forms.Form):
    kpi = forms.ModelChoiceField(label="KPI", queryset=KPI.objects.none())
    day = forms.DateField(
        label="Date", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    value = forms.FloatField(label="Value")

    def __init__(self, *args: Any, kpis: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if kpis is not None:
            self.fields["kpi"].queryset = kpis  # type: ignore[attr-defined]


class IdeaForm(forms.Form):
    title = forms.CharField(
        label="Your idea in one line",
        max_length=200,
        error_messages={"required": "Give your idea a title."},
    )
    description = forms.CharField(
        label="Why it matters and how it could work",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        label="Comment",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Write a comment first."},
    )


class PromoteForm(forms.Form):
    key = forms.SlugField(
        label="Initiative key",
        max_length=64,
        help_text="A short id for plan files, like eco-line.",
    )
    owner = PersonChoiceField(
        label="Owner", queryset=Person.objects.none(), required=False, empty_label="Decide later"
    )

    def __init__(self, *args: Any, people: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["owner"].queryset = people  # type: ignore[attr-defined]


class PlanImportForm(forms.Form):
    file = forms.FileField(
        label="Plan file",
        help_text="YAML or .xlsx, as the exports write them.",
        error_messages={"required": "Choose a plan file to upload."},
        widget=forms.ClearableFileInput(attrs={"accept": ".yaml,.yml,.txt,.xlsx"}),
    )


class DigestForm(forms.Form):
    daily_digest = forms.BooleanField(
        label="Send me one e-mail a day instead of one per event", required=False
    )

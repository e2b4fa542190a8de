from __future__ import annotations

import datetime
from typing import Any

from django import forms

from execution2.assessments.choices import CycleKind


class CycleForm(forms.Form):
    name = forms.CharField(max_length=200, help_text="A name people recognise, e.g. Spring 2026.")
    kind = forms.ChoiceField(
        choices=CycleKind.choices,
        initial=CycleKind.UPWARD,
        help_text="Upward: direct reports rate their manager. 360: self, manager, peers and "
        "direct reports. Pulse: everyone rates management in general.",
    )
    opens_on = forms.DateField(
        label="Opens on",
        widget=forms.DateInput(attrs={"type": "date"}),
        initial=datetime.date.today,
    )
    closes_on = forms.DateField(label="Closes on", widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", "The cycle must close on or after the day it opens.")
        return data


class ResponsesFileForm(forms.Form):
    file = forms.FileField(
        label="Answers file",
        help_text="CSV or XLSX, one row per response: subject_id, rater_group, one column per "
        "item key, then keep_doing and change.",
    )


class ActionItemForm(forms.Form):
    text = forms.CharField(label="Action", max_length=500)
    owner = forms.ChoiceField(label="Owner", required=False)
    due_on = forms.DateField(
        label="Due", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, owners: list[tuple[str, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "The manager"), *(owners or [])]

"""Forms of the listening pages."""

from __future__ import annotations

from typing import Any

from django import forms

from execution2.listening.models import SentimentLabelValue


class UploadForm(forms.Form):
    file = forms.FileField(
        label="File",
        help_text="CSV, JSON lines or Parquet.",
        widget=forms.ClearableFileInput(
            attrs={"accept": ".csv,.txt,.tsv,.jsonl,.ndjson,.json,.parquet"}
        ),
    )

    channel = forms.CharField(
        required=False,
        max_length=40,
        label="Channel",
        help_text="For files without a channel column: where the posts come from, e.g. twitter.",
    )


class LabelFileForm(forms.Form):
    file = forms.FileField(
        label="Labelled file",
        help_text="CSV or XLSX with a label column (negative, neutral, positive) and id or text.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
    )


class BrandForm(forms.Form):
    name = forms.CharField(max_length=100)
    aliases = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Other names, @handles and #hashtags, separated by commas.",
    )
    own = forms.BooleanField(label="This is our brand", required=False)
    match_case = forms.BooleanField(
        label="Match case (for names that are also ordinary words)", required=False
    )


class AnalyzeForm(forms.Form):
    since = forms.DateField(
        required=False,
        label="Only posts from",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave empty to analyse every imported post.",
    )
    themes = forms.IntegerField(min_value=2, max_value=60, initial=20, label="Number of themes")


class LabelForm(forms.Form):
    key = forms.CharField(max_length=64)
    label = forms.ChoiceField(choices=SentimentLabelValue.choices)


class ThemeRenameForm(forms.Form):
    name = forms.CharField(max_length=120, label="Name")


class ThemeMergeForm(forms.Form):
    into = forms.TypedChoiceField(coerce=int, label="Merge into", choices=())

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["into"].choices = choices  # type: ignore[attr-defined]


class ThemeLinkForm(forms.Form):
    opportunity = forms.TypedChoiceField(
        coerce=int, label="Opportunity", choices=(), required=False, empty_value=None
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["opportunity"].choices = [("", "No opportunity"), *choices]  # type: ignore[attr-defined]

"""Forms of the network pages."""

from __future__ import annotations

from django import forms


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Event file",
        help_text=(
            "CSV, JSON lines or Parquet, one row per message, meeting or call; or a Slack "
            "export (zip) or an Exchange Online message trace (CSV), detected from the file."
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".csv,.txt,.jsonl,.ndjson,.json,.parquet,.zip"}
        ),
    )


class AnalyzeForm(forms.Form):
    as_of = forms.DateField(
        required=False,
        label="Window ends on",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave empty to end on the day of the latest imported event.",
    )
    window_days = forms.IntegerField(min_value=7, max_value=730, initial=90, label="Window in days")
    min_interactions = forms.IntegerField(
        min_value=1,
        max_value=50,
        initial=2,
        label="Interactions that make a tie",
        help_text="Two people count as connected when they interacted at least this often.",
    )

"""Forms of the organization pages: early errors next to the field; the services check again."""

from __future__ import annotations

import codecs
from typing import Any

from django import forms
from django.conf import settings

from execution2.core.tabular import parse_column_map
from execution2.core.uploads import upload_limit_message
from execution2.orgs.choices import Role
from execution2.orgs.models import ANONYMITY_FLOOR


class PeopleImportForm(forms.Form):
    file = forms.FileField(
        label="People file",
        help_text="CSV (comma, semicolon or tab separated) or XLSX; the first row holds the "
        "column names.",
        error_messages={"required": "Choose a file to upload."},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.tsv,.xlsx,.xlsm"}),
    )
    columns = forms.CharField(
        label="Column names in your file",
        required=False,
        max_length=2000,
        help_text="Only when your file names its columns differently, e.g. "
        "id=EmployeeNumber,name=Full Name",
    )
    date_format = forms.CharField(
        label="Date format",
        required=False,
        max_length=40,
        help_text="Only when the dates are ambiguous, e.g. %d/%m/%Y (day first) or %m/%d/%Y.",
    )
    encoding = forms.CharField(
        label="Text encoding",
        initial="utf-8-sig",
        required=False,
        max_length=40,
        help_text="For CSV files saved by older software, e.g. cp1252 or latin-1.",
    )
    effective_date = forms.DateField(
        label="Changes take effect on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Moves, new managers and leavers are dated on this day. Empty: today.",
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.EXECUTION2_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(upload_limit_message())
        return upload

    def clean_columns(self) -> dict[str, str]:
        try:
            return parse_column_map(self.cleaned_data.get("columns"))
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None

    def clean_encoding(self) -> str:
        encoding = (self.cleaned_data.get("encoding") or "").strip() or "utf-8-sig"
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise forms.ValidationError(
                f"{encoding!r} is not an encoding we know; try utf-8, cp1252 or latin-1."
            ) from None
        return encoding

    def clean_date_format(self) -> str | None:
        value = (self.cleaned_data.get("date_format") or "").strip()
        if value and "%" not in value:
            raise forms.ValidationError("Write the format with % codes, e.g. %d/%m/%Y.")
        return value or None


class MemberAddForm(forms.Form):
    email = forms.EmailField(
        label="E-mail address",
        max_length=254,
        error_messages={"invalid": "Enter an e-mail address like name@example.com."},
    )
    role = forms.ChoiceField(label="Role", choices=Role.choices, initial=Role.MEMBER)


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label="Role", choices=Role.choices)


class OrganizationSettingsForm(forms.Form):
    name = forms.CharField(label="Organization name", max_length=200)
    min_group = forms.IntegerField(
        label="Smallest group shown",
        min_value=5,
        max_value=1000,
        help_text="A score is shown for a group only when at least this many people answered. "
        "It can be raised above 5, never lowered.",
    )
    min_direct_reports = forms.IntegerField(
        label="Smallest direct-report group shown",
        min_value=ANONYMITY_FLOOR,
        max_value=1000,
        help_text=f"A manager's direct-report scores need this many answers "
        f"(at least {ANONYMITY_FLOOR}).",
    )
    min_comments = forms.IntegerField(
        label="Smallest group whose comments are shown",
        min_value=ANONYMITY_FLOOR,
        max_value=1000,
        help_text=f"Comments are shown only for groups at least this big (at least "
        f"{ANONYMITY_FLOOR}).",
    )


class OrganizationCreateForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200, help_text="As the client calls itself.")
    slug = forms.SlugField(
        label="Short name for addresses",
        max_length=64,
        help_text="Lowercase letters, digits and hyphens; its pages live at /o/<short name>/.",
    )

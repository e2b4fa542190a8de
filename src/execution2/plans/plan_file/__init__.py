"""The plan as a YAML file: reading with line numbers, checking, importing and exporting."""

from execution2.plans.plan_file.export import plan_document, plan_export
from execution2.plans.plan_file.io import (
    PlanImportResult,
    plan_check,
    plan_import,
)
from execution2.plans.plan_file.snapshot import plan_version_create
from execution2.plans.plan_file.xlsx import plan_xlsx

__all__ = [
    "PlanImportResult",
    "plan_check",
    "plan_document",
    "plan_export",
    "plan_import",
    "plan_version_create",
    "plan_xlsx",
]

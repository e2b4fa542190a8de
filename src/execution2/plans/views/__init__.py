"""The plan's pages."""

from execution2.plans.views.files import plan_download, plan_file, plan_versions
from execution2.plans.views.ideas import idea_detail, ideas
from execution2.plans.views.overview import delegation, delegation_person, portfolio
from execution2.plans.views.tree import (
    assignment_new,
    initiative_assignments,
    initiative_detail,
    plan_tree,
)
from execution2.plans.views.work import assignment_detail, my_work

__all__ = [
    "assignment_detail",
    "assignment_new",
    "delegation",
    "delegation_person",
    "idea_detail",
    "ideas",
    "initiative_assignments",
    "initiative_detail",
    "my_work",
    "plan_download",
    "plan_file",
    "plan_tree",
    "plan_versions",
    "portfolio",
]

"""The plan's pages."""

from execution2.plans.views.assignment import (
    assignment_acknowledge,
    assignment_blocker_escalate,
    assignment_blocker_raise,
    assignment_blocker_resolve,
    assignment_checkin,
    assignment_detail,
    assignment_drop,
    assignment_recognise,
)
from execution2.plans.views.files import plan_download, plan_file, plan_version_save, plan_versions
from execution2.plans.views.ideas import (
    idea_close_view,
    idea_comment,
    idea_detail,
    idea_promote_view,
    idea_vote,
    ideas,
)
from execution2.plans.views.overview import delegation, delegation_person, portfolio
from execution2.plans.views.tree import (
    assignment_new,
    initiative_assignments,
    initiative_detail,
    initiative_kpi_value,
    plan_tree,
)
from execution2.plans.views.work import my_work, my_work_digest, my_work_recognise

__all__ = [
    "assignment_acknowledge",
    "assignment_blocker_escalate",
    "assignment_blocker_raise",
    "assignment_blocker_resolve",
    "assignment_checkin",
    "assignment_detail",
    "assignment_drop",
    "assignment_new",
    "assignment_recognise",
    "delegation",
    "delegation_person",
    "idea_close_view",
    "idea_comment",
    "idea_detail",
    "idea_promote_view",
    "idea_vote",
    "ideas",
    "initiative_assignments",
    "initiative_detail",
    "initiative_kpi_value",
    "my_work",
    "my_work_digest",
    "my_work_recognise",
    "plan_download",
    "plan_file",
    "plan_tree",
    "plan_version_save",
    "plan_versions",
    "portfolio",
]

"""Who may change which part of the plan, the optimistic version check, and the parent cycle
check: the rules every edit of the plan goes through, from the pages and from the API alike."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F

from execution2.orgs.choices import Role, role_at_least
from execution2.orgs.models import AuditEvent, Membership, Organization
from execution2.plans.models import Initiative, Opportunity

EDIT_ACTION = "plan.edit"


def plan_may_edit(*, membership: Membership) -> bool:
    """Admins and executives change the plan itself: opportunities and initiatives."""
    return role_at_least(membership.role, Role.EXECUTIVE)


def initiative_may_edit_parts(*, membership: Membership, initiative: Initiative) -> bool:
    """An initiative's KPIs, tactics, resources, returns and delegation: also its owner's."""
    if plan_may_edit(membership=membership):
        return True
    return membership.person_id is not None and membership.person_id == initiative.owner_id


def require_plan_editor(membership: Membership) -> None:
    if not plan_may_edit(membership=membership):
        raise PermissionDenied("Only admins and executives change the plan.")


def require_parts_editor(membership: Membership, initiative: Initiative) -> None:
    if not initiative_may_edit_parts(membership=membership, initiative=initiative):
        raise PermissionDenied(
            "Only admins, executives and the initiative's owner change an initiative's parts."
        )


def same_organization(organization: Organization, *objects: Any) -> None:
    for obj in objects:
        if obj is not None and obj.organization_id != organization.pk:
            raise ValidationError("That belongs to another organization.")


@dataclass(frozen=True, slots=True)
class ChangeSince:
    who: str
    what: str
    fields: tuple[str, ...]
    version: int

    def __str__(self) -> str:
        fields = f" ({', '.join(self.fields)})" if self.fields else ""
        return f"{self.who}: {self.what}{fields}, version {self.version}"


class StaleEdit(ValidationError):
    """Someone saved the same thing after this edit was opened: the edit is refused whole, and
    says who changed what, so the editor can compare and save again (nothing is lost: the
    other save stands, and this one's values stay in the form)."""

    def __init__(self, *, label: str, opened: int, current: int, changes: list[ChangeSince]):
        self.opened = opened
        self.current = current
        self.changes = changes
        told = "; ".join(str(c) for c in changes) or "someone changed it"
        super().__init__(
            f"{label} changed since you opened it (version {opened}, now {current}): {told}. "
            "Your changes are not saved yet: check them against the current values and save "
            "again."
        )


def changes_since(
    *, organization: Organization, what: str, object_id: int, opened: int
) -> list[ChangeSince]:
    """The audited edits of an initiative (or opportunity) made after version `opened`."""
    events = AuditEvent.objects.filter(
        organization=organization, action=EDIT_ACTION, **{f"detail__{what}_id": object_id}
    )
    found = []
    for event in events.order_by("created_at", "id"):
        version = event.detail.get("version", 0)
        if isinstance(version, int) and version > opened:
            found.append(
                ChangeSince(
                    who=event.actor_label or "someone",
                    what=str(event.detail.get("change", "it")),
                    fields=tuple(event.detail.get("fields", ())),
                    version=version,
                )
            )
    return found


def claim_version(obj: Initiative | Opportunity, opened_version: int, label: str) -> int:
    """Raise the version of the row from the one the editor opened, or refuse with what changed.

    One conditional UPDATE does it: of two saves opened at the same version, the database lets
    exactly one through, on SQLite and PostgreSQL alike. The caller's transaction rolls it back
    if the rest of the edit fails.
    """
    model = type(obj)
    claimed = model.objects.filter(pk=obj.pk, version=opened_version).update(
        version=F("version") + 1
    )
    current = model.objects.filter(pk=obj.pk).values_list("version", flat=True).first() or 0
    if not claimed:
        what = "initiative" if isinstance(obj, Initiative) else "opportunity"
        raise StaleEdit(
            label=label,
            opened=opened_version,
            current=current,
            changes=changes_since(
                organization=obj.organization, what=what, object_id=obj.pk, opened=opened_version
            ),
        )
    obj.version = current
    return current


def refuse_parent_cycle(initiative: Initiative, parents: list[Initiative]) -> None:
    """Refuse parents that would make the initiative its own ancestor, naming the loop."""
    if initiative.pk is None:
        return  # a new initiative has no children yet, so no loop can close through it
    edges: dict[int, list[int]] = {}
    for child, parent in Initiative.parents.through.objects.filter(
        from_initiative__organization_id=initiative.organization_id
    ).values_list("from_initiative_id", "to_initiative_id"):
        if child != initiative.pk:
            edges.setdefault(child, []).append(parent)
    edges[initiative.pk] = [p.pk for p in parents]
    titles = dict(
        Initiative.objects.filter(organization_id=initiative.organization_id).values_list(
            "pk", "title"
        )
    )

    seen: set[int] = set()

    def path_up(node: int, trail: list[int]) -> list[int] | None:
        for parent in edges.get(node, []):
            if parent == initiative.pk:
                return [*trail, parent]
            if parent not in seen:
                seen.add(parent)
                if found := path_up(parent, [*trail, parent]):
                    return found
        return None

    loop = path_up(initiative.pk, [initiative.pk])
    if loop:
        names = " → ".join(titles.get(pk, initiative.title) for pk in loop)
        raise ValidationError({"parents": f"That would make a cycle: {names}."})

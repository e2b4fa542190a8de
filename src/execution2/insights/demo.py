"""The demo's last step: the Execution Index as of today, so the dashboard opens with a story.

The other steps plant the story (`analytics.synth.story`): a strong plan, a marketing trap,
one siloed function and a weak delegation culture in one division. This step computes the
index of the organization and every unit over that data, the way an admin's "compute" button
does, and sums up what the dashboard will show in one line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from execution2.analytics.synth import SyntheticOrganization
from execution2.insights.models import ScopeIndex
from execution2.insights.services import index_compute
from execution2.orgs.models import Organization


def demo_extend(
    *,
    organization: Organization,
    company: SyntheticOrganization,
    seed: int,
    progress: Callable[[str, int, int], None] | None = None,
    compute: bool = True,
    **_: Any,
) -> str:
    """`compute=False` (step option) leaves the index to be computed later: the benchmark times
    that computation on its own."""
    if not compute:
        return "Execution Index: not computed yet."
    run = index_compute(organization=organization, progress=progress)
    scope = ScopeIndex.objects.filter(run=run, unit__isnull=True).first()
    payload = scope.payload if scope is not None else {}
    return f"Execution Index as of {run.as_of:%Y-%m-%d}: " + index_headline(payload) + "."


def index_headline(payload: dict[str, Any]) -> str:
    """Index, interval, top priority and fired risks of one stored scope, in one line."""
    index = payload.get("index")
    if index is None:
        return "no index (no data to rest it on)"
    interval = payload.get("interval") or {}
    low, high = interval.get("low"), interval.get("high")
    parts = [f"{index:.0f}" + (f" (90% {low:.0f}-{high:.0f})" if low is not None else "")]
    priorities = payload.get("priorities") or []
    if priorities:
        top = priorities[0]
        parts.append(f"top priority {top['title']} ({top['score']:.0f}, gap {top['gap']:.0f})")
    fired = [risk["title"] for risk in payload.get("risks") or [] if risk.get("fired")]
    parts.append("risks: " + (", ".join(fired) if fired else "none fired"))
    return "; ".join(parts)

"""The API's operations, one module per capability; `register` mounts them on the API."""

from __future__ import annotations

from ninja import NinjaAPI


def register(api: NinjaAPI) -> None:
    from execution2.api.endpoints import analyses, cycles, index, jobs, orgs, plan

    api.add_router("/", orgs.router)
    api.add_router("/", plan.router)
    api.add_router("/", cycles.router)
    api.add_router("/", analyses.router)
    api.add_router("/", index.router)
    api.add_router("/", jobs.router)

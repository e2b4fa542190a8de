"""Network and listening: their latest results, and their imports and analyses as jobs.

The figures are the ones the pages show, read from the stored results. People appear only
where the pages show them: brokers and isolates for admins.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from pydantic import Field

from execution2.api.auth import ApiContext, org_context
from execution2.api.endpoints.common import JobOut, job_out
from execution2.core.jobs import job_submit
from execution2.listening import selectors as listening_selectors
from execution2.network import selectors as network_selectors
from execution2.network.models import NetworkSnapshot
from execution2.orgs.choices import Role

router = Router(tags=["network and listening"])


class NetworkOut(Schema):
    as_of: datetime.date
    window_days: int
    min_interactions: int
    people: int
    ties: int
    computed_at: datetime.datetime
    summary: dict[str, Any]
    silos: list[dict[str, Any]]


class NetworkUnitsOut(Schema):
    as_of: datetime.date
    units: list[dict[str, Any]]


class NetworkTrendsOut(Schema):
    as_of: datetime.date
    organization: Any
    units: dict[str, Any]


class PersonFigure(Schema):
    person_id: int
    name: str
    figures: dict[str, Any]


class NetworkPeopleOut(Schema):
    as_of: datetime.date
    brokers: list[PersonFigure]
    isolates: list[PersonFigure]


class NetworkAnalyzeIn(Schema):
    as_of: datetime.date | None = None
    window_days: int = Field(90, ge=7, le=3650)
    min_interactions: int = Field(2, ge=1, le=100)


class ListeningOut(Schema):
    computed_at: datetime.datetime
    since: datetime.date | None
    posts: int
    sentiment_source: str
    start: str | None
    end: str | None
    brands: list[Any]
    channels: list[Any]


class ThemeOut(Schema):
    id: int
    name: str
    terms: list[str]
    pinned: bool
    posts: int
    positive: int
    neutral: int
    negative: int
    net_sentiment: float | None
    opportunity_id: int | None


class ListeningTrendsOut(Schema):
    by_day: list[Any]
    brand_by_week: Any
    share_by_channel: Any


class SpikeOut(Schema):
    label: str
    series: str
    details: dict[str, Any]


class ListeningAnalyzeIn(Schema):
    since: datetime.date | None = None
    themes: int = Field(20, ge=2, le=60)


def _snapshot(ctx: ApiContext) -> NetworkSnapshot:
    snapshot = network_selectors.latest_snapshot(organization=ctx.organization)
    if snapshot is None:
        raise Http404("No network analysis yet.")
    return snapshot


def _run(ctx: ApiContext) -> Any:
    run = listening_selectors.latest_run(ctx.organization)
    if run is None:
        raise Http404("No listening analysis yet.")
    return run


def _submitted(ctx: ApiContext, kind: str, label: str, params: dict[str, Any], **extra: Any) -> Any:
    job = job_submit(
        organization=ctx.organization,
        kind=kind,
        label=label,
        params=params,
        actor=ctx.user,
        **extra,
    )
    job.refresh_from_db()
    return 202, job_out(job)


# --- network ------------------------------------------------------------------------------------


@router.get("/orgs/{org_slug}/network", response=NetworkOut, summary="Latest network analysis")
def network(request: HttpRequest, org_slug: str) -> dict[str, Any]:
    snapshot = _snapshot(org_context(request, org_slug))
    results = snapshot.results or {}
    return {
        "as_of": snapshot.as_of,
        "window_days": snapshot.window_days,
        "min_interactions": snapshot.min_interactions,
        "people": snapshot.people,
        "ties": snapshot.ties,
        "computed_at": snapshot.created_at,
        "summary": results.get("summary") or {},
        "silos": results.get("silos") or [],
    }


@router.get("/orgs/{org_slug}/network/units", response=NetworkUnitsOut, summary="Network per unit")
def network_units(request: HttpRequest, org_slug: str) -> dict[str, Any]:
    snapshot = _snapshot(org_context(request, org_slug))
    return {"as_of": snapshot.as_of, "units": (snapshot.results or {}).get("units") or []}


@router.get(
    "/orgs/{org_slug}/network/trends", response=NetworkTrendsOut, summary="Network per month"
)
def network_trends(request: HttpRequest, org_slug: str) -> dict[str, Any]:
    snapshot = _snapshot(org_context(request, org_slug))
    results = snapshot.results or {}
    return {
        "as_of": snapshot.as_of,
        "organization": results.get("trends") or [],
        "units": results.get("unit_trends") or {},
    }


@router.get(
    "/orgs/{org_slug}/network/people",
    response=NetworkPeopleOut,
    summary="Brokers and isolates (admins only, as on the pages)",
)
def network_people(request: HttpRequest, org_slug: str) -> dict[str, Any]:
    ctx = org_context(request, org_slug, Role.ADMIN, export=True)
    snapshot = _snapshot(ctx)
    sensitive = snapshot.brokers or {}
    brokers = sensitive.get("brokers", [])
    isolates = sensitive.get("isolates", [])
    ids = [b["person_id"] for b in brokers] + list(isolates)
    names = network_selectors.people_names(organization=ctx.organization, person_ids=ids)

    def name(person_id: int) -> str:
        found = names.get(person_id)
        return str(getattr(found, "name", found) or "")

    return {
        "as_of": snapshot.as_of,
        "brokers": [
            {
                "person_id": b["person_id"],
                "name": name(b["person_id"]),
                "figures": {k: v for k, v in b.items() if k != "person_id"},
            }
            for b in brokers
            if b["person_id"] in names
        ],
        "isolates": [
            {"person_id": p, "name": name(p), "figures": {}} for p in isolates if p in names
        ],
    }


@router.post(
    "/orgs/{org_slug}/network/imports",
    response={202: JobOut},
    summary="Import collaboration events (CSV, JSON lines, Parquet), as a job",
)
def network_import(
    request: HttpRequest, org_slug: str, file: File[UploadedFile]
) -> tuple[int, dict[str, Any]]:
    ctx = org_context(request, org_slug, Role.ADMIN)
    return _submitted(  # type: ignore[no-any-return]
        ctx, "network.import", f"Import collaboration events from {file.name}", {}, upload=file
    )


@router.post(
    "/orgs/{org_slug}/network/analyses",
    response={202: JobOut},
    summary="Analyse the network, as a job",
)
def network_analyze(
    request: HttpRequest, org_slug: str, payload: NetworkAnalyzeIn
) -> tuple[int, dict[str, Any]]:
    ctx = org_context(request, org_slug, Role.ADMIN)
    params = {
        "as_of": payload.as_of.isoformat() if payload.as_of else None,
        "window_days": payload.window_days,
        "min_interactions": payload.min_interactions,
    }
    return _submitted(ctx, "network.analyze", "Analyse the collaboration network", params)  # type: ignore[no-any-return]


# --- listening ----------------------------------------------------------------------------------


@router.get("/orgs/{org_slug}/listening", response=ListeningOut, summary="Latest listening run")
def listening(request: HttpRequest, org_slug: str) -> dict[str, Any]:
    run = _run(org_context(request, org_slug))
    summary = run.summary or {}
    return {
        "computed_at": run.created_at,
        "since": run.since,
        "posts": run.posts,
        "sentiment_source": run.sentiment_source,
        "start": summary.get("start"),
        "end": summary.get("end"),
        "brands": summary.get("brands") or [],
        "channels": summary.get("channels") or [],
    }


@router.get(
    "/orgs/{org_slug}/listening/trends", response=ListeningTrendsOut, summary="Listening over time"
)
def listening_trends(request: HttpRequest, org_slug: str) -> dict[str, Any]:
    summary = _run(org_context(request, org_slug)).summary or {}
    return {
        "by_day": summary.get("by_day") or [],
        "brand_by_week": summary.get("brand_by_week") or [],
        "share_by_channel": summary.get("share_by_channel") or [],
    }


@router.get("/orgs/{org_slug}/listening/themes", response=list[ThemeOut], summary="Themes")
def listening_themes(request: HttpRequest, org_slug: str) -> list[dict[str, Any]]:
    ctx = org_context(request, org_slug)
    return [
        {
            "id": view.theme.pk,
            "name": view.theme.name,
            "terms": [str(t) for t in view.terms],
            "pinned": view.theme.pinned,
            "posts": view.size,
            "positive": view.positive,
            "neutral": view.neutral,
            "negative": view.negative,
            "net_sentiment": view.net,
            "opportunity_id": view.theme.opportunity_id,
        }
        for view in listening_selectors.theme_views(ctx.organization)
    ]


@router.get("/orgs/{org_slug}/listening/spikes", response=list[SpikeOut], summary="Spikes")
def listening_spikes(request: HttpRequest, org_slug: str) -> list[dict[str, Any]]:
    ctx = org_context(request, org_slug)
    out = []
    for spike in listening_selectors.spikes(ctx.organization):
        details = {
            k: v
            for k, v in spike.items()
            if k not in ("label", "series", "drivers", "also")
            and isinstance(v, str | int | float | bool | list | dict | type(None))
        }
        details["drivers"] = [
            {"name": d["name"], "count": d["count"], "lift": d.get("lift")}
            for d in spike.get("drivers", [])
        ]
        out.append(
            {"label": str(spike["label"]), "series": str(spike["series"]), "details": details}
        )
    return out


@router.post(
    "/orgs/{org_slug}/listening/imports",
    response={202: JobOut},
    summary="Import conversations (CSV, JSON lines, Parquet), as a job",
)
def listening_import(
    request: HttpRequest,
    org_slug: str,
    file: File[UploadedFile],
    channel: Form[str] = "",  # type: ignore[assignment]
) -> tuple[int, dict[str, Any]]:
    ctx = org_context(request, org_slug, Role.ADMIN)
    params = {"channel": channel.strip().lower()[:40] or None}
    return _submitted(  # type: ignore[no-any-return]
        ctx, "listening.import", f"Import conversations from {file.name}", params, upload=file
    )


@router.post(
    "/orgs/{org_slug}/listening/analyses",
    response={202: JobOut},
    summary="Analyse the conversations, as a job",
)
def listening_analyze(
    request: HttpRequest, org_slug: str, payload: ListeningAnalyzeIn
) -> tuple[int, dict[str, Any]]:
    ctx = org_context(request, org_slug, Role.ADMIN)
    params = {
        "since": payload.since.isoformat() if payload.since else None,
        "n_themes": payload.themes,
    }
    return _submitted(ctx, "listening.analyze", "Analyse the conversations", params)  # type: ignore[no-any-return]

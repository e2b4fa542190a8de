"""Generate, import and analyse collaboration events at scale; print one JSON object.

Phases: generating the synthetic company and importing its people (setup), generating the
events file (Parquet), importing it (`network import`), and the analysis (`network analyze`:
every metric of design.md 4.3 for a 90-day window, with Leiden and Louvain communities, sampled
betweenness, unit metrics and the monthly trends). The baseline is the same metrics computed
with networkx on a smaller organization (`--baseline-people`) in the same process, compared
with our analysis of that same organization: the speed-up is their ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def write_events(company: Any, path: Path, seed: int, events: int, days: int) -> int:
    import pyarrow.parquet as pq

    from execution2.analytics.synth.network import EVENT_SCHEMA, generate_events

    written = 0
    with pq.ParquetWriter(str(path), EVENT_SCHEMA, compression="snappy") as writer:
        for table in generate_events(company, seed=seed, events=events, days=days):
            writer.write_table(table)
            written += table.num_rows
    return written


def setup_organization(slug: str, people: int, seed: int) -> tuple[Any, Any]:
    import io

    from execution2.analytics.synth import generate_organization
    from execution2.orgs.demo import synthetic_people_csv
    from execution2.orgs.people_import import people_import
    from execution2.orgs.services import organization_create

    company = generate_organization(people=people, seed=seed)
    organization = organization_create(slug=slug, name=company.name)
    people_import(
        organization=organization,
        source=io.BytesIO(synthetic_people_csv(company)),
        file_name=f"{slug}.csv",
    )
    return company, organization


def networkx_baseline(organization: Any, as_of: Any, samples: int, seed: int) -> dict[str, Any]:
    """The straightforward way: the same metrics with networkx, from the same stored events."""
    import datetime

    import networkx as nx
    import numpy as np

    from execution2.network import store
    from execution2.network.models import EventStore
    from execution2.network.selectors import chart_history

    started = time.perf_counter()
    chart = chart_history(organization=organization).as_of(as_of)
    generation = EventStore.objects.get(organization=organization).generation
    start = as_of - datetime.timedelta(days=89)
    senders, recipients, counts = store.pair_counts(
        organization.pk, generation, start, as_of + datetime.timedelta(days=1)
    )
    people = [int(p) for p in chart.person_ids]
    unit_of = {p: int(chart.unit[i]) for i, p in enumerate(people)}
    directed = nx.DiGraph()
    directed.add_nodes_from(people)
    undirected_counts: dict[tuple[int, int], int] = {}
    for s, r, c in zip(senders.tolist(), recipients.tolist(), counts.tolist(), strict=True):
        if s == r or s not in unit_of or r not in unit_of:
            continue
        directed.add_edge(s, r)
        key = (min(s, r), max(s, r))
        undirected_counts[key] = undirected_counts.get(key, 0) + c
    graph = nx.Graph()
    graph.add_nodes_from(people)
    graph.add_edges_from(key for key, c in undirected_counts.items() if c >= 2)
    n, m = graph.number_of_nodes(), graph.number_of_edges()
    tie_arcs = directed.edge_subgraph([(a, b) for a, b in directed.edges if graph.has_edge(a, b)])
    results: dict[str, Any] = {
        "density": nx.density(graph),
        "average_degree": 2 * m / n,
        "isolate_share": nx.number_of_isolates(graph) / n,
        "largest_component_share": max(len(c) for c in nx.connected_components(graph)) / n,
        "reciprocity": nx.overall_reciprocity(tie_arcs),
    }
    crossing = sum(1 for a, b in graph.edges if unit_of[a] != unit_of[b])
    results["cross_unit_share"] = crossing / m
    results["ei_index"] = (crossing - (m - crossing)) / m
    groups: dict[int, set[int]] = {}
    for person, unit in unit_of.items():
        groups.setdefault(unit, set()).add(person)
    results["unit_modularity"] = nx.community.modularity(graph, groups.values())
    communities = nx.community.louvain_communities(graph, seed=seed)
    results["louvain_modularity"] = nx.community.modularity(graph, communities)
    betweenness = nx.betweenness_centrality(graph, k=min(samples, n), seed=seed)
    results["top_broker_betweenness"] = max(betweenness.values())
    top = [p for i, p in enumerate(people) if chart.manager[i] < 0]
    team = set(top) | {
        p for i, p in enumerate(people) if chart.manager[i] >= 0 and people[chart.manager[i]] in top
    }
    lengths = nx.multi_source_dijkstra_path_length(graph, team, weight=None)
    hops = np.array([d for p, d in lengths.items() if p not in team], dtype=float)
    results["reach_mean"] = float(hops.mean()) if len(hops) else None
    for unit_members in groups.values():  # per-unit E-I, as a user would loop over units
        inside = outside = 0
        for person in unit_members:
            for other in graph[person]:
                if other in unit_members:
                    inside += 1
                else:
                    outside += 1
    results["seconds"] = time.perf_counter() - started
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=20_000_000)
    parser.add_argument("--days", type=int, default=180)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--samples", type=int, default=256)
    parser.add_argument("--baseline-people", type=int, default=10_000)
    parser.add_argument("--no-baseline", action="store_true")
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="e2-bench-network-")
    os.environ["EXECUTION2_DATA_DIR"] = data_dir
    os.environ["DATABASE_URL"] = ""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "execution2.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from execution2.analytics.network import NetworkSettings
    from execution2.network.services import events_import, network_analyze

    call_command("migrate", interactive=False, verbosity=0)
    phases: dict[str, float] = {}
    settings = NetworkSettings(betweenness_samples=args.samples, seed=args.seed)

    log(f"setting up {args.people:,} people")
    started = time.perf_counter()
    company, organization = setup_organization("bench", args.people, args.seed)
    phases["setup_people_s"] = time.perf_counter() - started

    log(f"generating {args.events:,} events")
    events_file = Path(data_dir) / "events.parquet"
    started = time.perf_counter()
    written = write_events(company, events_file, args.seed, args.events, args.days)
    phases["generate_s"] = time.perf_counter() - started
    del company

    log("importing")
    started = time.perf_counter()
    imported = events_import(organization=organization, source=events_file)
    phases["import_s"] = time.perf_counter() - started
    log(imported.summary())

    log("analysing")
    started = time.perf_counter()
    outcome = network_analyze(organization=organization, settings=settings)
    phases["analysis_s"] = time.perf_counter() - started
    summary = outcome.analysis.summary
    log(f"{summary.people:,} people, {summary.ties:,} ties; {outcome.seconds}")
    peak = peak_rss_mb()

    result: dict[str, Any] = {
        "benchmark": "network",
        "params": {
            "people": args.people,
            "events": written,
            "events_requested": args.events,
            "days": args.days,
            "window_days": outcome.window.days,
            "betweenness_samples": args.samples,
            "seed": args.seed,
            "file_format": "parquet",
            "cores": os.cpu_count(),
        },
        "phases": {key: round(value, 2) for key, value in phases.items()},
        "analysis_detail": {
            key: round(value, 2) for key, value in outcome.seconds.items() if key.endswith("_s")
        },
        "counts": {
            "interactions_stored": imported.interactions_total,
            "nodes": summary.people,
            "ties": summary.ties,
            "trend_months": len(outcome.trends),
        },
        "total_s": round(sum(v for k, v in phases.items() if k != "setup_people_s"), 2),
        "peak_rss_mb": peak,
    }

    if not args.no_baseline:
        per_person = args.events / args.people
        small_events = int(per_person * args.baseline_people)
        log(f"baseline: {args.baseline_people:,} people, {small_events:,} events")
        small_company, small_org = setup_organization("baseline", args.baseline_people, args.seed)
        small_file = Path(data_dir) / "baseline-events.parquet"
        write_events(small_company, small_file, args.seed, small_events, args.days)
        events_import(organization=small_org, source=small_file)
        started = time.perf_counter()
        ours = network_analyze(organization=small_org, settings=settings, trends=False, save=False)
        ours_s = time.perf_counter() - started
        log("networkx on the same data")
        theirs = networkx_baseline(small_org, ours.window.as_of, args.samples, args.seed)
        result["baseline"] = {
            "name": "networkx",
            "total_s": round(theirs["seconds"], 2),
            "params": {
                "people": args.baseline_people,
                "events": small_events,
                "note": "same metrics for one window, without the monthly trends; ours on the "
                "same organization took ours_s",
            },
            "ours_s": round(ours_s, 2),
            "agreement": {
                "density": [ours.analysis.summary.density, theirs["density"]],
                "unit_modularity": [
                    ours.analysis.summary.unit_modularity,
                    theirs["unit_modularity"],
                ],
                "reciprocity": [ours.analysis.summary.reciprocity, theirs["reciprocity"]],
                "reach_mean": [ours.analysis.summary.reach_mean, theirs["reach_mean"]],
            },
        }
        result["speedup"] = round(theirs["seconds"] / ours_s, 1)
        result["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(result))


if __name__ == "__main__":
    main()

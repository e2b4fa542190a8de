"""Build a large plan in a fresh SQLite database and time its roll-ups; print one JSON object.

Phases: generating the organization and its plan, importing the people, writing the plan
(assignments and check-ins through `core.bulk.insert_rows`), `plan status` for the whole
organization (the roll-up, schedule, ROI and breadth, and its JSON), and the plan tree page
for one unit through Django's test client (with its query count: the page runs a fixed number
of queries, never one per row). The baseline is the straightforward ORM way of rolling up
progress: per initiative, its assignments, and per assignment its latest check-in; it is run
on a named subset of initiatives (all of them would take hours) and compared per initiative.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import json
import os
import resource
import sys
import tempfile
import time


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--initiatives", type=int, default=200)
    parser.add_argument("--assignments", type=int, default=100_000)
    parser.add_argument("--checkins", type=int, default=1_000_000)
    parser.add_argument("--people", type=int, default=25_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--baseline-initiatives", type=int, default=5)
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="e2-bench-plan-")
    os.environ["EXECUTION2_DATA_DIR"] = data_dir
    os.environ["DATABASE_URL"] = ""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "execution2.config.settings")
    import django

    django.setup()
    import io

    import numpy as np
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from execution2.analytics.synth import generate_organization
    from execution2.analytics.synth.plan import DONE, DROPPED, IN_PROGRESS, generate_plan
    from execution2.orgs.demo import synthetic_people_csv
    from execution2.orgs.models import Unit
    from execution2.orgs.people_import import people_import
    from execution2.orgs.services import (
        membership_set,
        organization_create,
        user_get_or_create,
    )
    from execution2.plans.commands import status_json
    from execution2.plans.demo import plan_write
    from execution2.plans.models import Assignment, CheckIn, Initiative
    from execution2.plans.selectors import plan_status

    call_command("migrate", interactive=False, verbosity=0)
    settings.ALLOWED_HOSTS = ["testserver"]
    phases: dict[str, float] = {}
    as_of = datetime.date(2026, 6, 1)

    log(f"generating {args.people} people and a plan of {args.assignments} assignments")
    started = time.perf_counter()
    company = generate_organization(people=args.people, seed=args.seed)
    # Check-ins are spread over the assignments that are under way or done.
    probe = generate_plan(
        company, seed=args.seed, as_of=as_of, assignments=args.assignments,
        initiatives=args.initiatives, checkins_per_assignment=1.0,
    )  # fmt: skip
    status = probe.assignments.status
    active = int(np.count_nonzero((status == IN_PROGRESS) | (status == DONE)))
    plan = generate_plan(
        company, seed=args.seed, as_of=as_of, assignments=args.assignments,
        initiatives=args.initiatives, checkins_per_assignment=args.checkins / max(active, 1),
    )  # fmt: skip
    phases["generate_s"] = time.perf_counter() - started

    organization = organization_create(slug="bench", name=company.name)
    log("importing people")
    started = time.perf_counter()
    people_import(
        organization=organization,
        source=io.BytesIO(synthetic_people_csv(company)),
        file_name="people.csv",
    )
    phases["import_people_s"] = time.perf_counter() - started

    log("writing the plan")
    started = time.perf_counter()
    counts = plan_write(organization=organization, company=company, plan=plan)
    phases["write_plan_s"] = time.perf_counter() - started
    log(f"wrote {counts}")

    # The timings below stand for a server process, not one holding a generated company.
    del plan, probe, company
    gc.collect()

    log("plan status for the whole organization")
    started = time.perf_counter()
    result = plan_status(organization=organization, as_of=as_of)
    text = json.dumps(status_json(result))
    phases["plan_status_s"] = time.perf_counter() - started
    assert len(result.initiatives) == args.initiatives, len(result.initiatives)

    log("the plan tree page for one unit")
    user, _ = user_get_or_create(email="bench@example.com")
    membership_set(organization=organization, user=user, role="member", actor=None)
    client = Client()
    client.force_login(user)
    unit = Unit.objects.filter(organization=organization, depth=0, path="Marketing").first()
    assert unit is not None
    url = f"/o/{organization.slug}/plan/?unit={unit.pk}"
    first = client.get(url)  # compiles the templates
    assert first.status_code == 200, first.status_code
    timings = []
    for _ in range(5):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - started)
        assert response.status_code == 200
    phases["tree_page_unit_s"] = min(timings)
    query_count = len(queries.captured_queries)
    peak = peak_rss_mb()

    log(f"baseline: the ORM way on {args.baseline_initiatives} initiatives")
    subset = list(
        Initiative.objects.filter(organization=organization).order_by("pk")[
            : args.baseline_initiatives
        ]
    )
    started = time.perf_counter()
    baseline_progress = {}
    for initiative in subset:
        weighted = weights = 0.0
        for assignment in Assignment.objects.filter(initiative=initiative):
            if assignment.status == "dropped":
                continue
            latest = assignment.checkins.order_by("-created_at").first()
            value = 100.0 if assignment.status == "done" else (latest.progress if latest else 0.0)
            weighted += assignment.weight * value / 100
            weights += assignment.weight
        baseline_progress[initiative.pk] = weighted / weights if weights else None
    baseline_s = time.perf_counter() - started
    ours_per_initiative = phases["plan_status_s"] / args.initiatives
    baseline_per_initiative = baseline_s / max(len(subset), 1)
    del text, DROPPED

    total = sum(phases.values())
    print(
        json.dumps(
            {
                "benchmark": "plan",
                "params": {
                    "people": args.people,
                    "initiatives": args.initiatives,
                    "assignments": counts["assignments"],
                    "checkins": CheckIn.objects.filter(
                        assignment__organization=organization
                    ).count(),
                    "blockers": counts["blockers"],
                    "recognitions": counts["recognitions"],
                    "database": "sqlite",
                    "tree_page_queries": query_count,
                    "tree_page_unit": unit.path,
                },
                "phases": {k: round(v, 3) for k, v in phases.items()},
                "total_s": round(total, 3),
                "peak_rss_mb": peak,
                "baseline": {
                    "name": "ORM loop: per initiative its assignments, per assignment its "
                    "latest check-in",
                    "total_s": round(baseline_s, 3),
                    "params": {"initiatives": len(subset)},
                    "per_initiative_s": round(baseline_per_initiative, 4),
                },
                "speedup": round(baseline_per_initiative / ours_per_initiative, 1),
            }
        )
    )


if __name__ == "__main__":
    main()

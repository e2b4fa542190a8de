"""Generate and import an organization into a fresh SQLite database; print one JSON object.

Phases: generating the synthetic company, writing it as a CSV file, importing it, and
re-importing the same file unchanged. The baseline is what a user would otherwise write: one
ORM `create` per person and a second pass for managers, run in the same process on a named
subset (it is too slow for the full size), compared as people per second.
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


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--baseline-people", type=int, default=5_000)
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="e2-bench-people-")
    os.environ["EXECUTION2_DATA_DIR"] = data_dir
    os.environ["DATABASE_URL"] = ""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "execution2.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from execution2.analytics.synth import generate_organization
    from execution2.orgs.demo import synthetic_people_csv
    from execution2.orgs.models import Person, Unit
    from execution2.orgs.people_import import people_import
    from execution2.orgs.services import organization_create

    call_command("migrate", interactive=False, verbosity=0)
    phases: dict[str, float] = {}

    log(f"generating {args.people} people")
    started = time.perf_counter()
    company = generate_organization(people=args.people, seed=args.seed)
    phases["generate_s"] = time.perf_counter() - started

    started = time.perf_counter()
    csv_path = Path(data_dir) / "people.csv"
    csv_path.write_bytes(synthetic_people_csv(company))
    phases["write_file_s"] = time.perf_counter() - started

    organization = organization_create(slug="bench", name=company.name)
    log("importing")
    started = time.perf_counter()
    first = people_import(organization=organization, source=csv_path)
    phases["import_s"] = time.perf_counter() - started
    assert first.created == args.people, first

    log("re-importing the same file")
    started = time.perf_counter()
    again = people_import(organization=organization, source=csv_path)
    phases["reimport_unchanged_s"] = time.perf_counter() - started
    assert again.unchanged == args.people, again
    peak = peak_rss_mb()

    # Baseline: one ORM create per person, then managers in a second pass.
    subset = company.people[: args.baseline_people]
    baseline_org = organization_create(slug="baseline", name="Baseline")
    log(f"baseline: per-row ORM on {len(subset)} people")
    started = time.perf_counter()
    with transaction.atomic():
        units: dict[str, Unit] = {}
        people: dict[str, Person] = {}
        for person in subset:
            parent = None
            segments = person.unit_path.split(" / ")
            for depth in range(len(segments)):
                path = " / ".join(segments[: depth + 1])
                if path not in units:
                    units[path], _ = Unit.objects.get_or_create(
                        organization=baseline_org,
                        path=path,
                        defaults={"name": segments[depth], "parent": parent, "depth": depth},
                    )
                parent = units[path]
            people[person.external_id] = Person.objects.create(
                organization=baseline_org,
                external_id=person.external_id,
                name=person.name,
                email=person.email,
                title=person.title,
                unit=parent,
                location=person.location,
                start_date=person.start_date,
            )
        for person in subset:
            if person.manager_id and person.manager_id in people:
                row = people[person.external_id]
                row.manager = people[person.manager_id]
                row.save(update_fields=["manager"])
    baseline_s = time.perf_counter() - started

    total = sum(phases.values())
    ours_rate = args.people / phases["import_s"]
    baseline_rate = len(subset) / baseline_s
    print(
        json.dumps(
            {
                "benchmark": "people",
                "params": {"people": args.people, "seed": args.seed, "database": "sqlite"},
                "phases": {k: round(v, 3) for k, v in phases.items()},
                "total_s": round(total, 3),
                "people_per_s": round(ours_rate),
                "peak_rss_mb": peak,
                "baseline": {
                    "name": "per-row Django ORM create, then a manager pass",
                    "params": {"people": len(subset), "subset": "the first people generated"},
                    "total_s": round(baseline_s, 3),
                    "people_per_s": round(baseline_rate),
                },
                "speedup": round(ours_rate / baseline_rate, 1),
                "targets": {"total_s": 60, "peak_rss_mb": 1536, "reimport_unchanged_s": 20},
            }
        )
    )


if __name__ == "__main__":
    main()

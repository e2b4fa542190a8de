"""Score a whole feedback cycle: every manager, unit, rater group, reliability and anonymity.

The cycle is a simulated 360 on a synthetic company (`analytics.synth.assessment`), trimmed to
exactly --respondents responses of 35 items. Timed: building the arrays the core reads
(`prepare_s`), `score_cycle` (scores, favourability, distributions, alpha with Feldt's
interval, item-total correlations, omega for units and the organization, rwg(j): `score_s`)
and the anonymity rules over every group (`anonymity_s`).

The baseline is the straightforward way: pandas, one groupby per level and rater group, and a
Python function per group computing scores, favourability, alpha and rwg(j) (no omega, no
anonymity). It runs in the same process on the first --baseline-respondents responses (the
whole cycle when that is the same), where the core is timed again so the speed-up compares
like with like; the largest difference between the two results is reported too.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from typing import Any

import numpy as np


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def simulate(respondents: int, seed: int) -> tuple[Any, Any, Any]:
    from execution2.analytics.assessment.instrument import BUY_IN, built_in_instrument
    from execution2.analytics.synth import generate_organization
    from execution2.analytics.synth.assessment import manager_levels, org_arrays, simulate_360

    spec = built_in_instrument()
    people = min(max(int(respondents * 1.15), 100), 1_000_000)
    org = org_arrays(generate_organization(people=people, seed=seed))
    levels = manager_levels(seed, org)
    sizes = [len(s.items) for s in spec.scales if s.key != BUY_IN]
    buy_in = sum(len(s.items) for s in spec.scales if s.key == BUY_IN)
    answers = simulate_360(seed, org, levels, sizes, buy_in_items=buy_in)
    return spec, org, (levels, answers)


def cycle_data(spec: Any, org: Any, levels: Any, answers: Any, rows: int) -> Any:
    from execution2.analytics.assessment.scoring import CycleData, ScaleSpec

    subject_unit = org.unit[levels.subjects]
    return CycleData(
        answers=answers.answers[:rows],
        subject=answers.subject[:rows],
        rater_group=answers.rater_group[:rows],
        unit=subject_unit[answers.subject[:rows]],
        unit_parent=org.unit_parent,
        subject_unit=subject_unit,
        scales=tuple(ScaleSpec(k, c) for k, c in spec.scale_columns()),
    )


def run_core(data: Any) -> tuple[Any, dict[str, float]]:
    from execution2.analytics.assessment.scoring import cycle_disclosure, score_cycle

    phases = {}
    started = time.perf_counter()
    scores = score_cycle(data)
    phases["score_s"] = time.perf_counter() - started
    started = time.perf_counter()
    disclosure = cycle_disclosure(scores, min_group=5, min_direct_reports=3)
    phases["anonymity_s"] = time.perf_counter() - started
    return (scores, disclosure), phases


def baseline(data: Any, spec: Any) -> dict[tuple[int, int, int], dict[str, float]]:
    """pandas groupby per level and rater group, a Python function per group."""
    import pandas as pd

    keys = list(spec.item_keys)
    frame = pd.DataFrame(data.answers.astype(float), columns=keys).replace(0.0, np.nan)
    frame["subject"] = data.subject
    frame["rg"] = data.rater_group
    frame["unit"] = data.unit
    scales = [(key, [keys[c] for c in cols]) for key, cols in spec.scale_columns()]

    def stats(group: pd.DataFrame) -> dict[str, float]:
        out: dict[str, float] = {"n": float(len(group))}
        for key, cols in scales:
            k = len(cols)
            block = group[cols]
            means = block.mean(axis=1).dropna()
            out[f"{key}_score"] = (means.mean() - 1) / 4 * 100 if len(means) else np.nan
            values = block.stack().dropna()
            out[f"{key}_fav"] = (values >= 4).mean() * 100 if len(values) else np.nan
            complete = block.dropna()
            if len(complete) >= 3:
                total = complete.sum(axis=1).var(ddof=1)
                out[f"{key}_alpha"] = (
                    k / (k - 1) * (1 - complete.var(ddof=1).sum() / total) if total > 0 else np.nan
                )
            else:
                out[f"{key}_alpha"] = np.nan
            variance = block.var(ddof=1).mean()
            ratio = variance / 2.0
            out[f"{key}_rwg"] = (
                (0.0 if ratio >= 1 else k * (1 - ratio) / (k * (1 - ratio) + ratio))
                if np.isfinite(variance)
                else np.nan
            )
        return out

    results: dict[tuple[int, int, int], dict[str, float]] = {}
    observers = frame[frame["rg"] != 0]
    for (subject, rg), group in frame.groupby(["subject", "rg"]):
        results[(0, int(subject), int(rg))] = stats(group)
    for subject, group in observers.groupby("subject"):
        results[(0, int(subject), 5)] = stats(group)
    parent = data.unit_parent.tolist()
    below: dict[int, set[int]] = {u: {u} for u in range(len(parent))}
    for unit in range(len(parent)):
        up = parent[unit]
        while up >= 0:
            below[up].add(unit)
            up = parent[up]
    for unit, members in below.items():
        rows = frame[frame["unit"].isin(members)]
        if rows.empty:
            continue
        for rg, group in rows.groupby("rg"):
            results[(1, unit, int(rg))] = stats(group)
        rest = rows[rows["rg"] != 0]
        if not rest.empty:
            results[(1, unit, 5)] = stats(rest)
    for rg, group in frame.groupby("rg"):
        results[(2, 0, int(rg))] = stats(group)
    results[(2, 0, 5)] = stats(observers)
    return results


def largest_difference(
    scores: Any, expected: dict[tuple[int, int, int], dict[str, float]]
) -> float:
    worst = 0.0
    index = scores.index()
    for key, values in expected.items():
        row = index[key]
        for s, scale in enumerate(scores.scale_keys):
            for mine, theirs in (
                (scores.score[row, s], values[f"{scale}_score"]),
                (scores.favourable[row, s], values[f"{scale}_fav"]),
                (scores.alpha[row, s] * 100, values[f"{scale}_alpha"] * 100),
                (scores.rwg_j[row, s] * 100, values[f"{scale}_rwg"] * 100),
            ):
                if np.isfinite(mine) and np.isfinite(theirs):
                    worst = max(worst, abs(float(mine) - float(theirs)))
                elif np.isfinite(mine) != np.isfinite(theirs):
                    worst = float("inf")
    return worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--respondents", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--baseline-respondents", type=int, default=5_000)
    args = parser.parse_args()

    import execution2.analytics.assessment.scoring  # noqa: F401  (imports are not timed)

    log(f"simulating a 360 cycle with {args.respondents} responses")
    started = time.perf_counter()
    spec, org, (levels, answers) = simulate(args.respondents, args.seed)
    rows = min(args.respondents, len(answers.subject))
    generate_s = time.perf_counter() - started

    log("scoring with the core")
    started = time.perf_counter()
    data = cycle_data(spec, org, levels, answers, rows)
    phases = {"prepare_s": time.perf_counter() - started}
    (scores, disclosure), core_phases = run_core(data)
    phases.update(core_phases)
    total_s = sum(phases.values())

    subset = min(args.baseline_respondents, rows)
    log(f"baseline: pandas groupby per group on {subset} responses")
    small = cycle_data(spec, org, levels, answers, subset)
    started = time.perf_counter()
    (small_scores, _), _ = run_core(small)
    core_subset_s = time.perf_counter() - started
    started = time.perf_counter()
    expected = baseline(small, spec)
    baseline_s = time.perf_counter() - started
    difference = largest_difference(small_scores, expected)

    level = scores.level
    print(
        json.dumps(
            {
                "benchmark": "assessment",
                "params": {
                    "respondents": rows,
                    "items": int(data.answers.shape[1]),
                    "subjects": len(data.subject_unit),
                    "units": len(data.unit_parent),
                    "seed": args.seed,
                    "groups": len(scores),
                    "groups_shown": len(disclosure.shown),
                    "subject_groups": int((level == 0).sum()),
                    "unit_groups": int((level == 1).sum()),
                    "generate_s": round(generate_s, 3),
                },
                "phases": {k: round(v, 3) for k, v in phases.items()},
                "total_s": round(total_s, 3),
                "peak_rss_mb": peak_rss_mb(),
                "baseline": {
                    "name": "pandas groupby per group, alpha and rwg(j) per group "
                    "(no omega, no anonymity)",
                    "total_s": round(baseline_s, 3),
                    "params": {"respondents": subset, "core_total_s": round(core_subset_s, 3)},
                    "largest_difference": round(difference, 6),
                },
                "speedup": round(baseline_s / core_subset_s, 1) if core_subset_s else None,
            }
        )
    )


if __name__ == "__main__":
    main()

"""Instrument quality on a big cycle: the six-factor CFA and the attribute drivers of buy-in.

The cycle is the simulated 360 of `benchmarks/assessment.py` (--respondents responses of 35
items). Timed: the complete-case covariance and the six-factor and one-factor CFAs with HTMT
for the organization (`cfa_s`, what the Instrument quality page keeps), measurement
invariance across the rater groups (`invariance_s`), and Johnson's relative weights of buy-in
with 200 Poisson-bootstrap replicates for the organization and every unit (`drivers_s`).

The baseline is the straightforward way: semopy fitting the same six-factor model to the raw
data frame of complete responses (`semopy.Model.fit(data)`), run in the same process.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from assessment import log, peak_rss_mb, simulate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    from execution2.analytics.assessment import drivers as drv
    from execution2.analytics.assessment import validity as val
    from execution2.analytics.assessment.instrument import ATTRIBUTES, BUY_IN
    from execution2.analytics.assessment.invariance import invariance

    log("simulating the cycle")
    spec, org, (levels, answers) = simulate(args.respondents, args.seed)
    rows = min(args.respondents, answers.answers.shape[0])
    matrix = answers.answers[:rows]
    group = answers.rater_group[:rows]
    unit = org.unit[levels.subjects][answers.subject[:rows]]
    columns = dict(spec.scale_columns())
    items = list(spec.item_keys)
    model = {key: [items[c] for c in columns[key]] for key in ATTRIBUTES}
    used = [c for key in ATTRIBUTES for c in columns[key]]
    others = group != 0

    log("CFA for the organization")
    start = time.perf_counter()
    covariance_used, n = val.complete_covariance(matrix[others], used)
    covariance = np.full((len(items), len(items)), np.nan)
    covariance[np.ix_(used, used)] = covariance_used
    structure = val.structure(covariance, n, items, model)
    cfa_s = time.perf_counter() - start

    log("invariance across rater groups")
    start = time.perf_counter()
    blocks = []
    for code in sorted(set(group[others].tolist())):
        block = matrix[group == code][:, used]
        block = block[(block > 0).all(axis=1)]
        if len(block) >= val.CFA_MIN_N:
            blocks.append(block)
    steps = invariance(blocks, [items[c] for c in used], model) if len(blocks) > 1 else []
    invariance_s = time.perf_counter() - start

    log("drivers of buy-in for the organization and every unit")
    start = time.perf_counter()
    answered = matrix[others].astype(np.float64)
    scores = np.full((answered.shape[0], 7), np.nan)
    for position, key in enumerate((*ATTRIBUTES, BUY_IN)):
        block = answered[:, list(columns[key])]
        count = (block > 0).sum(axis=1)
        has = count > 0
        scores[has, position] = block[has].sum(axis=1) / count[has]
    units = org.unit_parent.shape[0]
    pools = np.zeros((units + 1, units), dtype=bool)
    pools[0] = True
    for u in range(units):
        current = u
        while current >= 0:
            pools[current + 1, u] = True
            current = int(org.unit_parent[current])
    found = drv.drivers(scores[:, :6], scores[:, 6], unit[others].astype(np.int64), pools)
    drivers_s = time.perf_counter() - start

    log("baseline: semopy on the raw data frame")
    import pandas as pd
    import semopy

    block = matrix[others][:, used]
    frame = pd.DataFrame(block[(block > 0).all(axis=1)], columns=[items[c] for c in used])
    start = time.perf_counter()
    description = "\n".join(f"{f} =~ {' + '.join(its)}" for f, its in model.items())
    baseline_model = semopy.Model(description)
    baseline_model.fit(frame)
    stats = semopy.calc_stats(baseline_model)
    baseline_s = time.perf_counter() - start
    assert structure.six is not None

    print(
        json.dumps(
            {
                "benchmark": "validity",
                "params": {
                    "respondents": rows,
                    "complete_cases": n,
                    "items": len(used),
                    "units": units,
                    "units_with_drivers": sum(d is not None for d in found[1:]),
                    "replicates": drv.REPLICATES,
                    "invariance_groups": len(blocks),
                },
                "phases": {
                    "cfa_s": round(cfa_s, 2),
                    "invariance_s": round(invariance_s, 2),
                    "drivers_s": round(drivers_s, 2),
                },
                "total_s": round(cfa_s + invariance_s + drivers_s, 2),
                "peak_rss_mb": peak_rss_mb(),
                "result": {
                    "cfi": round(structure.six.fit.cfi, 3),
                    "rmsea": round(structure.six.fit.rmsea, 3),
                    "srmr": round(structure.six.fit.srmr, 3),
                    "invariance_steps": [s.name for s in steps],
                    "baseline_cfi": round(float(stats["CFI"].iloc[0]), 3),
                },
                "baseline": {
                    "name": "semopy Model.fit on the raw data frame (six-factor CFA only)",
                    "total_s": round(baseline_s, 2),
                    "params": {"rows": len(frame)},
                },
                "speedup": round(baseline_s / cfa_s, 2) if cfa_s else None,
            }
        )
    )


if __name__ == "__main__":
    main()

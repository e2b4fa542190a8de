"""Import and analyse synthetic market conversations; print one JSON object.

Phases: generating the posts and writing them as a CSV export (not timed in the total), the
import (read, check, de-duplicate, write Parquet), then the analysis: brand tagging, themes
(TF-IDF and mini-batch NMF) while VADER scores sentiment in worker processes (`sentiment_s` is
the wait for VADER after the themes are done), and the summary with spikes, level shifts and
their explanations. The baseline is what a user would otherwise write: a loop
over the posts with Python's `re` for the brands and VADER on one core, and scikit-learn's
batch NMF, run in the same process on a named subset and extrapolated linearly.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def baseline(texts: list[str], brands: list[str], n_themes: int, seed: int) -> float:
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    started = time.perf_counter()
    patterns = [re.compile(rf"(?<!\w)[@#]?{re.escape(b)}(?!\w)", re.IGNORECASE) for b in brands]
    for text in texts:
        for pattern in patterns:
            pattern.search(text)
    analyzer = SentimentIntensityAnalyzer()
    for text in texts:
        analyzer.polarity_scores(text)
    matrix = TfidfVectorizer(stop_words="english", min_df=5, max_df=0.5).fit_transform(texts)
    NMF(n_components=n_themes, random_state=seed, max_iter=200).fit(matrix)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--themes", type=int, default=20)
    parser.add_argument("--baseline-posts", type=int, default=50_000)
    args = parser.parse_args()

    import pyarrow as pa
    import pyarrow.csv as pacsv

    from execution2.analytics.listening.analysis import AnalysisConfig, analyze_posts
    from execution2.analytics.listening.brands import BrandSpec
    from execution2.analytics.listening.posts import import_posts, store_table
    from execution2.analytics.synth.listening import generate_conversations

    folder = Path(tempfile.mkdtemp(prefix="e2-bench-listening-"))
    try:
        log(f"generating {args.posts:,} posts")
        clock = time.perf_counter()
        talk = generate_conversations(seed=args.seed, brand="Northwind", posts=args.posts)
        export = folder / "export.csv"
        table = talk.table.set_column(
            2,
            "timestamp",
            pa.compute.strftime(talk.table.column("timestamp"), "%Y-%m-%dT%H:%M:%SZ"),
        )
        pacsv.write_csv(table, export)
        generate_s = time.perf_counter() - clock
        log(
            f"generated in {generate_s:.1f} s "
            f"({export.stat().st_size / 1e6:.0f} MB of CSV); importing"
        )

        clock = time.perf_counter()
        imported = import_posts([export], folder / "store")
        import_s = time.perf_counter() - clock
        log(f"imported in {import_s:.1f} s: {imported.summary()}")

        clock = time.perf_counter()
        posts = store_table(folder / "store")
        load_s = time.perf_counter() - clock
        brands = [BrandSpec("Northwind", ("@northwindsupport",), own=True)]
        brands += [BrandSpec(name) for name in talk.competitors]
        log("analysing")
        result = analyze_posts(
            posts,
            brands,
            config=AnalysisConfig(n_themes=args.themes, seed=args.seed),
            progress=lambda phase, done, total: log(f"  {phase} ({done}/{total})"),
        )
        timings = result.timings
        summary = result.summary
        ours = import_s + load_s + sum(timings.values())
        log(
            f"analysed: {len(summary['themes'])} themes, {len(summary['spikes'])} spikes; "
            f"running the baseline on {min(args.baseline_posts, args.posts):,} posts"
        )
        subset = posts.column("text").to_pylist()[: args.baseline_posts]
        baseline_subset_s = baseline(subset, [b.name for b in brands], args.themes, args.seed)
        scale = args.posts / max(1, len(subset))
        baseline_s = baseline_subset_s * scale
        analysis_s = sum(timings.values())
        out = {
            "benchmark": "listening",
            "params": {
                "posts": args.posts,
                "stored_posts": imported.total,
                "themes": args.themes,
                "brands": len(brands),
                "seed": args.seed,
                "export": "CSV",
                "export_mb": round(export.stat().st_size / 1e6, 1),
            },
            "phases": {
                "generate_s": round(generate_s, 2),
                "import_s": round(import_s, 2),
                "load_s": round(load_s, 2),
                "brands_s": round(timings["brands_s"], 2),
                "sentiment_s": round(timings["sentiment_s"], 2),
                "themes_s": round(timings["themes_s"], 2),
                "spikes_s": round(timings["spikes_s"], 2),
                "analysis_s": round(analysis_s, 2),
            },
            "total_s": round(ours, 2),
            "peak_rss_mb": peak_rss_mb(),
            "peak_rss_workers_mb": peak_rss_mb(resource.RUSAGE_CHILDREN),
            "found": {
                "themes": len(summary["themes"]),
                "spikes": len(summary["spikes"]),
                "level_shifts": len(summary["level_shifts"]),
            },
            "baseline": {
                "name": "per-post loop: Python re for brands, VADER on one core, batch NMF",
                "total_s": round(baseline_s, 1),
                "params": {
                    "posts": len(subset),
                    "measured_s": round(baseline_subset_s, 2),
                    "extrapolated_to": args.posts,
                    "phases": "brands, sentiment, themes (no import, no spikes)",
                },
            },
            "speedup": round(baseline_s / max(analysis_s, 1e-9), 1),
        }
        print(json.dumps(out))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()

"""Market listening, pure: posts import, brand tagging, sentiment, themes, spikes, summary.

Modules: `posts` (reading exports into the Parquet store), `brands` (tagging, share of voice),
`sentiment` (VADER baseline, trained classifier, cross-validation), `themes` (TF-IDF + NMF,
matching across runs), `spikes` (seasonal robust baseline, change points, explanations),
`analysis` (one run over a store: per-post results and the summary the pages show).
"""

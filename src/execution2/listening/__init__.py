"""Market listening: conversations, sentiment, themes, spikes, share of voice.

Posts live as Parquet under `organization_data_dir(org.id, "listening")` (see `store.py`) and
are analysed by the pure core in `execution2.analytics.listening`; the database holds brands,
themes (names, pins, merges, links to the plan's opportunities), labels, trained classifiers
and analysis results. The plan shows an opportunity's evidence from listening with
`{% load listening_evidence %}{% listening_evidence opportunity %}`; readers elsewhere use
`selectors.evidence_for_opportunity(organization, opportunity_id)`.
"""

"""Connectedness: collaboration events and organizational network analysis."""

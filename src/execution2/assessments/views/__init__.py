"""Pages of the assessment app: cycles, reports, and the anonymous survey."""

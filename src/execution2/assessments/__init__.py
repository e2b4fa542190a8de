"""Management assessment: instruments, cycles, anonymous answering, scoring, manager reports."""

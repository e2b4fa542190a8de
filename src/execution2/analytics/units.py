"""The unit tree as paths: "Marketing / Social Media" is Social Media inside Marketing.

Unit paths are unique per organization regardless of case, so every comparison of paths
folds case: "SALES / North" is below "Sales".
"""

from __future__ import annotations

UNIT_SEPARATOR = " / "


def path_within(path: str, root: str) -> bool:
    """True when the unit at `path` is the unit at `root` or anywhere below it."""
    folded, top = path.casefold(), root.casefold()
    return folded == top or folded.startswith(top + UNIT_SEPARATOR)

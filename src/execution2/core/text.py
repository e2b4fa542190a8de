"""Text folded for searching: case and accents don't matter, on SQLite as on PostgreSQL."""

from __future__ import annotations

import unicodedata

# Letters that carry no separable accent in Unicode, spelled as people type them.
_SPECIAL = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "æ": "ae", "œ": "oe", "\u0131": "i"}
)


def fold(text: str) -> str:
    """`Dário Łukasz-ØSTBY` -> `dario lukasz-ostby`."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain.translate(_SPECIAL)

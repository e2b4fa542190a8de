"""Which tracked brands each post mentions, and each brand's share of voice.

A brand has a name and aliases. An alias matches as a whole word (letters, digits and `_` on
neither side), case-insensitively unless the brand asks to match case (for names that are also
ordinary words, like "Target"); an alias of several words matches with any run of spaces between
them. Handles and hashtags always match whatever their case: `@acme` and `#Acme` for "Acme", and
`#AcmeCloud` or `@acme_cloud` for "Acme Cloud". An alias written as `@handle` or `#tag` matches
only that handle or tag. Matching runs in Arrow's RE2 engine over the whole column at once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

WORD = r"\pL\pN_"
BEFORE = rf"(?:^|[^{WORD}])"
AFTER = rf"(?:$|[^{WORD}])"


@dataclass(frozen=True, slots=True)
class BrandSpec:
    name: str
    aliases: tuple[str, ...] = ()
    own: bool = False
    match_case: bool = False

    @property
    def terms(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for term in (self.name, *self.aliases):
            cleaned = " ".join(term.split())
            if cleaned:
                seen.setdefault(cleaned, None)
        return tuple(seen)


def _escape(word: str) -> str:
    # RE2 accepts a backslash before any punctuation, which is all re.escape adds here.
    return "".join("\\" + c if not c.isalnum() and c != "_" else c for c in word)


def brand_pattern(brand: BrandSpec) -> str:
    """One RE2 pattern that finds any of the brand's names in a post."""
    plain: list[str] = []
    tags: list[str] = []
    for term in brand.terms:
        if term[0] in "@#":
            tags.append(re.escape(term[0]) + _escape(term[1:].replace(" ", "")))
            continue
        words = [_escape(w) for w in term.split()]
        plain.append(r"\s+".join(words))
        tags.append(r"[@#]" + "_?".join(words))
    alternatives = []
    if plain:
        joined = "|".join(plain)
        alternatives.append(joined if brand.match_case else f"(?i:{joined})")
    if tags:
        alternatives.append("(?i:" + "|".join(tags) + ")")
    return BEFORE + "(?:" + "|".join(alternatives) + ")" + AFTER


def tag_brands(
    texts: pa.Array | pa.ChunkedArray | Sequence[str], brands: Sequence[BrandSpec]
) -> npt.NDArray[np.bool_]:
    """A (posts x brands) matrix: True where the post mentions the brand."""
    column = (
        texts if isinstance(texts, pa.Array | pa.ChunkedArray) else pa.array(texts, pa.string())
    )
    matrix = np.zeros((len(column), len(brands)), dtype=bool)
    for index, brand in enumerate(brands):
        if not brand.terms:
            continue
        found = pc.match_substring_regex(column, brand_pattern(brand))
        matrix[:, index] = found.fill_null(False).to_numpy(zero_copy_only=False)
    return matrix


def share_of_voice(
    mentions: npt.NDArray[np.bool_],
    weights: npt.NDArray[np.floating] | None = None,
) -> npt.NDArray[np.float64]:
    """Each brand's mentions over all tracked brands' mentions (NaN when none is mentioned).

    A post that names two brands counts once for each. With `weights` (engagement), each
    mention counts its post's weight instead of one.
    """
    if weights is None:
        counts = mentions.sum(axis=0).astype(np.float64)
    else:
        counts = (mentions * np.asarray(weights, dtype=np.float64)[:, None]).sum(axis=0)
    total = counts.sum()
    if total <= 0:
        return np.full(mentions.shape[1], np.nan)
    return np.asarray(counts / total, dtype=np.float64)


def brand_codes(mentions: npt.NDArray[np.bool_]) -> npt.NDArray[np.int64]:
    """The mention matrix as one bit mask per post (brand i is bit i), for compact storage."""
    if mentions.shape[1] == 0:
        return np.zeros(mentions.shape[0], dtype=np.int64)
    bits = np.left_shift(np.int64(1), np.arange(mentions.shape[1], dtype=np.int64))
    return np.asarray(mentions.astype(np.int64) @ bits, dtype=np.int64)

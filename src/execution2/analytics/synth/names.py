"""Locale-matched personal names and the e-mail addresses derived from them.

Faker is used only as a source of name lists: calling `Faker()` per person would take minutes
for 300,000 people, so the lists are read once per locale and sampled with numpy.
"""

from __future__ import annotations

import functools
import importlib
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

ObjectArray = npt.NDArray[np.object_]

# Share of people whose name comes from another locale than their office's: international
# hires, so that a Berlin team is mostly but not only German.
FOREIGN_NAME_SHARE = 0.12
FEMALE_SHARE = 0.5
# Spanish speakers carry two surnames; Brazilians often do.
SECOND_SURNAME_SHARE: Mapping[str, float] = {"es_ES": 0.7, "es_MX": 0.6, "pt_BR": 0.35}
# Particles that may start or sit inside a surname ("van der Berg", "da Silva").
_PARTICLES = frozenset(
    {"da", "das", "de", "del", "der", "den", "di", "do", "dos", "du", "la", "le", "van", "von"}
)
_ROMAN = re.compile(r"^[IVX]+$")
# Letters NFKD does not decompose into an ASCII base letter.
_ASCII_FOLD = str.maketrans(
    {"ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "œ": "oe", "Œ": "OE", "ł": "l",
     "Ł": "L", "đ": "d", "Đ": "D", "þ": "th", "Þ": "TH", "\u0131": "i"}
)  # fmt: skip
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def ascii_slug(text: str) -> str:
    """Lowercase ASCII letters and digits only: "Zoë" -> "zoe", "O'Neill" -> "oneill"."""
    folded = unicodedata.normalize("NFKD", text.translate(_ASCII_FOLD))
    return _NOT_SLUG.sub("", folded.encode("ascii", "ignore").decode("ascii").lower())


def _plausible(name: str, *, surname: bool) -> bool:
    """Drop the odd entries of Faker's lists: initials, "Koch II", "Bourgondië, van"."""
    if "." in name or "," in name or not ascii_slug(name):
        return False
    words = name.split(" ")
    if len(words) > 3 or words[-1].lower() in _PARTICLES:
        return False
    capitalised = 0
    for word in words:
        if _ROMAN.match(word) and len(word) > 1:
            return False
        if word[:1].isupper():
            capitalised += 1
        elif not (surname and word in _PARTICLES):
            return False
    return capitalised <= 2


def _weighted(
    values: Sequence[str] | Mapping[str, float], *, surname: bool
) -> tuple[tuple[str, ...], npt.NDArray[np.float64]]:
    if isinstance(values, Mapping):
        items = [(k, float(v)) for k, v in values.items() if _plausible(k, surname=surname)]
    else:
        # Plain lists are mostly alphabetical, so their order says nothing about frequency.
        items = [(v, 1.0) for v in values if _plausible(v, surname=surname)]
    names = tuple(name for name, _ in items)
    weights = np.array([w for _, w in items], dtype=np.float64)
    return names, weights / weights.sum()


def _feminine_polish(surname: str) -> str:
    for male, female in (("ski", "ska"), ("cki", "cka"), ("dzki", "dzka")):
        if surname.endswith(male):
            return surname[: -len(male)] + female
    return surname


@dataclass(frozen=True, slots=True)
class _Part:
    """One list of name parts, ready for vectorised sampling."""

    text: ObjectArray
    slug: ObjectArray
    cumulative: npt.NDArray[np.float64]

    @classmethod
    def build(cls, names: tuple[str, ...], weights: npt.NDArray[np.float64]) -> _Part:
        return cls(
            text=np.array(names, dtype=object),
            slug=np.array([ascii_slug(n) for n in names], dtype=object),
            cumulative=np.cumsum(weights),
        )

    def sample(self, rng: np.random.Generator, size: int) -> npt.NDArray[np.intp]:
        index: npt.NDArray[np.intp] = np.searchsorted(
            self.cumulative, rng.random(size) * self.cumulative[-1]
        )
        # Rounding can put a draw a hair above the last cumulative weight.
        return np.minimum(index, len(self.text) - 1, out=index)


@dataclass(frozen=True, slots=True)
class NamePool:
    locale: str
    first: tuple[_Part, _Part]
    """Female, male."""
    last: tuple[_Part, _Part]
    """Female, male (they differ in Polish)."""
    second_surname_share: float


@functools.cache
def name_pool(locale: str) -> NamePool:
    """The first and last names of a Faker locale, e.g. "de_DE"."""
    provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
    female = _Part.build(*_weighted(provider.first_names_female, surname=False))
    male = _Part.build(*_weighted(provider.first_names_male, surname=False))
    if locale == "pl_PL":
        # Faker's Polish `last_names` is a placeholder; the real lists are gendered.
        common, _ = _weighted(provider.male_last_names, surname=True)
        other, _ = _weighted(provider.unisex_last_names, surname=True)
        # The short list holds the most frequent surnames: give it half of all bearers.
        weights = np.concatenate(
            [np.full(len(common), 0.5 / len(common)), np.full(len(other), 0.5 / len(other))]
        )
        male_last = _Part.build(common + other, weights)
        female_last = _Part.build(tuple(_feminine_polish(n) for n in common + other), weights)
    else:
        male_last = _Part.build(*_weighted(provider.last_names, surname=True))
        female_last = male_last
    return NamePool(
        locale=locale,
        first=(female, male),
        last=(female_last, male_last),
        second_surname_share=SECOND_SURNAME_SHARE.get(locale, 0.0),
    )


@dataclass(frozen=True, slots=True)
class DrawnNames:
    names: list[str]
    email_locals: list[str]
    """"first.last", not yet unique."""


def draw_names(
    rng: np.random.Generator,
    home_locale: npt.NDArray[np.int64],
    locales: tuple[str, ...],
    foreign_locales: tuple[str, ...],
) -> DrawnNames:
    """A name per person, from the locale of their office (`home_locale` indexes `locales`)."""
    n = len(home_locale)
    all_locales = tuple(dict.fromkeys((*locales, *foreign_locales)))
    foreign = rng.random(n) < FOREIGN_NAME_SHARE
    foreign_pick = rng.integers(len(foreign_locales), size=n)
    foreign_index = np.array([all_locales.index(x) for x in foreign_locales], dtype=np.int64)
    home_index = np.array([all_locales.index(x) for x in locales], dtype=np.int64)
    locale = np.where(foreign, foreign_index[foreign_pick], home_index[home_locale])
    female = rng.random(n) < FEMALE_SHARE

    names = np.empty(n, dtype=object)
    slugs = np.empty(n, dtype=object)
    for code, locale_name in enumerate(all_locales):
        pool = name_pool(locale_name)
        for gender in (0, 1):
            rows = np.flatnonzero((locale == code) & (female == (gender == 0)))
            if len(rows) == 0:
                continue
            first, last = pool.first[gender], pool.last[gender]
            fi, li = first.sample(rng, len(rows)), last.sample(rng, len(rows))
            names[rows] = first.text[fi] + " " + last.text[li]
            slugs[rows] = first.slug[fi] + "." + last.slug[li]
            if pool.second_surname_share:
                second = rows[rng.random(len(rows)) < pool.second_surname_share]
                si = last.sample(rng, len(second))
                names[second] = names[second] + " " + last.text[si]
    return DrawnNames(names=names.tolist(), email_locals=slugs.tolist())


def unique_emails(email_locals: Iterable[str], domain: str) -> list[str]:
    """Number repeats in order: the first "jan.kowalski" stays, the next is "jan.kowalski2".

    Slugs never end in a digit, so a numbered address can never collide with another name's.
    """
    seen: dict[str, int] = {}
    emails = []
    for local in email_locals:
        count = seen.get(local, 0) + 1
        seen[local] = count
        emails.append(f"{local}@{domain}" if count == 1 else f"{local}{count}@{domain}")
    return emails

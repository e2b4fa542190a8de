"""How numbers and lists read in the PDF reports: one rounding for every score, plain words.

Every 0-100 score, the index and its interval are printed with one decimal (`score`), the
same rounding the tests apply to the stored payload, so a number on the page can be checked
against the JSON.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

MINUS = "\u2212"
DASH = "\u2013"
NONE = "\u2014"


def score(value: float | None) -> str:
    """A 0-100 score, the index or an interval bound: one decimal."""
    return NONE if value is None else f"{value:.1f}"


def signed(value: float | None) -> str:
    """A change with its sign (a true minus)."""
    if value is None:
        return NONE
    return f"{value:+.1f}".replace("-", MINUS)


def ratio(value: float | None) -> str:
    """A ratio from -1 to 1 with its sign and two decimals (net sentiment)."""
    if value is None:
        return NONE
    return f"{value:+.2f}".replace("-", MINUS)


def percent(share: float | None, digits: int = 0) -> str:
    return NONE if share is None else f"{share * 100:.{digits}f}%"


def count(value: int | float | None) -> str:
    if value is None:
        return NONE
    return f"{int(value):,}"


def decimal(value: float | None, digits: int = 2) -> str:
    return NONE if value is None else f"{value:.{digits}f}".replace("-", MINUS)


def money(value: float | None) -> str:
    return NONE if value is None else f"{value:,.0f}"


def gap(value: float | None) -> str:
    """A component's gap to target in words: "11.1 below", "16.7 above", "on target"."""
    if value is None:
        return NONE
    if abs(value) < 0.05:
        return "on target"
    return f"{abs(value):.1f} {'below' if value > 0 else 'above'}"


def interval(low: float | None, high: float | None) -> str:
    if low is None or high is None:
        return NONE
    return f"{score(low)}{DASH}{score(high)}"


def day(value: str | datetime.date | None) -> str:
    """ "24 October 2025" from a date or an ISO string."""
    if value is None or value == "":
        return NONE
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value[:10])
        except ValueError:
            return value
    return f"{value.day} {value:%B %Y}"


def listing(items: Iterable[str], conjunction: str = "and") -> str:
    """ "A", "A and B", "A, B and C"."""
    names = [str(i) for i in items if i]
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} {conjunction} {names[-1]}"


def number_word(value: int) -> str:
    words = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
    return words[value] if 0 <= value < len(words) else f"{value:,}"


def plural(value: int, singular: str, many: str | None = None) -> str:
    return f"{number_word(value)} {singular if value == 1 else many or singular + 's'}"


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def humanised(key: str) -> str:
    """A field name as words: "reach_p90" -> "Reach p90"."""
    return capitalised(key.replace("_", " "))


def value_text(key: str, value: Any) -> str:
    """A value of a risk's evidence, read by its field name (shares as percentages, money with
    thousands separators, other numbers with up to three decimals)."""
    if value is None:
        return NONE
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return count(value)
    if isinstance(value, float):
        name = key.casefold()
        if "share" in name or name in {"rate", "threshold_rate"}:
            return percent(value, 1 if abs(value) < 0.1 else 0)
        if "to_date" in name or "cost" in name or "budget" in name:
            return money(value)
        if abs(value) >= 10:
            return f"{value:,.1f}".replace("-", MINUS)
        return f"{value:.2f}".replace("-", MINUS)
    if isinstance(value, list | tuple):
        return ", ".join(value_text(key, v) for v in value)
    return str(value)

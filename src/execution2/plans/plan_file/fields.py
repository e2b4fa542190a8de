"""Reading one field of a plan file: typed values, or a problem naming its line and field."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

from execution2.core.tabular import Problem
from execution2.plans.plan_file.yaml_lines import LineDict, LineList

KEY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
_MISSING = object()


class FieldReader:
    """Helpers that read fields of LineDicts and collect problems (FILE:LINE:FIELD: message).

    `people` maps employee ids to person ids (active people only).
    """

    def __init__(self, file_name: str, *, people: dict[str, int]):
        self.file = file_name
        self.people = people
        self.problems: list[Problem] = []

    def problem(self, line: int, path: str, message: str) -> None:
        self.problems.append(Problem(self.file, line, path, message))

    def _line(self, mapping: LineDict, name: str) -> int:
        return mapping.lines.get(name, mapping.line)

    def _mapping(self, value: Any, line: int, path: str) -> LineDict | None:
        if not isinstance(value, LineDict):
            self.problem(line, path, "expected a mapping of fields (name: value)")
            return None
        for key, key_line in value.duplicates:
            self.problem(key_line, f"{path}.{key}", f"the field {key!r} is given twice")
        return value

    def _list(self, mapping: LineDict, name: str, path: str) -> LineList:
        value = mapping.get(name, _MISSING)
        if value is _MISSING or value is None:
            empty = LineList()
            empty.line = mapping.line
            empty.lines = []
            return empty
        if not isinstance(value, LineList):
            self.problem(self._line(mapping, name), f"{path}.{name}", "expected a list")
            empty = LineList()
            empty.line = mapping.line
            empty.lines = []
            return empty
        return value

    def _unknown(self, mapping: LineDict, allowed: set[str], path: str) -> None:
        for key in mapping:
            if key not in allowed:
                names = ", ".join(sorted(allowed))
                self.problem(
                    self._line(mapping, key),
                    f"{path}.{key}",
                    f"unknown field {key!r} (known: {names})",
                )

    def _text(
        self, mapping: LineDict, name: str, path: str, *, required: bool = False, limit: int = 200
    ) -> str:
        value = mapping.get(name)
        where = f"{path}.{name}"
        if value is None or value == "":
            if required:
                self.problem(self._line(mapping, name), where, f"{name} is required")
            return ""
        if isinstance(value, bool | LineDict | LineList):
            self.problem(self._line(mapping, name), where, "expected text")
            return ""
        text = str(value).strip()
        if len(text) > limit:
            self.problem(self._line(mapping, name), where, f"longer than {limit} characters")
        return text

    def _number(
        self,
        mapping: LineDict,
        name: str,
        path: str,
        *,
        required: bool = False,
        default: float | None = None,
        minimum: float | None = None,
        maximum: float | None = None,
    ) -> float | None:
        value = mapping.get(name)
        where = f"{path}.{name}"
        line = self._line(mapping, name)
        if value is None:
            if required:
                self.problem(line, where, f"{name} is required")
            return default
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problem(line, where, f"{value!r} is not a number")
            return default
        number = float(value)
        if number != number or number in (float("inf"), float("-inf")):
            self.problem(line, where, "must be a finite number")
            return default
        if minimum is not None and number < minimum:
            self.problem(line, where, f"must be at least {minimum:g}")
        if maximum is not None and number > maximum:
            self.problem(line, where, f"must be at most {maximum:g}")
        return number

    def _date(self, mapping: LineDict, name: str, path: str) -> datetime.date | None:
        value = mapping.get(name)
        if value is None:
            return None
        return self._as_date(value, self._line(mapping, name), f"{path}.{name}")

    def _as_date(self, value: Any, line: int, where: str) -> datetime.date | None:
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, str):
            try:
                return datetime.date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.problem(line, where, f"{value!r} is not a date like 2026-01-31")
        return None

    def _month(self, mapping: LineDict, name: str, path: str) -> datetime.date | None:
        value = mapping.get(name)
        line = self._line(mapping, name)
        where = f"{path}.{name}"
        if value is None:
            self.problem(line, where, f"{name} is required (a month like 2026-03)")
            return None
        if isinstance(value, str) and (match := MONTH_RE.match(value.strip())):
            year, month = int(match.group(1)), int(match.group(2))
            if 1 <= month <= 12 and year >= 1900:
                return datetime.date(year, month, 1)
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            return value.replace(day=1)
        self.problem(line, where, f"{value!r} is not a month like 2026-03")
        return None

    def _choice(
        self, mapping: LineDict, name: str, path: str, choices: list[str], default: str
    ) -> str:
        value = mapping.get(name)
        if value is None:
            return default
        if value not in choices:
            self.problem(
                self._line(mapping, name),
                f"{path}.{name}",
                f"{value!r} is not one of: {', '.join(choices)}",
            )
            return default
        return str(value)

    def _person(
        self, mapping: LineDict, name: str, path: str, *, required: bool = False
    ) -> int | None:
        value = mapping.get(name)
        line = self._line(mapping, name)
        if value is None or value == "":
            if required:
                self.problem(line, f"{path}.{name}", f"{name} is required (an employee id)")
            return None
        external_id = str(value).strip()
        person_id = self.people.get(external_id)
        if person_id is None:
            self.problem(
                line,
                f"{path}.{name}",
                f"no active person has the employee id {external_id!r} in this organization",
            )
        return person_id

    def _key(self, mapping: LineDict, path: str, seen: dict[str, int], *, required: bool) -> str:
        value = mapping.get("key")
        line = self._line(mapping, "key")
        if value is None or value == "":
            if required:
                self.problem(line, f"{path}.key", "key is required (a short id like eco-line)")
            return ""
        key = str(value).strip()
        if not KEY_RE.match(key):
            self.problem(
                line,
                f"{path}.key",
                f"{key!r} is not a key: use letters, digits, - and _ (64 at most)",
            )
        elif key in seen:
            self.problem(
                line, f"{path}.key", f"the key {key!r} is used already on line {seen[key]}"
            )
        else:
            seen[key] = line
        return key

    def _items(
        self, items: LineList, path: str, each: Callable[[LineDict, str, int], Any]
    ) -> list[Any]:
        results = []
        for index, (item, line) in enumerate(zip(items, items.lines, strict=True), start=1):
            where = f"{path}[{index}]"
            mapping = self._mapping(item, line, where)
            if mapping is not None:
                result = each(mapping, where, line)
                if result is not None:
                    results.append(result)
        return results

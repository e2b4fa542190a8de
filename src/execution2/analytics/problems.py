"""One vocabulary for what is wrong with an imported file, shared by every reader.

A problem names where it is as `FILE:ROW:COLUMN: message`, with ROW as a spreadsheet shows it
(the header is row 1; 0 when the problem is the whole file). A workbook's sheet goes with the
file (`people.xlsx[Staff]:4:email: ...`); a problem inside a JSON document names its path
instead of a row and column (`users.json:$[3].profile.email: ...`). An import that finds any
problem raises `ImportRefused` with all of them and writes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

MAX_PROBLEMS_PER_KIND = 200


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    file: str
    row: int
    column: str
    message: str
    sheet: str = ""
    json_path: str = ""

    def __str__(self) -> str:
        where = f"{self.file}[{self.sheet}]" if self.sheet else self.file
        if self.json_path:
            return f"{where}:{self.json_path}: {self.message}"
        return f"{where}:{self.row}:{self.column}: {self.message}"

    @classmethod
    def in_json(cls, file: str, json_path: str, message: str) -> Problem:
        """A problem at a place in a JSON document, e.g. `$[3].profile.email`."""
        return cls(file, 0, "-", message, json_path=json_path)


class ImportRefused(Exception):
    """The file can't be imported as it is; nothing was written."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class Problems:
    """Collects a file's problems, keeping at most `cap` of each kind and counting the rest.

    A file with a systematic fault (every date in the wrong format) would otherwise print a
    million lines; the first `cap` of each kind show the pattern and one line says how many
    more there are.
    """

    def __init__(self, file: str, cap: int = MAX_PROBLEMS_PER_KIND) -> None:
        self.file = file
        self.cap = cap
        self.items: list[Problem] = []
        self.counts: dict[str, int] = {}

    def __bool__(self) -> bool:
        return bool(self.items)

    def add(self, row: int, column: str, message: str, kind: str = "other") -> None:
        self.counts[kind] = self.counts.get(kind, 0) + 1
        if self.counts[kind] <= self.cap:
            self.items.append(Problem(self.file, row, column, message))

    def add_json(self, inner: str, json_path: str, message: str, kind: str = "json") -> None:
        """A problem in the JSON file `inner` of this file (a folder or zip), or in this file
        itself when `inner` is empty."""
        self.counts[kind] = self.counts.get(kind, 0) + 1
        if self.counts[kind] <= self.cap:
            file = f"{self.file}/{inner}" if inner else self.file
            self.items.append(Problem.in_json(file, json_path, message))

    def extend(self, problems: Sequence[Problem]) -> None:
        """Problems found elsewhere (another reader's), kept as they are."""
        self.items.extend(problems)

    def rows(self, mask: Any, first_row: int, column: str, message: str, kind: str) -> None:
        """One problem per true entry of `mask`, a batch whose first row is `first_row`."""
        bad = np.nonzero(np.asarray(mask, dtype=np.bool_))[0]
        if len(bad) == 0:
            return
        already = self.counts.get(kind, 0)
        for index in bad[: max(0, self.cap - already)]:
            self.items.append(Problem(self.file, first_row + int(index), column, message))
        self.counts[kind] = already + len(bad)

    def finish(self) -> list[Problem]:
        extra = [
            Problem(
                self.file,
                0,
                "-",
                f"... and {count - self.cap} more problems like these ({kind})",
            )
            for kind, count in self.counts.items()
            if count > self.cap
        ]
        return self.items + extra

    def refuse_if_any(self) -> None:
        if self.items:
            raise ImportRefused(self.finish())


def normalize_header(header: object, *, also: str = "") -> str:
    """`Manager-ID`, `manager id`, `ManagerID` and ` MANAGER_ID ` are all the same column.

    Separators are dropped rather than unified, so `EmployeeNumber` also finds `Employee Number`.
    `also` names further characters to drop (the listening reader drops dots too, for headers
    like `Author.Name`).
    """
    text = "" if header is None else str(header)
    return re.sub(r"[\s\-_" + re.escape(also) + r"]+", "", text.replace("\ufeff", "").casefold())

"""Inserting many rows fast.

`bulk_create` compiles every value through the ORM, which costs about ten times the insert
itself at a hundred thousand rows. Imports of that size write plain tuples with `executemany`
instead; the caller supplies every column, since model defaults and `auto_now` don't apply.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import islice
from typing import Any

from django.db import connection, models

BATCH = 5000


def _adapter(field: models.Field[Any, Any]) -> Any:
    # Dates and times go through the backend's own adapters, so SQLite and PostgreSQL agree.
    if isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return connection.ops.adapt_datefield_value
    if isinstance(field, models.JSONField):
        return lambda value: field.get_db_prep_save(value, connection)
    return None


def insert_rows(
    model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Insert `rows` (tuples in the order of `columns`, field attnames) into `model`'s table."""
    meta = model._meta
    by_attname = {field.attname: field for field in meta.concrete_fields}
    fields = [by_attname[name] for name in columns]
    db_columns = [field.column for field in fields]
    adapters = [(i, a) for i, f in enumerate(fields) if (a := _adapter(f)) is not None]
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(c) for c in db_columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    count = 0
    iterator = iter(rows)
    with connection.cursor() as cursor:
        while chunk := list(islice(iterator, BATCH)):
            if adapters:
                adapted = []
                for row in chunk:
                    values = list(row)
                    for index, adapt in adapters:
                        if values[index] is not None:
                            values[index] = adapt(values[index])
                    adapted.append(values)
                chunk = adapted
            cursor.executemany(sql, chunk)
            count += len(chunk)
    return count

"""Cursor pagination: pages follow the primary key, so a page costs the same wherever it is."""

from __future__ import annotations

import base64
import binascii
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from ninja import Schema
from ninja.errors import ValidationError
from pydantic import Field, create_model

M = TypeVar("M", bound=Model)
DEFAULT_LIMIT = 100
MAX_LIMIT = 500


def page_schema(item: type[Schema], name: str) -> type[Schema]:
    return create_model(  # type: ignore[call-overload,no-any-return]
        name,
        __base__=Schema,
        items=(list[item], ...),  # type: ignore[valid-type]
        next_cursor=(
            str | None,
            Field(None, description="Pass as `cursor` for the next page; null on the last."),
        ),
    )


def _encode(pk: int) -> str:
    return base64.urlsafe_b64encode(f"pk:{pk}".encode()).decode().rstrip("=")


def _decode(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, _, value = text.partition(":")
        if kind != "pk" or not value.isdigit() or len(value) > 18:
            raise ValueError(cursor)
        return int(value)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise ValidationError(
            [{"loc": ("query", "cursor"), "msg": "This cursor is not one the API gave out."}]
        ) from None


def paginate(queryset: QuerySet[M], *, cursor: str | None, limit: int) -> dict[str, Any]:
    """One page of `queryset` in primary-key order, and the cursor of the next page."""
    rows = queryset.order_by("pk")
    if cursor:
        rows = rows.filter(pk__gt=_decode(cursor))
    items = list(rows[: limit + 1])
    more = len(items) > limit
    items = items[:limit]
    return {"items": items, "next_cursor": _encode(items[-1].pk) if more and items else None}

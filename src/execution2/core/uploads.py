"""File uploads with a size limit that holds before the file is stored.

Django reads the request body before the view runs, and the CSRF check reads it too; so the
limit's handler must be installed first, with CSRF exempted outside and enforced just inside
(Django's documented way). A form then learns of a refused file through `upload_form_valid`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):,.1f} MB" if size >= 1024 * 1024 else f"{size:,} bytes"


def upload_limit_message() -> str:
    return (
        f"This file is bigger than the {_megabytes(settings.EXECUTION2_MAX_UPLOAD_BYTES)} "
        "limit. Split it, or remove columns the import doesn't read."
    )


class UploadLimitHandler(FileUploadHandler):
    """Stops storing an upload once it passes the limit, so a huge file never fills the disk;
    the rest is skipped and the view sees `request.upload_too_big` instead of the file."""

    def __init__(self, request: HttpRequest, limit: int):
        super().__init__(request)
        self.limit = limit

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.limit:
            self.request.upload_too_big = True  # type: ignore[union-attr]
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def upload_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap an organization view (already under org_view) that receives uploads."""

    @csrf_exempt
    @never_cache
    @wraps(view)
    def wrapper(request: HttpRequest, org_slug: str, **kwargs: Any) -> HttpResponse:
        request.upload_handlers.insert(
            0, UploadLimitHandler(request, settings.EXECUTION2_MAX_UPLOAD_BYTES)
        )
        return csrf_protect(view)(request, org_slug=org_slug, **kwargs)

    return wrapper


def upload_form_valid(request: HttpRequest, form: forms.Form, field: str = "file") -> bool:
    """`form.is_valid()`, with a file over the limit reported on its field in plain words."""
    valid = form.is_valid()
    if getattr(request, "upload_too_big", False):
        form.errors.pop(field, None)
        form.add_error(field, upload_limit_message())
        return False
    return valid

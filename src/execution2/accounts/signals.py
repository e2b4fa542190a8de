"""Keep the list of one's sessions in step with Django's sign-in and sign-out."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from execution2.accounts.services import session_forget, session_record


@receiver(user_logged_in, dispatch_uid="accounts.session_record")
def _signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    session_record(request=request, user=user, method=getattr(request, "signin_method", ""))


@receiver(user_logged_out, dispatch_uid="accounts.session_forget")
def _signed_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        session_forget(session_key=request.session.session_key)

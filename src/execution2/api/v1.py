"""The REST API, version 1: one NinjaAPI with problem-details errors and audited writes."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from execution2.api.auth import RateLimited, TokenAuth
from execution2.api.problems import (
    INVALID_FIELDS,
    PROBLEM_CONTENT_TYPE,
    Problem,
    problem_response,
)
from execution2.orgs.services import audit_record

logger = logging.getLogger(__name__)

# Every operation may answer these; the schema says so, with the problem shape.
ERROR_STATUSES = {
    "401": "No valid token: send `Authorization: Bearer TOKEN`.",
    "403": "The token's role is too low, or the token is read-only and this is a write.",
    "404": "No such object in this organization (or no such organization for this token).",
    "422": "Some fields are invalid; `errors` names them.",
    "429": "Too many requests with this token; wait for `Retry-After` seconds.",
}


class ExecutionApi(NinjaAPI):
    def get_openapi_operation_id(self, operation: Any) -> str:
        # Short, stable ids (the view's name) for generated clients and the tenancy walker.
        return str(operation.view_func.__name__)

    def create_response(
        self, request: HttpRequest, data: Any, *args: Any, **kwargs: Any
    ) -> HttpResponse:
        response = super().create_response(request, data, *args, **kwargs)
        action = getattr(request, "api_audit", None)
        if action and response.status_code < 400:
            token = request.api_token  # type: ignore[attr-defined]
            audit_record(
                organization=token.organization,
                actor=token.user,
                action=action,
                detail={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "token": token.prefix,
                },
            )
        return response

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        for name, definition in problem.pop("$defs", {}).items():
            components[name] = definition
        components["Problem"] = problem
        problem_ref = {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}
        for path_item in schema["paths"].values():
            for operation in path_item.values():
                responses = operation.setdefault("responses", {})
                for status, description in ERROR_STATUSES.items():
                    responses[status] = {"description": description, "content": problem_ref}
        return schema


api = ExecutionApi(
    title="Execution 2.0 API",
    version="1",
    description=(
        "Everything a user can read or change on the pages, over HTTP with a personal access "
        "token (`Authorization: Bearer TOKEN`), under the same tenancy, roles and anonymity "
        "rules. Lists use cursor pagination (`next_cursor`); errors are RFC 9457 problem details."
    ),
    urls_namespace="api-v1",
    auth=TokenAuth(),
    docs_url=None,
    openapi_url="/openapi.json",
)


def _field(loc: list[Any] | tuple[Any, ...]) -> tuple[str, str]:
    parts = [str(part) for part in loc]
    location = parts[0] if parts else "body"
    names = parts[1:]
    # Ninja nests a body under the operation's parameter name ("payload"); users don't see it.
    if location == "body" and len(names) > 1:
        names = names[1:]
    return location, ".".join(names) or location


@api.exception_handler(NinjaValidationError)
def _invalid(request: HttpRequest, error: NinjaValidationError) -> HttpResponse:
    errors = []
    for item in error.errors:
        location, field = _field(item.get("loc", ()))
        errors.append({"field": field, "location": location, "message": str(item.get("msg"))})
    return problem_response(
        request,
        422,
        "Some fields are invalid.",
        type_=INVALID_FIELDS,
        title="Invalid fields",
        errors=errors,
    )


@api.exception_handler(DjangoValidationError)
def _refused(request: HttpRequest, error: DjangoValidationError) -> HttpResponse:
    errors = []
    if hasattr(error, "message_dict"):
        for field, messages in error.message_dict.items():
            name = "" if field == "__all__" else field
            for message in messages:
                errors.append({"field": name, "location": "body", "message": message})
    else:
        errors = [{"field": "", "location": "body", "message": m} for m in error.messages]
    return problem_response(
        request,
        422,
        " ".join(e["message"] for e in errors),
        type_=INVALID_FIELDS,
        title="Refused",
        errors=errors,
    )


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, error: Exception) -> HttpResponse:
    return problem_response(
        request,
        401,
        "Send a valid, unrevoked, unexpired token as `Authorization: Bearer TOKEN`.",
        headers={"WWW-Authenticate": 'Bearer realm="execution2"'},
    )


@api.exception_handler(RateLimited)
def _rate_limited(request: HttpRequest, error: Exception) -> HttpResponse:
    return problem_response(
        request, 429, "Too many requests with this token.", headers={"Retry-After": "60"}
    )


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, error: Exception) -> HttpResponse:
    return problem_response(request, 403, str(error) or "Your role does not allow this.")


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, error: Exception) -> HttpResponse:
    return problem_response(request, 404, str(error) or "Nothing here for this token.")


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    return problem_response(request, error.status_code, str(error))


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, error: Exception) -> HttpResponse:
    logger.exception("API error on %s %s", request.method, request.path)
    return problem_response(request, 500, "Something went wrong on our side; it has been logged.")


def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any other address under /api/: the same problem shape as the API's own 404s."""
    return problem_response(request, 404, "There is no such API address.")


from execution2.api.endpoints import register  # noqa: E402

register(api)

"""The survey, reached by an invitation link without signing in.

The link's token is the only key: it is hashed to find the invitation, and it is never logged
or stored. Answers are saved as you go (htmx posts each change; without JavaScript the
"Save and finish later" button does the same), and the same link resumes them. Submitting
stores the answers without any link to the person and retires the link.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django_ratelimit.decorators import ratelimit

from execution2.assessments.choices import RaterGroup
from execution2.assessments.models import Invitation
from execution2.assessments.services import invitation_for_token, survey_save, survey_submit

SURVEY_RATE = "60/m"


def _wording(invitation: Invitation) -> str:
    if invitation.rater_group == RaterGroup.SELF:
        return "self"
    if invitation.subject_id is None:
        return "general"
    if invitation.rater_group in (RaterGroup.PEER, RaterGroup.MANAGER):
        return "others"
    return "observer"


def _name(invitation: Invitation) -> str:
    return invitation.subject.person.name if invitation.subject_id else ""  # type: ignore[union-attr]


def _sections(invitation: Invitation, given: dict[str, Any]) -> list[dict[str, Any]]:
    spec = invitation.cycle.instrument.parsed()
    wording = _wording(invitation)
    sections = []
    for scale in spec.scales:
        sections.append(
            {
                "scale": scale,
                "items": [
                    {
                        "key": item.key,
                        "text": item.text(wording, _name(invitation)),
                        "value": given.get(item.key),
                    }
                    for item in scale.items
                ],
            }
        )
    return sections


@never_cache
@ratelimit(key="ip", rate=SURVEY_RATE, method="POST", block=True)
def answer(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_for_token(token)
    if invitation is None:
        return render(request, "assessments/survey_closed.html", status=404)
    if request.method == "POST":
        action = request.POST.get("action", "save")
        if action == "submit":
            stored = survey_submit(invitation=invitation, data=request.POST)
            return render(
                request,
                "assessments/survey_done.html",
                {"cycle": invitation.cycle, "already": not stored},
            )
        survey_save(invitation=invitation, data=request.POST)
        if request.headers.get("HX-Request"):
            return render(request, "assessments/_saved.html")
        invitation.refresh_from_db(fields=["draft"])
        saved = True
    else:
        saved = False
    draft = invitation.draft or {}
    answers = {k: str(v) for k, v in (draft.get("answers") or {}).items()}
    spec = invitation.cycle.instrument.parsed()
    wording = _wording(invitation)
    questions = [
        {
            "key": q.key,
            "text": q.text(wording, _name(invitation)),
            "value": (draft.get("comments") or {}).get(q.key, ""),
        }
        for q in spec.open_questions
    ]
    subject = invitation.subject.person.name if invitation.subject_id else None  # type: ignore[union-attr]
    return render(
        request,
        "assessments/survey.html",
        {
            "invitation": invitation,
            "cycle": invitation.cycle,
            "organization": invitation.cycle.organization,
            "subject": subject,
            "is_self": invitation.rater_group == RaterGroup.SELF,
            "sections": _sections(invitation, answers),
            "questions": questions,
            "options": list(enumerate(spec.options, start=1)),
            "not_observed": spec.not_observed,
            "saved": saved,
            "answered": len([v for v in answers.values() if v != "0"]),
            "total": len(spec.item_keys),
        },
    )

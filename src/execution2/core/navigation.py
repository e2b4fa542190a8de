"""The organization sidebar, assembled from what each app declares.

An app lists its entries as `navigation` on its AppConfig; nothing else needs editing when a
capability adds a page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.module_loading import import_string


@dataclass(frozen=True, slots=True)
class NavItem:
    label: str
    url_name: str  # namespaced, reversed with org_slug only
    icon: str = "dot"  # the CSS class nav-icon-<icon>
    min_role: str = "member"
    section: str = "main"  # "main" or "admin"
    current_for: tuple[str, ...] = ()  # other url names (namespace:name) that light it up


@dataclass(frozen=True, slots=True)
class NavLink:
    item: NavItem
    url: str
    current: bool


def navigation_for(*, slug: str, role: str, current_view: str) -> dict[str, list[NavLink]]:
    from execution2.orgs.choices import role_at_least

    sections: dict[str, list[NavLink]] = {"main": [], "admin": []}
    for config in apps.get_app_configs():
        for item in getattr(config, "navigation", ()):
            if not role_at_least(role, item.min_role):
                continue
            try:
                url = reverse(item.url_name, kwargs={"org_slug": slug})
            except NoReverseMatch:
                continue
            current = current_view == item.url_name or current_view in item.current_for
            sections.setdefault(item.section, []).append(NavLink(item, url, current))
    return sections


def home_panels(request: Any) -> list[tuple[str, dict[str, Any]]]:
    """(template, context) of each panel apps add to the organization's home page.

    An app lists `home_panels` on its AppConfig: dotted paths of functions taking the request
    (with its organization and membership) and returning (template, context), or None to show
    nothing.
    """
    panels = []
    for config in apps.get_app_configs():
        for path in getattr(config, "home_panels", ()):
            shown = import_string(path)(request)
            if shown is not None:
                panels.append(shown)
    return panels

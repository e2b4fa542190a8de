"""The organization sidebar, assembled from what each app declares.

An app lists its entries as `navigation` on its AppConfig; nothing else needs editing when a
capability adds a page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.urls import NoReverseMatch, reverse


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

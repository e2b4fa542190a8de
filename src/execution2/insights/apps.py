from django.apps import AppConfig

from execution2.core.navigation import NavItem


class InsightsConfig(AppConfig):
    name = "execution2.insights"
    label = "insights"
    verbose_name = "Execution Index"
    navigation: tuple[NavItem, ...] = (
        NavItem(
            "Execution Index",
            "insights:dashboard",
            icon="index",
            min_role="executive",
            section="main",
            current_for=("insights:unit",),
        ),
        NavItem(
            "Index outcomes",
            "insights:outcomes",
            icon="index",
            min_role="admin",
            section="admin",
        ),
        NavItem(
            "Index settings",
            "insights:weights",
            icon="settings",
            min_role="admin",
            section="admin",
        ),
        NavItem(
            "Consultant view",
            "insights:portfolio",
            icon="index",
            min_role="admin",
            section="admin",
        ),
    )
    home_panels = ("execution2.insights.views.dashboard.home_panel",)

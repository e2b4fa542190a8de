from django.apps import AppConfig

from execution2.core.navigation import NavItem


class OrgsConfig(AppConfig):
    name = "execution2.orgs"
    label = "orgs"
    verbose_name = "Organizations and people"
    navigation = (
        NavItem("Home", "orgs:home", icon="home"),
        NavItem("People", "orgs:people", icon="people", current_for=("orgs:person",)),
        NavItem(
            "Import people",
            "orgs:people_import",
            icon="import",
            min_role="admin",
            section="admin",
            current_for=("orgs:job",),
        ),
        NavItem(
            "Members",
            "orgs:members",
            icon="members",
            min_role="admin",
            section="admin",
            current_for=("orgs:member",),
        ),
        NavItem("Settings", "orgs:settings", icon="settings", min_role="admin", section="admin"),
        NavItem("Audit log", "orgs:audit", icon="audit", min_role="admin", section="admin"),
    )

from django.apps import AppConfig

from execution2.core.navigation import NavItem


class ListeningConfig(AppConfig):
    name = "execution2.listening"
    label = "listening"
    verbose_name = "Market listening"
    # Sidebar entries of this capability, shown to roles at or above min_role.
    navigation: tuple[NavItem, ...] = (
        NavItem(
            "Listening",
            "listening:overview",
            icon="listening",
            min_role="member",
            section="main",
            current_for=("listening:spikes", "listening:analyze"),
        ),
        NavItem(
            "Themes",
            "listening:themes",
            icon="listening",
            min_role="member",
            section="main",
            current_for=("listening:theme",),
        ),
        NavItem(
            "Listening data",
            "listening:import",
            icon="import",
            min_role="admin",
            section="admin",
            current_for=("listening:brands", "listening:labels"),
        ),
    )

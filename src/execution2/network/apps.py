from django.apps import AppConfig

from execution2.core.navigation import NavItem


class NetworkConfig(AppConfig):
    name = "execution2.network"
    label = "network"
    verbose_name = "Connectedness"
    # Sidebar entries of this capability, shown to roles at or above min_role.
    navigation: tuple[NavItem, ...] = (
        NavItem(
            "Connectedness",
            "network:overview",
            icon="network",
            min_role="member",
            section="main",
            current_for=("network:unit", "network:analyze"),
        ),
        NavItem(
            "Collaboration data",
            "network:import",
            icon="import",
            min_role="admin",
            section="admin",
        ),
    )

from django.apps import AppConfig

from execution2.core.navigation import NavItem


class NetworkConfig(AppConfig):
    name = "execution2.network"
    label = "network"
    verbose_name = "Connectedness"
    # Sidebar entries of this capability, shown to roles at or above min_role.
    navigation: tuple[NavItem, ...] = ()

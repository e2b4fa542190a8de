from django.apps import AppConfig

from execution2.core.navigation import NavItem


class ListeningConfig(AppConfig):
    name = "execution2.listening"
    label = "listening"
    verbose_name = "Market listening"
    # Sidebar entries of this capability, shown to roles at or above min_role.
    navigation: tuple[NavItem, ...] = ()

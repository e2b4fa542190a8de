from django.apps import AppConfig

from execution2.core.navigation import NavItem


class PlansConfig(AppConfig):
    name = "execution2.plans"
    label = "plans"
    verbose_name = "Strategic plan and execution"
    # Sidebar entries of this capability, shown to roles at or above min_role.
    navigation: tuple[NavItem, ...] = ()

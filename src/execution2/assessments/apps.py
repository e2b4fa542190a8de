from django.apps import AppConfig

from execution2.core.navigation import NavItem


class AssessmentsConfig(AppConfig):
    name = "execution2.assessments"
    label = "assessments"
    verbose_name = "Management assessment"
    # Sidebar entries of this capability, shown to roles at or above min_role.
    navigation: tuple[NavItem, ...] = ()

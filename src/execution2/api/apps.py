from django.apps import AppConfig

from execution2.core.navigation import NavItem


class ApiConfig(AppConfig):
    name = "execution2.api"
    label = "api"
    verbose_name = "REST API"
    navigation = (NavItem("API tokens", "api:tokens", icon="settings"),)

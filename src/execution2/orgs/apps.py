from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "execution2.orgs"
    label = "orgs"
    verbose_name = "Organizations and people"

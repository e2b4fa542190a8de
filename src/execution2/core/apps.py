from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "execution2.core"
    label = "core"
    verbose_name = "Shared pieces: layout, sign-in, file reading"

from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    name = "execution2.core"
    label = "core"
    verbose_name = "Shared pieces: layout, sign-in, jobs, file reading"

    def ready(self) -> None:
        # Job handlers register themselves when their app's jobs module is imported.
        autodiscover_modules("jobs")

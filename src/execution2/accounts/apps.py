from django.apps import AppConfig

from execution2.core.navigation import NavItem


class AccountsConfig(AppConfig):
    name = "execution2.accounts"
    label = "accounts"
    verbose_name = "Accounts and sign-in"
    navigation = (
        NavItem(
            "Sign-in", "accounts:org_security", icon="settings", min_role="admin", section="admin"
        ),
    )

    def ready(self) -> None:
        from execution2.accounts import signals  # noqa: F401  (connects the receivers)

"""Account pages (accounts:...) and each organization's sign-in page, mounted at the root."""

from django.urls import path

from execution2.accounts.views import account, organization, signin

app_name = "accounts"

urlpatterns = [
    path("accounts/login/code/", signin.signin_code, name="signin_code"),
    path("accounts/security/", account.security, name="security"),
    path("accounts/security/authenticator/", account.mfa_setup, name="mfa_setup"),
    path("accounts/security/recovery-codes/", account.recovery_codes, name="recovery_codes"),
    path("accounts/security/off/", account.mfa_off, name="mfa_off"),
    path("accounts/sessions/end/", account.session_end, name="session_end"),
    path("o/<slug:org_slug>/sign-in/", organization.org_security, name="org_security"),
]

"""Django's own names for sign-in and password reset, which Django and the apps reverse."""

from django.contrib.auth import views as auth_views
from django.urls import path

from execution2.accounts.views import signin

urlpatterns = [
    path("accounts/login/", signin.SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/reset/", signin.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password/reset/sent/",
        signin.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password/<uidb64>/<token>/",
        signin.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/done/",
        signin.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

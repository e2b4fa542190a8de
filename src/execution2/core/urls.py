from django.urls import path

from execution2.core import views

# Sign-in and password reset live in execution2.accounts (accounts/auth_urls.py).
urlpatterns = [
    path("", views.home, name="home"),
]

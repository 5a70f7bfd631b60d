"""URLs of accounts under /tai-khoan/: registration, password reset, single sign-on, API tokens."""

from django.urls import path

from . import account_views as views

app_name = "accounts"

urlpatterns = [
    path("dang-ky/", views.register, name="register"),
    path("quen-mat-khau/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "quen-mat-khau/da-gui/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "quen-mat-khau/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "quen-mat-khau/xong/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("ma-truy-cap/", views.api_tokens, name="api_tokens"),
    path("sso/<slug:provider>/", views.sso_start, name="sso_start"),
    path("sso/<slug:provider>/callback/", views.sso_callback, name="sso_callback"),
]

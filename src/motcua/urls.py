"""URL map: the public site, staff pages, the admin, the REST API and health."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from motcua.api import api
from motcua.common import views as common_views

urlpatterns = [
    path("", common_views.home, name="home"),
    path("healthz", common_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("thu-tuc/", include("motcua.catalog.urls")),
    path("ho-so/", include("motcua.dossiers.urls")),
    path("", include("motcua.portal.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]

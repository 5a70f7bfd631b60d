"""URL map: the public site, staff pages, the admin, the REST API and health."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy

from motcua.api import api
from motcua.catalog import views as catalog_views
from motcua.common import views as common_views
from motcua.dashboards import views as dashboard_views
from motcua.portal import account_views
from motcua.portal.account_forms import LockoutAdminAuthenticationForm

# The admin's login counts failures and locks out like the site's /login/.
admin.site.login_form = LockoutAdminAuthenticationForm
admin.site.site_header = gettext_lazy("One-stop system administration")
admin.site.site_title = gettext_lazy("One-stop administration")
admin.site.index_title = gettext_lazy("Data management")

urlpatterns = [
    path("", catalog_views.home, name="home"),
    path("healthz", common_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("login/", account_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("tai-khoan/", include("motcua.portal.account_urls")),
    path("thu-tuc/", include("motcua.catalog.urls")),
    path("ho-so/", include("motcua.dossiers.urls")),
    path("thanh-toan/", include("motcua.payments.urls")),
    path("danh-gia/", include("motcua.surveys.urls")),
    path("chi-so/", include("motcua.indices.urls")),
    path("dieu-hanh/", include("motcua.dashboards.urls")),
    path("trang-chu/", dashboard_views.home, name="role_home"),
    path("lam-viec/", dashboard_views.work, name="work"),
    path("", include("motcua.feedback.urls")),
    path("", include("motcua.portal.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]

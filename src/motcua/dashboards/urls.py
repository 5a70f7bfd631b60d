from django.urls import path

from . import views

app_name = "dashboards"
urlpatterns = [
    path("", views.province, name="province"),
    path("bao-cao.<str:extension>", views.province_report, name="province_report"),
    path("ho-so/", views.records, name="records"),
    path("ban-do.geojson", views.boundaries, name="boundaries"),
    path("bao-cao/", views.report_list, name="reports"),
    path("bao-cao/<int:pk>.<str:extension>", views.report_file, name="report_file"),
    path("<str:code>/", views.agency, name="agency"),
    path("<str:code>/bao-cao.<str:extension>", views.agency_report, name="agency_report"),
]

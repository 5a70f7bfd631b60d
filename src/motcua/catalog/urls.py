from django.urls import path

from . import views

app_name = "catalog"
urlpatterns = [
    path("", views.procedure_search, name="search"),
    path("lich-su/", views.catalog_history, name="history"),
    path("day-du/", views.procedure_completeness, name="completeness"),
    path("day-du/excel/", views.procedure_completeness_export, name="completeness_export"),
    path("nhap-excel/", views.catalog_import_view, name="import"),
    path("<str:code>/", views.procedure_detail, name="procedure"),
]

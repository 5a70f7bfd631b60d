from django.urls import path

from . import views

app_name = "catalog"
urlpatterns = [
    path("", views.procedure_search, name="search"),
    path("lich-su/", views.catalog_history, name="history"),
    path("nhap-excel/", views.catalog_import_view, name="import"),
    path("<str:code>/", views.procedure_detail, name="procedure"),
]

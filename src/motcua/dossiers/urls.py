from django.urls import path

from . import download_views, views

app_name = "dossiers"
urlpatterns = [
    path("", views.dossier_queue, name="queue"),
    path("tiep-nhan/", views.dossier_receive, name="receive"),
    path("<str:code>/", views.dossier_detail, name="detail"),
    path("<str:code>/giay-to/<int:pk>/", download_views.dossier_document, name="document"),
]

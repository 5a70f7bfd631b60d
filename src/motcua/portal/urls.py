from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("tra-cuu/", views.track, name="track"),
    path("nop-truc-tuyen/<str:code>/", views.apply, name="apply"),
    path("ca-nhan/", views.my_page, name="my_page"),
    path("ca-nhan/ho-so/<str:code>/", views.my_dossier, name="dossier"),
    path("ca-nhan/ho-so/<str:code>/ket-qua/", views.result_download, name="result"),
    path("ca-nhan/giay-to/<int:pk>/", views.document_download, name="document"),
]

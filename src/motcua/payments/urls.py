from django.urls import path

from . import views

app_name = "payments"
urlpatterns = [
    path("cong-thu-nghiem/", views.test_bank, name="test_bank"),
    path("ket-qua/<str:gateway>/", views.payment_return, name="return"),
    path("<str:code>/bat-dau/", views.payment_start, name="start"),
]

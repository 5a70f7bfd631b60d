from django.urls import path

from . import views

app_name = "surveys"
urlpatterns = [
    path("quay/", views.kiosk, name="kiosk"),
    path("quay/danh-gia/", views.kiosk_rate, name="kiosk_rate"),
    path("quay/cam-on/", views.kiosk_thanks, name="kiosk_thanks"),
    path("ho-so/<str:code>/", views.portal_rate, name="portal_rate"),
    path("l/<str:token>/", views.link_rate, name="link_rate"),
]

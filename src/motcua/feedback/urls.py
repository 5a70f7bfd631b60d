"""Petition pages under /phan-anh/ and the Open311 GeoReport v2 API under /open311/v2/."""

from django.urls import include, path, re_path

from . import staff_views, views
from .open311 import views as open311

FMT = r"(?P<fmt>json|xml)"

web_patterns = [
    path("", views.petition_list, name="list"),
    path("gui/", views.petition_new, name="new"),
    path("bao-cao/", views.report, name="report"),
    path("xu-ly/", staff_views.queue, name="queue"),
    path("xu-ly/<int:pk>/", staff_views.detail, name="staff_detail"),
    path("<int:pk>/", views.petition_detail, name="detail"),
    path("<int:pk>/da-gui/", views.petition_sent, name="sent"),
    path("<int:pk>/danh-gia/", views.petition_rate, name="rate"),
    path("<int:pk>/anh/<int:photo_id>/", views.petition_photo, name="photo"),
]

open311_patterns = [
    path("", open311.root, name="root"),
    re_path(rf"^discovery\.{FMT}$", open311.discovery, name="discovery"),
    re_path(rf"^services\.{FMT}$", open311.services, name="services"),
    re_path(rf"^services/(?P<code>[^/]+)\.{FMT}$", open311.service_definition, name="service"),
    re_path(rf"^requests\.{FMT}$", open311.requests, name="requests"),
    re_path(rf"^requests/(?P<request_id>[^/]+)\.{FMT}$", open311.request_detail, name="request"),
    re_path(rf"^tokens/(?P<token>[^/]+)\.{FMT}$", open311.token, name="token"),
    re_path(r"^(?P<rest>.*)$", open311.not_found),
]

urlpatterns = [
    path("phan-anh/", include((web_patterns, "feedback"))),
    path("open311/v2/", include((open311_patterns, "open311"))),
]
